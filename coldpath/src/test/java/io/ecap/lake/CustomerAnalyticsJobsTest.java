package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.analytics.clv.CdnowData;
import io.ecap.analytics.clv.CdnowFormat;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clv and rfm jobs over a silver transactions table holding the CDNOW sample's purchases as approved
 * transactions (and declined ones that must not count), so the fitted models can be checked against the published
 * parameters.
 */
class CustomerAnalyticsJobsTest {
    private static final Path CDNOW = CdnowData.file("CDNOW_sample.txt");
    private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Lake lake;

    @BeforeAll
    static void silverFromCdnow() {
        spark = Lake.session("customer-analytics-jobs-test");
        lake = new Lake(dir.resolve("lake").toString());
        final Dataset<Row> purchases = CdnowFormat.read(spark, CDNOW.toString());
        purchases.selectExpr("monotonically_increasing_id() AS txn_id", "customer_id", "'APPROVE' AS decision",
                "purchase_date AS event_date", "'USD' AS currency", "CAST(amount AS DECIMAL(18,4)) AS amount")
            .union(purchases.limit(50).selectExpr("monotonically_increasing_id() + 1000000 AS txn_id", "customer_id",
                "'DECLINE' AS decision", "date_add(purchase_date, 1) AS event_date", "'USD' AS currency",
                "CAST(5000 AS DECIMAL(18,4)) AS amount"))
            .write().format("delta").partitionBy("event_date").save(lake.silver("transactions"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void clvFitsThePublishedModelsAndReplacesItsDayOnARerun() {
        final ClvJob job = new ClvJob(spark, lake);
        assertEquals(2357, job.run(CALIBRATION_END, 7, 273));
        final Map<String, Double> parameters = new HashMap<>();
        for (final Row row : spark.read().format("delta").load(lake.gold("clv_models")).collectAsList()) {
            parameters.put(row.getString(1), row.getDouble(2));
            assertTrue(row.getBoolean(4), "converged: " + row);
        }
        assertEquals(0.243, parameters.get("r"), 0.01);
        assertEquals(4.414, parameters.get("alpha"), 0.01);
        assertEquals(0.793, parameters.get("a"), 0.01);
        assertEquals(2.426, parameters.get("b"), 0.01);
        assertEquals(6.25, parameters.get("p"), 0.01);
        assertEquals(3.74, parameters.get("q"), 0.01);
        assertEquals(15.44, parameters.get("v"), 0.01);
        final Row totals = spark.read().format("delta").load(lake.gold("customer_clv"))
            .selectExpr("sum(expected_purchases)", "min(probability_alive)", "max(probability_alive)",
                "sum(predicted_clv)", "sum(expected_purchases * expected_spend)").first();
        assertEquals(1653, totals.getDouble(0), 5, "the 39 weeks after calibration, as in CdnowClvTest");
        assertTrue(totals.getDouble(1) > 0 && totals.getDouble(2) <= 1);
        assertEquals(totals.getDouble(4), totals.getDouble(3), 1e-6);

        job.run(CALIBRATION_END, 7, 273, 0.25);
        assertEquals(2357, spark.read().format("delta").load(lake.gold("customer_clv")).count(), "replaced, not added");
        final Row margin = spark.read().format("delta").load(lake.gold("customer_clv"))
            .selectExpr("CAST(sum(margin) / sum(revenue) AS DOUBLE)", "sum(predicted_margin) / sum(predicted_clv)")
            .first();
        assertEquals(0.25, margin.getDouble(0), 1e-9, "margin as configured");
        assertEquals(0.25, margin.getDouble(1), 1e-9);
        job.run(CALIBRATION_END.plusDays(7), 7, 60);
        assertEquals(60.0, spark.read().format("delta").load(lake.gold("clv_models"))
            .where("as_of = DATE'" + CALIBRATION_END.plusDays(7) + "'").first().<Double>getAs("horizon_days"),
            "another horizon is stored in the same column type (its literal once made a narrower decimal)");
        assertEquals(2, spark.read().format("delta").load(lake.gold("customer_clv")).select("as_of").distinct()
            .count(), "one partition per as-of day");
        assertEquals(List.of("USD|transactions|APPROVE"), stamps(spark.read().format("delta")
            .load(lake.gold("clv_models"))));
    }

    @Test
    void monthlyAndWeeklyCohortsOfADayAreKeptSideBySide() {
        final CohortJob job = new CohortJob(spark, lake);
        final long months = job.run(CALIBRATION_END, io.ecap.analytics.cohort.Cohorts.Period.MONTH,
            PurchaseRules.DEFAULT);
        final long weeks = job.run(CALIBRATION_END, io.ecap.analytics.cohort.Cohorts.Period.WEEK,
            PurchaseRules.DEFAULT);
        assertEquals(months, job.run(CALIBRATION_END, io.ecap.analytics.cohort.Cohorts.Period.MONTH,
            PurchaseRules.DEFAULT), "a rerun replaces its own rows");
        final Dataset<Row> table = spark.read().format("delta").load(lake.gold("cohort_retention"));
        assertEquals(months, table.where("period = 'month'").count(), "a weekly run left the monthly rows");
        assertEquals(weeks, table.where("period = 'week'").count());
        assertEquals(24, months, "three monthly cohorts, January to March 1997, to September");
    }

    @Test
    void rfmSegmentsEveryCustomerOnce() {
        assertEquals(2357, new RfmJob(spark, lake).run(CALIBRATION_END));
        final Dataset<Row> segments = spark.read().format("delta").load(lake.gold("customer_segments"));
        assertEquals(2357, segments.select("customer_id").distinct().count());
        final Row shares = spark.read().format("delta").load(lake.gold("segment_sizes"))
            .selectExpr("sum(customer_share)", "sum(revenue_share)", "sum(customers)").first();
        // shares are rounded to six decimals: their sums are 1 within the rounding of a dozen segments
        assertEquals(1.0, shares.getDouble(0), 1e-5);
        assertEquals(1.0, shares.getDouble(1), 1e-5);
        for (final Row size : spark.read().format("delta").load(lake.gold("segment_sizes")).collectAsList()) {
            for (final String column : List.of("customer_share", "revenue_share")) {
                final double share = size.<Double>getAs(column);
                assertEquals(Math.rint(share * 1e6), share * 1e6, 1e-6, column + " without binary noise: " + share);
            }
        }
        assertEquals(2357, shares.getLong(2));
        final double spent = CdnowFormat.read(spark, CDNOW.toString()).where("purchase_date <= DATE'1997-09-30'")
            .selectExpr("sum(amount)").first().getDouble(0);
        assertEquals(spent, segments.selectExpr("CAST(sum(monetary) AS DOUBLE)").first().getDouble(0), 0.01,
            "every approved purchase by then, and no declined payment");
        assertEquals(List.of("USD|transactions|APPROVE"), stamps(segments), "what the figures rest on");
        assertEquals(List.of("USD|transactions|APPROVE"), stamps(spark.read().format("delta")
            .load(lake.gold("segment_sizes"))));
        new RfmJob(spark, lake).run(CALIBRATION_END, PurchaseRules.parse("decline,approve", null));
        final Dataset<Row> both = spark.read().format("delta").load(lake.gold("customer_segments"));
        assertEquals(List.of("USD|transactions|APPROVE,DECLINE"), stamps(both), "the rerun says what it counted");
        assertTrue(both.selectExpr("CAST(sum(monetary) AS DOUBLE)").first().getDouble(0) > spent + 1,
            "declined payments counted when asked");
        final IllegalStateException none = assertThrows(IllegalStateException.class,
            () -> new RfmJob(spark, lake).run(java.time.LocalDate.of(1990, 1, 1)));
        assertTrue(none.getMessage().startsWith("rfm: no purchase counts on or before 1990-01-01 (excluded: "),
            none.getMessage());
    }

    /** The distinct currency|purchase_source|counted_decisions of a gold table. */
    private static List<String> stamps(final Dataset<Row> gold) {
        return gold.selectExpr("concat_ws('|', currency, purchase_source, counted_decisions)").distinct()
            .collectAsList().stream().map(row -> row.getString(0)).toList();
    }

    @Test
    void refusesALakeWithoutSilver() {
        final Lake empty = new Lake(dir.resolve("empty").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RfmJob(spark, empty).run(null))
            .getMessage().contains("run bronze-to-silver first"));
    }
}
