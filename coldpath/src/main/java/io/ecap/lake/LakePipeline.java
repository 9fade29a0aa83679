package io.ecap.lake;

import io.ecap.analytics.funnel.Funnel;
import io.ecap.analytics.quality.Thresholds;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code all}: every batch job in order in one Spark session, from the staged journal to the report: journal →
 * bronze, the erasures the engine journaled ({@code erase --journaled}), bronze → silver → gold, then RFM, CLV, churn,
 * cohorts, revenue, funnels, products, attribution, the newest fraud model's feature drift (once a model is trained),
 * data quality and the report.
 * The loading steps must succeed; an analysis the data cannot support yet (no repeat customers for CLV, too short a
 * history for churn) is skipped with its reason and its report section says so. Churn's horizon is 90 days, or a
 * third of the purchase history when that is shorter.
 */
final class LakePipeline {
    private final SparkSession spark;
    private final Lake lake;

    LakePipeline(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /**
     * Returns the number of analyses skipped.
     *
     * @param truth the ground truth of generated traffic for the report's fraud section, or null
     */
    int run(final Path report, final String truth) throws Exception {
        return run(report, truth, PurchaseRules.DEFAULT, null);
    }

    /**
     * As above, counting and valuing purchases by {@code rules}, after loading {@code rates} (exchange rates from
     * {@code --rates}, or null) into the lake.
     */
    int run(final Path report, final String truth, final PurchaseRules rules, final List<RatesFile.Rate> rates)
        throws Exception {
        if (rates != null) {
            System.out.printf("load-rates: %,d rates in %s%n", ExchangeRates.load(spark, lake, rates),
                lake.silver("exchange_rates"));
        }
        System.out.printf("journal-to-bronze: %,d entries loaded%n", new JournalToBronze(spark, lake).runOnce());
        // the engine's erasures leave the lake before anything is built from bronze (vacuumed with the safe retention)
        final List<LakeErasure.Journaled> erased = new LakeErasure(spark, lake).eraseJournaled(
            Maintenance.SAFE_RETENTION_HOURS, false);
        System.out.printf("erase --journaled: %,d erasure%s taken (%s)%n", erased.size(), erased.size() == 1 ? ""
            : "s", LakeErasure.AUDIT);
        System.out.printf("bronze-to-silver: %,d transactions in silver%n", new BronzeToSilver(spark, lake).run());
        System.out.printf("silver-to-gold: %,d merchant-days%n", new SilverToGold(spark, lake).run());
        final Map<String, String> skipped = new LinkedHashMap<>();
        step(skipped, "rfm", () -> String.format("%,d customers segmented in %s", new RfmJob(spark, lake).run(null,
            rules), lake.gold("customer_segments")));
        step(skipped, "clv", () -> "customers valued: " + new ClvJob(spark, lake).run(null, 7, 365, null,
            rules));
        step(skipped, "churn", () -> new ChurnJob(spark, lake).run(null, churnHorizon(rules), rules)
            .toString());
        step(skipped, "cohorts", () -> String.format("%,d rows in %s", new CohortJob(spark, lake).run(null,
            io.ecap.analytics.cohort.Cohorts.Period.MONTH, rules), lake.gold("cohort_retention")));
        step(skipped, "revenue", () -> String.format("%,d rows in %s", new RevenueJob(spark, lake).run(null, rules),
            lake.gold("revenue_daily")));
        step(skipped, "funnels", () -> "rows: " + new ClickstreamJobs(spark, lake).funnels(null,
            List.of(Funnel.PURCHASE)));
        step(skipped, "products", () -> String.format("%,d products in %s", new ProductsJob(spark, lake)
            .run(ProductsJob.Options.parse(Map.of())), lake.gold("product_performance")));
        step(skipped, "attribution", () -> "rows: " + new ClickstreamJobs(spark, lake).attribution(null, 30, 168,
            rules.currency()));
        if (DeltaWrites.exists(spark, lake.gold("fraud_models"))) {
            step(skipped, "drift", () -> new DriftJob(spark, lake).run(DriftJob.Options.parse(Map.of())) == 0
                ? "every feature of the newest model within the bar" : "some features moved (above); not a failure"
                + " here");
        } else {
            System.out.println("drift: no fraud model trained yet (ecap lake train-fraud): nothing to measure the "
                + "features' drift against");
        }
        step(skipped, "data-quality", () -> "failed checks: " + new QualityJob(spark, lake).run(null,
            Thresholds.DEFAULT));
        System.out.printf("report: %d charts in %s%n", new ReportJob(spark, lake, skipped, truth).run(report),
            report.toAbsolutePath());
        return skipped.size();
    }

    private int churnHorizon(final PurchaseRules rules) {
        final Dataset<Row> purchases = Purchases.of(spark, lake, "churn", rules, null).rows();
        final Row span = purchases.selectExpr("min(purchase_date)", "max(purchase_date)").first();
        if (span.isNullAt(0)) {
            return 90;
        }
        final long days = ChronoUnit.DAYS.between(span.getDate(0).toLocalDate(), span.getDate(1).toLocalDate());
        return (int) Math.max(1, Math.min(90, days / 3));
    }

    /** Runs an analysis; one the data cannot support is reported and its reason kept in {@code skipped}. */
    private static void step(final Map<String, String> skipped, final String name, final Step step)
        throws Exception {
        try {
            System.out.println(name + ": " + step.run());
        } catch (final IllegalArgumentException | IllegalStateException e) {
            System.out.println(name + ": skipped: " + e.getMessage());
            skipped.put(name, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }
}
