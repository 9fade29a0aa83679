package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's report tells the truth: {@code ecap demo} (the ops module's command line, in a child JVM with its own
 * classpath: Vert.x and Chronicle never meet Spark's) generates its default history into a real engine, with a
 * live part of one second, and exports the journal; then every lake job runs here, as {@code ./ecap demo} runs
 * them, and each section of the report must have data and plausible values.
 */
class DemoReportTest {
    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Lake lake;
    private static int skipped;
    private static String html;

    @BeforeAll
    static void runTheDemoAndItsLake() throws Exception {
        final Path data = dir.resolve("demo");
        ops(List.of("demo", "--data", data.toString(), "--seconds", "1", "--warmup", "0", "--rate", "1000",
            "--no-lake"), "Where things are");
        ops(List.of("export-lake", "--data", data.toString()), "staged");
        spark = Lake.session("demo-report-test");
        lake = new Lake(data.resolve("lake").toString());
        final Path report = data.resolve("report.html");
        skipped = new LakePipeline(spark, lake).run(report, data.resolve("truth.jsonl").toString(),
            PurchaseRules.DEFAULT.withCurrency("USD"), RatesFile.read(data.resolve("rates.csv").toString()));
        html = Files.readString(report, StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Runs the ecap command line with {@code args} and waits for it to exit 0, having printed {@code expected}. */
    private static void ops(final List<String> args, final String expected) throws Exception {
        final Path target = Path.of(System.getProperty("ecap.root"), "ops", "target");
        final Path classpathFile = target.resolve("classpath.txt");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build the ops module first (mvn -B verify "
                + "builds it before this one)");
        }
        final String classPath = target.resolve("classes") + File.pathSeparator
            + Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        final ChildJvm child = ChildJvm.start(dir, classPath, List.of("-Xmx1g"), "io.ecap.ops.Ecap", args);
        child.await(Pattern.compile(Pattern.quote(expected)), 600);
        assertTrue(child.process().waitFor(120, TimeUnit.SECONDS), "ecap " + args.get(0) + " did not exit");
        assertEquals(0, child.process().exitValue(), "ecap " + args.get(0) + ":\n" + child.seen());
    }

    private static Dataset<Row> gold(final String table) {
        return spark.read().format("delta").load(lake.gold(table));
    }

    @Test
    void everyAnalysisRunsAndEverySectionHasData() {
        assertEquals(0, skipped, "no analysis skipped");
        for (final String chart : List.of("segments", "clv", "churn", "cohorts", "revenue-months", "revenue-channels",
            "funnel", "products", "attribution", "fraud-trend",
            "fraud-scenarios", "fraud-precision", "fraud-reasons", "fraud-scores", "fraud-merchants", "quality")) {
            assertTrue(html.contains("data-chart=\"" + chart + "\""), "the report draws " + chart);
        }
    }

    /** Products: the window's purchases add up to the clickstream's, and every rate is a share. */
    @Test
    void productPurchasesAddUpToTheClickstreamsAndRatesAreShares() {
        final Row window = gold("product_performance").selectExpr("max(as_of)", "sum(purchases)", "min(cart_rate)",
            "max(purchase_rate)", "count(*)").first();
        final java.time.LocalDate asOf = window.getDate(0).toLocalDate();
        final long purchases = spark.read().format("delta").load(lake.silver("user_events"))
            .where("event_type = 'purchase' AND product_id IS NOT NULL AND event_date BETWEEN DATE'"
                + asOf.minusDays(29) + "' AND DATE'" + asOf + "'").count();
        assertTrue(purchases > 0, "the demo's clickstream buys in the last 30 days");
        assertEquals(purchases, window.getLong(1), "every purchase event of the window, once");
        assertTrue(window.getDouble(2) >= 0 && window.getDouble(3) <= 1, "rates are shares of the views");
        assertTrue(window.getLong(4) > 10, "many products seen");
    }

    @Test
    void cohortsCoverEveryCustomerOnceAndKeepFewerOverTime() {
        final Row totals = gold("cohort_retention").where("period_index = 0")
            .selectExpr("sum(customers)", "min(retention)").first();
        assertEquals(gold("customer_segments").count(), totals.getLong(0), "every customer segmented is in a cohort");
        assertEquals(1.0, totals.getDouble(1), "everyone buys in their first month");
        assertTrue(gold("cohort_retention").where("period_index > 0 AND retention > 0.9").isEmpty(),
            "no cohort keeps nine in ten customers a month later in the generated history");
    }

    @Test
    void revenueByChannelAndCountryAddsUpAndEveryCustomerIsNewOnce() {
        final Row totals = gold("revenue_daily").selectExpr(
            "sum(CASE WHEN channel = 'all' THEN revenue END)", "sum(CASE WHEN channel <> 'all' THEN revenue END)",
            "sum(CASE WHEN channel = 'all' THEN purchases END)", "sum(CASE WHEN channel <> 'all' THEN purchases END)",
            "sum(CASE WHEN channel = 'all' THEN new_customers END)", "count(DISTINCT channel)").first();
        assertEquals(0, totals.getDecimal(0).compareTo(totals.getDecimal(1)), "channels and countries add up");
        assertEquals(totals.getLong(2), totals.getLong(3));
        assertEquals(gold("customer_segments").count(), totals.getLong(4), "every customer is new on one day");
        assertTrue(totals.getLong(5) > 2, "the generated history has channels: " + totals);
    }

    @Test
    void rfmSegmentsAreSpreadAndLessThanHalfLost() {
        final List<Row> sizes = gold("segment_sizes").collectAsList();
        assertTrue(sizes.size() >= 8, "segments reached: " + sizes);
        final double lost = sizes.stream().filter(r -> r.getString(0).equals("Lost"))
            .mapToDouble(r -> r.<Double>getAs("customer_share")).sum();
        assertTrue(lost < 0.5, "share Lost: " + lost);
        final double atRisk = sizes.stream().filter(r -> r.getString(0).equals("At Risk"))
            .mapToDouble(r -> r.<Double>getAs("customer_share")).sum();
        assertTrue(atRisk < 0.3, "share At Risk: " + atRisk);
    }

    @Test
    void clvFitsConvergeAndPredictPlausibleValues() {
        for (final Row model : gold("clv_models").collectAsList()) {
            assertTrue(model.<Boolean>getAs("converged"), "converged: " + model);
        }
        final Row clv = gold("customer_clv").selectExpr("count(*)", "avg(probability_alive)", "avg(predicted_clv)")
            .first();
        assertTrue(clv.getLong(0) > 1_000, "customers valued: " + clv);
        assertTrue(clv.getDouble(1) > 0.2 && clv.getDouble(1) < 0.95, "mean probability alive: " + clv);
        assertTrue(clv.getDouble(2) > 10 && clv.getDouble(2) < 5_000, "mean predicted CLV ($): " + clv);
    }

    @Test
    void churnIsMeasuredBetterThanChance() {
        final Row model = gold("churn_models").first();
        assertTrue(model.<Double>getAs("roc_auc") > 0.6, "churn ROC-AUC: " + model);
        final double rate = model.<Double>getAs("train_churn_rate");
        assertTrue(rate > 0.1 && rate < 0.9, "training churn rate: " + model);
    }

    @Test
    void fewSessionsBuy() {
        final Row funnel = gold("funnel_daily").where("funnel = 'purchase'").groupBy().pivot("step")
            .sum("sessions").first();
        final double conversion = ((Number) funnel.getAs("purchase")).doubleValue()
            / ((Number) funnel.getAs("product_view")).doubleValue();
        assertTrue(conversion > 0.02 && conversion < 0.2, "product views to purchases: " + conversion);
        assertTrue(gold("attribution_daily").count() > 0, "attribution");
    }

    @Test
    void dataQualityPassesAtTheEndOfTheHistory() {
        final List<String> failed = gold("data_quality").where("NOT passed")
            .selectExpr("concat(table_name, ' ', check_name, ': ', detail)").collectAsList().stream()
            .map(r -> r.getString(0)).toList();
        assertEquals(List.of(), failed);
    }

    @Test
    void fraudIsCaughtInEveryScenarioWithPlausiblePrecision() {
        final Row totals = spark.sql("SELECT count_if(scenario IS NOT NULL), count_if(caught AND scenario IS NOT"
            + " NULL), count_if(caught), count(DISTINCT scenario) FROM fraud_outcomes").first();
        assertEquals(7, totals.getLong(3), "every scenario appears: " + totals);
        final double recall = (double) totals.getLong(1) / totals.getLong(0);
        final double precision = (double) totals.getLong(1) / totals.getLong(2);
        assertTrue(recall > 0.3 && recall < 1, "recall " + recall);
        assertTrue(precision > 0.3 && precision < 1, "precision " + precision);
        assertTrue(gold("merchant_risk_daily").where("risk_band = 'high'").count() > 0, "a high-risk merchant");
    }
}
