package io.ecap.lake;

import io.ecap.analytics.attribution.Attribution;
import io.ecap.analytics.funnel.Funnel;
import io.ecap.analytics.funnel.FunnelAnalysis;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The jobs over silver user events: {@code funnels} (gold {@code funnel_daily}) and {@code attribution} (gold
 * {@code attribution_daily}), over the events up to the as-of day (default: the last day with an event), written
 * into that day's partition ({@code as_of}), which a rerun replaces.
 */
final class ClickstreamJobs {
    private final SparkSession spark;
    private final Lake lake;

    ClickstreamJobs(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the number of gold rows written. */
    long funnels(final LocalDate asOf, final List<Funnel> funnels) {
        final LocalDate day = asOf(asOf, "funnels");
        return DeltaWrites.replaceDay(spark, FunnelAnalysis.of(events(day, "funnels"), funnels),
            lake.gold("funnel_daily"), day);
    }

    /** Returns the number of gold rows written. */
    long attribution(final LocalDate asOf, final int lookbackDays, final double halfLifeHours) {
        final LocalDate day = asOf(asOf, "attribution");
        final Dataset<Row> events = events(day, "attribution");
        System.out.printf("attribution: excluded: %,d purchases without a known customer (nothing to credit)%n",
            events.where("event_type = 'purchase' AND customer_id IS NULL").count());
        return DeltaWrites.replaceDay(spark, Attribution.byCampaign(Attribution.credits(events, lookbackDays,
            halfLifeHours)), lake.gold("attribution_daily"), day);
    }

    /** The events up to the as-of day; prints how many there are and how many came after it. */
    private Dataset<Row> events(final LocalDate day, final String job) {
        final Row counts = spark.read().format("delta").load(lake.silver("user_events")).selectExpr(
            "count_if(event_date <= DATE'" + day + "')", "count_if(event_date > DATE'" + day + "')").first();
        System.out.printf("%s: %,d events up to %s; excluded: %,d after the as-of day%n", job, counts.getLong(0), day,
            counts.getLong(1));
        return spark.read().format("delta").load(lake.silver("user_events")).where("event_date <= DATE'" + day + "'");
    }

    private LocalDate asOf(final LocalDate given, final String job) {
        if (!DeltaWrites.exists(spark, lake.silver("user_events"))) {
            throw new IllegalArgumentException(job + ": no silver/user_events in " + lake.root()
                + " (run bronze-to-silver first)");
        }
        return AsOf.orLast(given, spark.read().format("delta").load(lake.silver("user_events")), "event_date", job);
    }
}
