package io.ecap.flinkbench;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by customer: the customer's {@link KeyFeatures}, then the decision from the card's and the customer's
 * features. Three rules: amount z-score above {@link #Z_LIMIT}, travel above {@link #KMH_LIMIT} km/h, more than
 * {@link #COUNT_60S_LIMIT} transactions in 60 s (each on the card or on the customer). None fired: APPROVE; one:
 * REVIEW; two or three: DECLINE.
 */
public final class CustomerDecision extends KeyedProcessFunction<String, Txn, Decision> {
    public static final double Z_LIMIT = 3.0;
    public static final double KMH_LIMIT = 900.0;
    public static final long COUNT_60S_LIMIT = 5;
    private static final long serialVersionUID = 1L;

    private transient ValueState<KeyFeatures> state;

    @Override
    public void open(final OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("customer", KeyFeatures.class));
    }

    @Override
    public void processElement(final Txn t, final Context context, final Collector<Decision> out) throws Exception {
        KeyFeatures f = state.value();
        if (f == null) {
            f = new KeyFeatures();
        }
        f.apply(t);
        state.update(f);
        int hits = 0;
        if (t.cardZ > Z_LIMIT || f.z > Z_LIMIT) {
            hits++;
        }
        if (t.cardKmh > KMH_LIMIT || f.kmh > KMH_LIMIT) {
            hits++;
        }
        if (t.cardCount60s > COUNT_60S_LIMIT || f.count60s > COUNT_60S_LIMIT) {
            hits++;
        }
        final int outcome = hits == 0 ? Decision.APPROVE : hits == 1 ? Decision.REVIEW : Decision.DECLINE;
        out.collect(new Decision(t.txnId, outcome, hits));
    }
}
