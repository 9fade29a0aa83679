package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ecap.analytics.funnel.Funnel;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Funnels and attribution over a small silver user_events table written here. */
class ClickstreamJobsTest {
    private static final StructType EVENTS = (StructType) DataType.fromDDL("event_id STRING, session_id STRING,"
        + " customer_id STRING, event_type STRING, product_id STRING, channel STRING, campaign STRING,"
        + " amount DECIMAL(18,4), currency STRING, event_ts TIMESTAMP, event_date DATE, journal_index BIGINT");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Lake lake;
    private static final List<Row> ROWS = new ArrayList<>();

    @BeforeAll
    static void silverEvents() {
        spark = Lake.session("clickstream-jobs-test");
        lake = new Lake(dir.resolve("lake").toString());
        event("s0", "c1", "page_view", "APP", "social_oct", "2026-10-20T09:00:00Z", null);
        event("s0b", "c1", "page_view", "WEB", "search_ads", "2026-11-01T10:00:00Z", null);
        event("s1", "c1", "page_view", "WEB", "email_nov", "2026-11-02T10:00:00Z", null);
        event("s1", "c1", "product_view", "WEB", null, "2026-11-02T10:01:00Z", null);
        event("s1", "c1", "add_to_cart", "WEB", null, "2026-11-02T10:02:00Z", null);
        event("s1", "c1", "checkout_start", "WEB", null, "2026-11-02T10:03:00Z", null);
        event("s1", "c1", "purchase", "WEB", null, "2026-11-02T10:04:00Z", "100.00");
        event("s2", "c2", "product_view", "WEB", null, "2026-11-02T11:00:00Z", null);
        event("s2", "c2", "add_to_cart", "WEB", null, "2026-11-02T11:01:00Z", null);
        event("s3", "c3", "product_view", "WEB", null, "2026-11-02T12:00:00Z", null);
        event("s3", "c3", "purchase", "WEB", null, "2026-11-02T12:05:00Z", "30.00 EUR");
        event("s4", "c4", "product_view", "APP", null, "2026-11-02T13:00:00Z", null);
        event("s4", "c4", "add_to_cart", "APP", null, "2026-11-02T13:01:00Z", null);
        event("s4", "c4", "checkout_start", "APP", null, "2026-11-02T13:02:00Z", null);
        event("s5", null, "page_view", "WEB", null, "2026-11-02T14:00:00Z", null);
        spark.createDataFrame(ROWS, EVENTS).write().format("delta").partitionBy("event_date")
            .save(lake.silver("user_events"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void funnelsCountSessionsThatTakeTheStepsInOrder() {
        new ClickstreamJobs(spark, lake).funnels(DAY, List.of(Funnel.PURCHASE));
        final Map<String, Row> steps = new HashMap<>();
        for (final Row row : spark.read().format("delta").load(lake.gold("funnel_daily"))
            .where("event_date = DATE'2026-11-02'").collectAsList()) {
            steps.put(row.getAs("channel") + " " + row.getAs("step_no"), row);
        }
        assertEquals(3L, (long) steps.get("WEB 1").getAs("sessions"), "s1, s2, s3 viewed a product");
        assertEquals(2L, (long) steps.get("WEB 2").getAs("sessions"));
        assertEquals(1L, (long) steps.get("WEB 3").getAs("sessions"));
        assertEquals(1L, (long) steps.get("WEB 4").getAs("sessions"), "s3's purchase skipped the cart");
        assertNull(steps.get("WEB 1").getAs("step_conversion"));
        assertEquals(2.0 / 3, (double) steps.get("WEB 2").getAs("step_conversion"), 1e-12);
        assertEquals(0.5, (double) steps.get("WEB 3").getAs("drop_off"), 1e-12);
        assertEquals(1.0 / 3, (double) steps.get("WEB 4").getAs("from_first"), 1e-12);
        assertEquals(1L, (long) steps.get("APP 3").getAs("sessions"));
        assertEquals(null, steps.get("APP 4"), "nobody on the app bought");
    }

    @Test
    void attributionSharesEachPurchaseAmongItsTouchesWithinTheLookback() {
        final ClickstreamJobs jobs = new ClickstreamJobs(spark, lake);
        jobs.attribution(DAY, 30, 24);
        final Map<String, Double> credit = credits();
        assertEquals(0.4, credit.get("position_based social_oct APP"), 1e-12);
        assertEquals(0.2, credit.get("position_based search_ads WEB"), 1e-12);
        assertEquals(0.4, credit.get("position_based email_nov WEB"), 1e-12);
        assertEquals(1.0, credit.get("first_touch social_oct APP"), 1e-12);
        assertEquals(1.0, credit.get("last_touch email_nov WEB"), 1e-12);
        assertEquals(1.0 / 3, credit.get("linear search_ads WEB"), 1e-12);
        assertEquals(1.0, credit.get("linear (none) DIRECT"), 1e-12, "c3 bought with no touch: direct");
        for (final Row row : spark.read().format("delta").load(lake.gold("attribution_daily"))
            .groupBy("model").agg(org.apache.spark.sql.functions.expr("sum(conversions)")).collectAsList()) {
            assertEquals(2.0, row.getDouble(1), 1e-12, "two conversions, whole, under " + row.getString(0));
        }
        for (final Row row : spark.read().format("delta").load(lake.gold("attribution_daily"))
            .groupBy("model", "currency").agg(org.apache.spark.sql.functions.expr("sum(revenue)")).collectAsList()) {
            final BigDecimal expected = new BigDecimal("USD".equals(row.getString(1)) ? "100.00" : "30.00");
            assertEquals(0, expected.compareTo(row.getDecimal(2)), "all of each purchase's revenue in its own "
                + "currency, never added across currencies, under " + row.getString(0) + ": " + row);
        }

        // in one reporting currency: the EUR purchase converted with the lake's rate of its day, or left out without
        ExchangeRates.load(spark, lake, List.of(new RatesFile.Rate(LocalDate.of(2026, 11, 1), "EUR", "USD",
            new BigDecimal("1.1000"))));
        jobs.attribution(DAY, 30, 24, "USD");
        for (final Row row : spark.read().format("delta").load(lake.gold("attribution_daily"))
            .groupBy("model", "currency").agg(org.apache.spark.sql.functions.expr("sum(revenue)")).collectAsList()) {
            assertEquals("USD", row.getString(1), row.toString());
            assertEquals(0, new BigDecimal("133.00").compareTo(row.getDecimal(2)), "100.00 USD + 30.00 EUR x 1.1 "
                + "under " + row.getString(0) + ": " + row);
        }
        jobs.attribution(DAY, 30, 24, "GBP");
        assertEquals(0, spark.read().format("delta").load(lake.gold("attribution_daily"))
            .where("as_of = DATE'" + DAY + "'").count(), "no rate to GBP: both purchases left out");

        jobs.attribution(DAY, 7, 24);
        final Map<String, Double> week = credits();
        assertEquals(null, week.get("position_based social_oct APP"), "13 days before: outside a 7-day window");
        assertEquals(0.5, week.get("position_based search_ads WEB"), 1e-12);
        assertEquals(0.5, week.get("position_based email_nov WEB"), 1e-12);
    }

    private static Map<String, Double> credits() {
        final Map<String, Double> credit = new HashMap<>();
        for (final Row row : spark.read().format("delta").load(lake.gold("attribution_daily")).collectAsList()) {
            credit.put(row.getAs("model") + " " + row.getAs("campaign") + " " + row.getAs("channel"),
                row.getAs("conversions"));
        }
        return credit;
    }

    private static void event(final String session, final String customer, final String type, final String channel,
        final String campaign, final String ts, final String amount) {
        final Instant at = Instant.parse(ts);
        final String[] money = amount == null ? null : (amount + " USD").split(" "); // "30.00 EUR", or USD
        ROWS.add(RowFactory.create("e" + ROWS.size(), session, customer, type, null, channel, campaign,
            money == null ? null : new BigDecimal(money[0]), money == null ? null : money[1], Timestamp.from(at),
            Date.valueOf(at.atZone(java.time.ZoneOffset.UTC).toLocalDate()), (long) ROWS.size()));
    }
}
