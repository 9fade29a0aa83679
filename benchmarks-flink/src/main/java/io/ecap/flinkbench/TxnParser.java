package io.ecap.flinkbench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * One line to one {@link Txn} with Jackson databind; a line that is not JSON, or lacks txnId, ts, customerId,
 * cardId or a finite amount, is skipped and counted as malformed. Counts go to Flink accumulators, read at the end.
 */
public final class TxnParser extends RichFlatMapFunction<String, Txn> {
    public static final String LINES = "lines";
    public static final String MALFORMED = "malformed";
    private static final long serialVersionUID = 1L;

    private transient ObjectReader reader;
    private transient LongCounter lines;
    private transient LongCounter malformed;

    @Override
    public void open(final OpenContext context) {
        reader = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .readerFor(Txn.class);
        lines = getRuntimeContext().getLongCounter(LINES);
        malformed = getRuntimeContext().getLongCounter(MALFORMED);
    }

    @Override
    public void flatMap(final String line, final Collector<Txn> out) {
        lines.add(1L);
        final Txn t;
        try {
            t = reader.readValue(line);
        } catch (IOException | RuntimeException ignored) {
            malformed.add(1L);
            return;
        }
        if (t == null || t.txnId == null || t.customerId == null || t.cardId == null || t.ts <= 0
                || !Double.isFinite(t.amount)) {
            malformed.add(1L);
            return;
        }
        out.collect(t);
    }
}
