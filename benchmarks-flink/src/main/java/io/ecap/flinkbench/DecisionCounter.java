package io.ecap.flinkbench;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The counting end of the job: counts decisions by outcome into accumulators and passes nothing on (a
 * {@code DiscardingSink} follows, chained in the same task), so no record is printed or written.
 */
public final class DecisionCounter extends RichFlatMapFunction<Decision, Decision> {
    private static final long serialVersionUID = 1L;

    private transient LongCounter[] counters;

    @Override
    public void open(final OpenContext context) {
        counters = new LongCounter[Decision.NAMES.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = getRuntimeContext().getLongCounter(Decision.NAMES[i]);
        }
    }

    @Override
    public void flatMap(final Decision d, final Collector<Decision> out) {
        counters[d.outcome].add(1L);
    }
}
