package io.ecap.lake;

import io.ecap.analytics.cohort.Cohorts;
import io.ecap.analytics.funnel.Funnel;
import io.ecap.analytics.quality.Thresholds;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The customer-analytics jobs' options, checked before Spark starts, and the jobs themselves: rfm, clv, clv-fit,
 * churn, funnels, attribution, data-quality, report and all.
 */
record AnalyticsOptions(String job, LocalDate asOf, long unitDays, long clvHorizonDays, long churnHorizonDays,
    LocalDate end, String cdnow, int lookbackDays, double halfLifeHours, List<Funnel> funnels, Thresholds thresholds,
    Path out, Double marginRate, String truth, PurchaseRules rules,
    List<RatesFile.Rate> rates, Cohorts.Period period) {

    static final Set<String> JOBS = Set.of("rfm", "clv", "clv-fit", "churn", "cohorts", "revenue", "funnels",
        "attribution", "data-quality", "report", "all");

    /** The steps a funnel may name: the user event types. */
    private static final Set<String> STEPS = Set.of("page_view", "search", "product_view", "add_to_cart",
        "remove_from_cart", "checkout_start", "purchase");

    /** @param data the data folder: the report goes there unless {@code --out} says otherwise */
    static AnalyticsOptions parse(final String job, final Map<String, String> options, final String data) {
        if (job.equals("clv-fit") && !options.containsKey("--cdnow")) {
            throw new IllegalArgumentException("clv-fit: --cdnow FILE is required");
        }
        return new AnalyticsOptions(job, AsOf.notInTheFuture(LakeMain.date(options, "--as-of", null)),
            LakeMain.number(options, "--unit-days", 7, 1),
            LakeMain.number(options, "--horizon-days", 365, 1), LakeMain.number(options, "--horizon-days", 90, 1),
            LakeMain.date(options, "--end", LocalDate.of(1997, 9, 30)), options.get("--cdnow"),
            (int) LakeMain.number(options, "--lookback-days", 30, 1),
            LakeMain.number(options, "--half-life-hours", 168, 1),
            options.containsKey("--funnel") ? List.of(Funnel.parse(options.get("--funnel"), STEPS))
                : List.of(Funnel.PURCHASE),
            options.containsKey("--thresholds") ? Thresholds.parse(options.get("--thresholds")) : Thresholds.DEFAULT,
            Path.of(options.getOrDefault("--out", data + "/report.html")), margin(options.get("--margin")),
            truth(options.get("--truth")), PurchaseRules.parse(options.get("--include-outcomes"),
                options.get("--currency"), options.get("--source")),
            options.containsKey("--rates") ? rates(options.get("--rates")) : null,
            Cohorts.Period.parse(options.get("--period")));
    }

    /** {@code --rates FILE}: read and checked now, loaded once Spark runs. */
    private static List<RatesFile.Rate> rates(final String file) {
        try {
            return RatesFile.read(file);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("--rates: " + e.getMessage());
        }
    }

    /** The ground-truth file, which must exist when named; null when not. */
    private static String truth(final String file) {
        if (file != null && !file.contains("://") && !java.nio.file.Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException("--truth: cannot read " + file);
        }
        return file;
    }

    private static Double margin(final String value) {
        if (value == null) {
            return null;
        }
        try {
            final double rate = Double.parseDouble(value);
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--margin: expected the share of revenue that is margin, 0 to 1, found '"
            + value + "'");
    }

    /** Runs the job; returns the exit code (1 when data quality fails a bar or a CLV fit does not converge). */
    int run(final SparkSession spark, final Lake lake) throws Exception {
        switch (job) {
            case "rfm" -> System.out.printf("rfm: %,d customers segmented in %s%n",
                new RfmJob(spark, lake).run(asOf, rules), lake.gold("customer_segments"));
            case "clv" -> System.out.printf("clv: %,d customers valued in %s%n",
                new ClvJob(spark, lake).run(asOf, unitDays, clvHorizonDays, marginRate, rules),
                lake.gold("customer_clv"));
            case "clv-fit" -> {
                return new ClvJob(spark, lake).fitFile(cdnow, end, unitDays) ? 0 : 1;
            }
            case "churn" -> System.out.println("churn: " + new ChurnJob(spark, lake).run(asOf, (int) churnHorizonDays,
                rules));
            case "cohorts" -> System.out.printf("cohorts: %,d rows (cohort and %s) in %s%n",
                new CohortJob(spark, lake).run(asOf, period, rules), period.name().toLowerCase(java.util.Locale.ROOT),
                lake.gold("cohort_retention"));
            case "revenue" -> System.out.printf("revenue: %,d rows (day, channel and country) in %s%n",
                new RevenueJob(spark, lake).run(asOf, rules), lake.gold("revenue_daily"));
            case "funnels" -> System.out.printf("funnels: %,d rows in %s%n",
                new ClickstreamJobs(spark, lake).funnels(asOf, funnels), lake.gold("funnel_daily"));
            case "attribution" -> System.out.printf("attribution: %,d rows in %s%n",
                new ClickstreamJobs(spark, lake).attribution(asOf, lookbackDays, halfLifeHours, rules.currency()),
                lake.gold("attribution_daily"));
            case "data-quality" -> {
                return new QualityJob(spark, lake).run(asOf, thresholds) > 0 ? 1 : 0;
            }
            case "report" -> System.out.printf("report: %d charts in %s%n", new ReportJob(spark, lake, truth)
                .run(out), out.toAbsolutePath());
            case "all" -> new LakePipeline(spark, lake).run(out, truth, rules, rates);
            default -> throw new IllegalStateException(job);
        }
        return 0;
    }
}
