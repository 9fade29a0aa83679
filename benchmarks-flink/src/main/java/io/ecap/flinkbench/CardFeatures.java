package io.ecap.flinkbench;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keyed by card: the card's {@link KeyFeatures}, written into the transaction, which goes on to the customer. */
public final class CardFeatures extends KeyedProcessFunction<String, Txn, Txn> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<KeyFeatures> state;

    @Override
    public void open(final OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("card", KeyFeatures.class));
    }

    @Override
    public void processElement(final Txn t, final Context context, final Collector<Txn> out) throws Exception {
        KeyFeatures f = state.value();
        if (f == null) {
            f = new KeyFeatures();
        }
        f.apply(t);
        state.update(f);
        t.cardCount60s = f.count60s;
        t.cardSum60s = f.sum60s;
        t.cardCount1h = f.count1h;
        t.cardSum1h = f.sum1h;
        t.cardZ = f.z;
        t.cardKmh = f.kmh;
        out.collect(t);
    }
}
