package io.ecap.lake;

import io.ecap.analytics.attribution.Attribution;
import io.ecap.analytics.funnel.Funnel;
import io.ecap.analytics.funnel.FunnelAnalysis;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

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
        final long rows = DeltaWrites.replaceDay(spark, FunnelAnalysis.of(events(day, "funnels"), funnels),
            lake.gold("funnel_daily"), day);
        String funnel = null;
        StringBuilder line = null;
        long previous = 0;
        for (final Row step : written("funnel_daily", day).groupBy("funnel", "step_no", "step")
            .agg(functions.sum("sessions")).orderBy("funnel", "step_no").collectAsList()) {
            if (!step.getString(0).equals(funnel)) {
                if (line != null) {
                    System.out.println(line);
                }
                funnel = step.getString(0);
                line = new StringBuilder("funnels: ").append(funnel).append(", sessions reaching each step, all days"
                    + " and channels:");
                previous = 0;
            }
            final long sessions = step.getLong(3);
            line.append(String.format(Locale.ROOT, "%s %s %,d", previous == 0 ? "" : " ->", step.getString(2),
                sessions)).append(previous == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100.0 * sessions
                    / previous));
            previous = sessions;
        }
        if (line != null) {
            System.out.println(line);
        }
        return rows;
    }

    /** Returns the number of gold rows written. */
    long attribution(final LocalDate asOf, final int lookbackDays, final double halfLifeHours) {
        return attribution(asOf, lookbackDays, halfLifeHours, null);
    }

    /**
     * As above; with {@code currency} (a reporting currency, or null for each purchase's own), every purchase's amount
     * is converted with the lake's dated exchange rates first, and a purchase with no rate on or before its day is
     * left out and counted.
     */
    long attribution(final LocalDate asOf, final int lookbackDays, final double halfLifeHours,
        final String currency) {
        final LocalDate day = asOf(asOf, "attribution");
        final Dataset<Row> events = currency == null ? events(day, "attribution")
            : inCurrency(events(day, "attribution"), currency);
        System.out.printf("attribution: excluded: %,d purchases without a known customer (nothing to credit)%n",
            events.where("event_type = 'purchase' AND customer_id IS NULL").count());
        final long rows = DeltaWrites.replaceDay(spark, Attribution.byCampaign(Attribution.credits(events,
            lookbackDays, halfLifeHours)), lake.gold("attribution_daily"), day);
        final Dataset<Row> written = written("attribution_daily", day);
        for (final Row model : written.groupBy("model", "campaign").agg(functions.sum("conversions").as("conversions"))
            .groupBy("model").agg(functions.sum("conversions"), functions.expr("max_by(campaign, conversions)"))
            .orderBy("model").collectAsList()) {
            final StringBuilder revenue = new StringBuilder();
            for (final Row money : written.where(functions.col("model").equalTo(model.getString(0)))
                .groupBy("currency").agg(functions.sum("revenue")).orderBy("currency").collectAsList()) {
                revenue.append(revenue.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.2f %s",
                    money.getDecimal(1), money.isNullAt(0) ? "(no currency)" : money.getString(0)));
            }
            System.out.printf(Locale.ROOT, "attribution: %-15s %,.1f conversions and %s of revenue credited; "
                + "most credited campaign: %s%n", model.getString(0), model.getDouble(1),
                revenue.length() == 0 ? "none" : revenue, model.getString(2));
        }
        return rows;
    }

    /** Purchase events with their amount in {@code currency}; those without a rate are left out (and counted). */
    private Dataset<Row> inCurrency(final Dataset<Row> events, final String currency) {
        final String rates = lake.silver("exchange_rates");
        final Dataset<Row> converted = ExchangeRates.convert(events.where("event_type = 'purchase'")
                .withColumn("txn_id", functions.col("event_id")),
            DeltaWrites.exists(spark, rates) ? spark.read().format("delta").load(rates) : null, currency,
            Purchases.minorDigits(currency)).cache();
        final long noRate = converted.where("amount IS NOT NULL AND rate IS NULL").count();
        if (noRate > 0) {
            System.out.printf("attribution: excluded: %,d purchases without a rate to %s on or before their day "
                + "(ecap lake load-rates FILE)%n", noRate, currency);
        }
        final Dataset<Row> purchases = converted.where("amount IS NULL OR rate IS NOT NULL")
            .withColumn("amount", functions.col("converted")).withColumn("currency", functions.lit(currency))
            .select(events.columns().length == 0 ? new org.apache.spark.sql.Column[0]
                : java.util.Arrays.stream(events.columns()).map(functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new));
        return events.where("event_type <> 'purchase'").unionByName(purchases);
    }

    private Dataset<Row> written(final String table, final LocalDate day) {
        return spark.read().format("delta").load(lake.gold(table)).where("as_of = DATE'" + day + "'");
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
            throw new IllegalArgumentException(job + ": no clickstream in " + lake.root() + ": silver/user_events "
                + "does not exist (it comes from user events, POST /v1/events or ecap generate --kinds events, loaded "
                + "with journal-to-bronze and bronze-to-silver)");
        }
        return AsOf.orLast(given, spark.read().format("delta").load(lake.silver("user_events")), "event_date", job);
    }
}
