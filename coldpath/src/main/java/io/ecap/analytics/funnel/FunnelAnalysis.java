package io.ecap.analytics.funnel;

import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Funnel conversion per day (of the session's start), channel (of its first event), funnel and step: sessions that
 * reached the step in order, the share of those at the previous step that went on ({@code step_conversion}, null at
 * the first step), the share of those at the first step ({@code from_first}) and {@code drop_off}
 * (1 − step_conversion). Sessions that never reach the first step are not counted.
 */
public final class FunnelAnalysis {
    private static final StructType REACHED = (StructType) DataType.fromDDL(
        "event_date DATE, channel STRING, funnel STRING, reached INT");
    private static final StructType STEPS = (StructType) DataType.fromDDL("funnel STRING, step_no INT, step STRING");

    private FunnelAnalysis() {
    }

    /**
     * @param events silver user events: session_id, event_type, channel, event_ts, journal_index
     */
    public static Dataset<Row> of(final Dataset<Row> events, final List<Funnel> funnels) {
        final SparkSession spark = events.sparkSession();
        final Dataset<Row> sessions = events.groupBy("session_id").agg(
            expr("to_date(min(event_ts))").as("event_date"),
            expr("coalesce(min_by(channel, struct(event_ts, journal_index)), 'UNKNOWN')").as("channel"),
            expr("transform(array_sort(collect_list(struct(event_ts, journal_index, event_type))),"
                + " e -> e.event_type)").as("types"));
        final List<Row> steps = new ArrayList<>();
        for (final Funnel funnel : funnels) {
            for (int i = 0; i < funnel.steps().size(); i++) {
                steps.add(RowFactory.create(funnel.name(), i + 1, funnel.steps().get(i)));
            }
        }
        final Dataset<Row> reached = sessions.flatMap(new Reach(funnels), Encoders.row(REACHED));
        return reached.join(spark.createDataFrame(steps, STEPS), "funnel").where("reached >= step_no")
            .groupBy("event_date", "channel", "funnel", "step_no", "step").agg(expr("count(*)").as("sessions"))
            .selectExpr("event_date", "channel", "funnel", "step_no", "step", "sessions",
                "sessions / lag(sessions) OVER (PARTITION BY event_date, channel, funnel ORDER BY step_no) "
                    + "AS step_conversion",
                "sessions / first(sessions) OVER (PARTITION BY event_date, channel, funnel ORDER BY step_no) "
                    + "AS from_first")
            .selectExpr("*", "1 - step_conversion AS drop_off");
    }

    /** Per session, per funnel: how far it got. */
    private static final class Reach implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final List<Funnel> funnels;

        Reach(final List<Funnel> funnels) {
            this.funnels = new ArrayList<>(funnels);
        }

        @Override
        public Iterator<Row> call(final Row session) {
            final List<String> types = session.getList(3);
            final List<Row> out = new ArrayList<>(funnels.size());
            for (final Funnel funnel : funnels) {
                out.add(RowFactory.create(session.get(1), session.get(2), funnel.name(), funnel.reached(types)));
            }
            return out.iterator();
        }
    }
}
