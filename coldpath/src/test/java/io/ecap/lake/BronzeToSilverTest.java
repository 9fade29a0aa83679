package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silver from bronze (transactions, labels, user events, sessions, the daily catalogue) and gold from silver: types,
 * checks, quarantine, de-duplication, reruns (local[*]).
 */
class BronzeToSilverTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("bronze-to-silver-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void typesChecksDeduplicatesAndQuarantinesOnceHoweverOftenItRuns() throws Exception {
        final Lake lake = bronzeFrom("lake",
            txn(1, "t-1", "12.50", "USD", "APPROVE"),
            txn(2, "t-2", "abc", "USD", "APPROVE"),
            txn(3, "t-3", "7.00", "usd", "REVIEW"),
            txn(4, "t-4", "99.99", "EUR", "MAYBE"),
            txn(5, "t-1", "12.50", "USD", "APPROVE"),
            label(6, "t-1", "FRAUD", "CHARGEBACK"),
            label(7, "t-1", "FRAUD", "CHARGEBACK"),
            label(8, "t-3", "maybe", "ANALYST"));

        final BronzeToSilver silver = new BronzeToSilver(spark, lake);
        assertEquals(1, silver.run());
        assertEquals(1, silver.run(), "a rerun changes nothing");

        final Row t1 = spark.read().format("delta").load(lake.silver("transactions")).first();
        assertEquals("t-1", t1.getAs("txn_id"));
        assertEquals(0, new BigDecimal("12.5").compareTo(t1.getAs("amount")), "amount typed as a decimal");
        assertEquals(1L, (long) t1.getAs("journal_index"), "of two entries for t-1, the first wins");

        final List<String> reasons = spark.read().format("delta").load(lake.silver("quarantine"))
            .orderBy("journal_index").selectExpr("concat(target_table, ' ', journal_index, ': ', reason)")
            .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
        assertEquals(List.of("transactions 2: amount is not a number: abc",
            "transactions 3: currency is not ISO 4217: usd",
            "transactions 4: decision is unknown: MAYBE",
            "labels 8: label is unknown: maybe"), reasons);
        assertTrue(spark.read().format("delta").load(lake.silver("quarantine")).where("raw LIKE '%\"abc\"%'")
            .count() == 1, "the quarantined row keeps the entry as written");
        assertEquals(1, spark.read().format("delta").load(lake.silver("labels")).count(),
            "one label per transaction and source");
    }

    @Test
    void readsOnlyWhatBronzeGainedSinceTheLastRun() throws Exception {
        final Lake lake = bronzeFrom("lake-increments",
            txn(1, "t-1", "12.50", "USD", "APPROVE"),
            txn(2, "t-2", "abc", "USD", "APPROVE"),
            label(3, "t-1", "FRAUD", "CHARGEBACK"));
        final BronzeToSilver silver = new BronzeToSilver(spark, lake);
        assertEquals(1, silver.run());
        final long transactions = version(lake.silver("transactions"));
        final long quarantine = version(lake.silver("quarantine"));
        assertEquals(2, new SilverMarks(spark, lake).taken("decisions"), "each table's mark: its newest index taken");
        assertEquals(3, new SilverMarks(spark, lake).taken("labels"));

        assertEquals(1, silver.run());
        assertEquals(transactions, version(lake.silver("transactions")), "nothing new: no commit to silver");
        assertEquals(quarantine, version(lake.silver("quarantine")));

        load(lake, 4, txn(4, "t-1", "99.00", "USD", "DECLINE"), txn(5, "t-3", "5.00", "USD", "APPROVE"));
        assertEquals(2, silver.run(), "the new transaction, and not the second t-1");
        assertEquals(1L, (long) spark.read().format("delta").load(lake.silver("transactions"))
            .where("txn_id = 't-1'").first().getAs("journal_index"), "the first entry still wins");
        assertEquals(5, new SilverMarks(spark, lake).taken("decisions"));

        // a lost mark: bronze is read whole again, and nothing lands twice
        Files.delete(Path.of(lake.checkpoint("silver"), "decisions"));
        assertEquals(2, silver.run());
        assertEquals(1, spark.read().format("delta").load(lake.silver("quarantine")).count());
    }

    private static long version(final String path) {
        return (long) io.delta.tables.DeltaTable.forPath(spark, path).history(1).first().getAs("version");
    }

    @Test
    void goldCountsOutcomesPerMerchantAndDayAndConfirmedFraudOnceLabelsArrive() throws Exception {
        final Lake lake = bronzeFrom("lake-gold",
            txn(1, "t-a", "10.00", "USD", "APPROVE"),
            txn(2, "t-b", "20.00", "USD", "DECLINE"),
            txn(3, "t-c", "30.00", "USD", "REVIEW"),
            txn(7, "t-d", "5.25", "EUR", "APPROVE"),
            label(4, "t-a", "LEGIT", "ANALYST"),
            label(5, "t-b", "FRAUD", "CHARGEBACK"),
            label(6, "t-b", "FRAUD", "ANALYST"));
        new BronzeToSilver(spark, lake).run();
        assertEquals(1, new SilverToGold(spark, lake).run());
        final Row kpi = spark.read().format("delta").load(lake.gold("fraud_kpis_daily")).first();
        assertEquals("m-1", kpi.getAs("merchant_id"));
        assertEquals(4L, (long) kpi.getAs("transactions"));
        final scala.collection.Map<String, java.math.BigDecimal> amounts = kpi.getMap(kpi.fieldIndex(
            "amount_by_currency"));
        assertEquals(2, amounts.size(), "one sum per currency, never added across currencies");
        assertEquals(0, new java.math.BigDecimal("60.00").compareTo(amounts.apply("USD")), amounts.toString());
        assertEquals(0, new java.math.BigDecimal("5.25").compareTo(amounts.apply("EUR")), amounts.toString());
        assertEquals(1L, (long) kpi.getAs("declined"));
        assertEquals(1L, (long) kpi.getAs("reviewed"));
        assertEquals(1.0 / 4, (double) kpi.getAs("decline_rate"), 1e-9);
        assertEquals(2L, (long) kpi.getAs("labelled"), "t-a and t-b; t-b's two labels count once");
        assertEquals(0.5, (double) kpi.getAs("confirmed_fraud_rate"), 1e-9);
        final Row risk = spark.read().format("delta").load(lake.gold("merchant_risk_daily")).first();
        assertEquals("unrated", risk.getAs("risk_band"), "4 payments are too few to band a merchant");
        assertEquals(2.0 / 4, (double) risk.getAs("flagged_share"), 1e-9);
        assertEquals(1L, (long) risk.getAs("confirmed_fraud_30d"));
    }

    /** A day's risk band is that of the 30 days ending on it, by the report's rule (MerchantRisk). */
    @Test
    void merchantRiskBandsTheThirtyDaysEndingEachDay() throws Exception {
        final List<String> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            final String day = i < 20 ? "2026-10-01" : i < 40 ? "2026-10-20" : "2026-11-25";
            entries.add(txnOn(day, i + 1, "r-" + i, "10.00", "USD", i % 5 < 2 ? "DECLINE" : "APPROVE"));
        }
        final Lake lake = bronzeFrom("lake-risk", entries.toArray(String[]::new));
        new BronzeToSilver(spark, lake).run();
        new SilverToGold(spark, lake).run();
        final List<String> bands = spark.read().format("delta").load(lake.gold("merchant_risk_daily"))
            .orderBy("event_date")
            .selectExpr("concat(event_date, ' ', payments_30d, ' ', declined_30d, ' ', risk_band)")
            .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
        assertEquals(List.of("2026-10-01 20 8 unrated", "2026-10-20 40 16 high", "2026-11-25 20 8 unrated"), bands,
            "40% declined over 40 payments is at least 26% with 95% confidence; 20 payments are too few");
    }

    /** A lake under {@code name} whose bronze holds these journal entries (staged as one file, then loaded). */
    private Lake bronzeFrom(final String name, final String... entries) throws Exception {
        final Lake lake = new Lake(dir.resolve(name).toString());
        load(lake, 1, entries);
        return lake;
    }

    /** Stages entries {@code first}.. as one file, as the exporter would, and loads them into bronze. */
    private static void load(final Lake lake, final long first, final String... entries) throws Exception {
        final Path staging = Files.createDirectories(Path.of(lake.staging()));
        Files.writeString(staging.resolve(String.format("%016x-%016x.jsonl", first, first + entries.length - 1)),
            String.join("\n", entries) + "\n", StandardCharsets.UTF_8);
        new JournalToBronze(spark, lake).runOnce();
    }

    @Test
    void buildsSessionsFromCleanEventsAndReplacesOnlyTheSessionsThatGrew() throws Exception {
        final Lake lake = bronzeFrom("lake-sessions",
            event(1, "e-1", "s-1", null, "page_view", "10:00:00", ",\"campaign\":\"spring\""),
            event(2, "e-2", "s-1", null, "product_view", "10:01:00", ""),
            event(3, "e-3", "s-1", "c-1", "add_to_cart", "10:02:00", ""),
            event(4, "e-4", "s-1", "c-1", "checkout_start", "10:03:00", ",\"campaign\":\"later\""),
            event(5, "e-5", "s-1", "c-1", "purchase", "10:04:00", ",\"amount\":\"25.50\",\"currency\":\"USD\""),
            event(6, "e-1", "s-1", null, "page_view", "10:00:00", ",\"campaign\":\"spring\""),
            event(7, "e-6", "s-2", "c-2", "page_view", "11:00:00", ""),
            event(8, "e-7", "s-2", "c-2", "hover", "11:01:00", ""),
            event(9, "e-8", "s-2", "c-2", "purchase", "11:02:00", ",\"amount\":\"abc\",\"currency\":\"USD\""));
        new BronzeToSilver(spark, lake).run();
        assertEquals(6, spark.read().format("delta").load(lake.silver("user_events")).count(),
            "nine entries, e-1 twice, two quarantined");
        assertEquals(List.of("user_events 8: event_type is unknown: hover",
            "user_events 9: amount is not a non-negative number: abc"), quarantined(lake, "user_events"));
        final Row first = session(lake, "s-1");
        assertEquals("c-1", first.getAs("customer_id"));
        assertEquals("spring", first.getAs("campaign"), "the first campaign touch");
        assertEquals("WEB", first.getAs("channel"));
        assertEquals(240L, (long) first.getAs("duration_seconds"));
        assertEquals(5L, (long) first.getAs("events"));
        assertEquals(1L, (long) first.getAs("add_to_carts"));
        assertEquals(true, first.getAs("converted"));
        assertEquals(new BigDecimal("25.5"), ((BigDecimal) first.getAs("revenue")).stripTrailingZeros());
        assertEquals(false, session(lake, "s-2").getAs("converted"));

        load(lake, 10, event(10, "e-9", "s-2", "c-2", "purchase", "11:30:00",
            ",\"amount\":\"9.99\",\"currency\":\"EUR\""));
        new BronzeToSilver(spark, lake).run();
        final Row grown = session(lake, "s-2");
        assertEquals(true, grown.getAs("converted"));
        assertEquals("EUR", grown.getAs("currency"));
        assertEquals(1800L, (long) grown.getAs("duration_seconds"));
        assertEquals((Object) first.getAs("updated_at"), session(lake, "s-1").getAs("updated_at"),
            "an unchanged session is not rewritten");
    }

    @Test
    void keepsTheCatalogueAsOfEachDayCarryingFieldsAnUpdateLeavesOut() throws Exception {
        final Lake lake = bronzeFrom("lake-catalog",
            update(1, "p-1", "2026-11-01T10:00:00Z", "\"price\":\"4.00\",\"currency\":\"USD\",\"stock\":10,"
                + "\"category\":\"garden\""),
            update(2, "p-1", "2026-11-01T15:00:00Z", "\"stock\":8"),
            update(3, "p-2", "2026-11-02T09:00:00Z", "\"stock\":3,\"category\":\"toys\""),
            update(4, "p-1", "2026-11-03T09:00:00Z", "\"price\":\"5.00\",\"currency\":\"USD\""),
            update(5, "p-3", "2026-11-03T09:00:00Z", "\"price\":\"-1\",\"currency\":\"USD\""));
        new BronzeToSilver(spark, lake).run();
        assertEquals(List.of("product_updates 5: price is not a non-negative number: -1"),
            quarantined(lake, "product_updates"));
        final List<String> days = spark.read().format("delta").load(lake.silver("product_catalog_daily"))
            .orderBy("product_id", "event_date")
            .selectExpr("concat_ws(' ', product_id, event_date, coalesce(CAST(price AS STRING), '-'), stock, category)")
            .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
        assertEquals(List.of("p-1 2026-11-01 4.0000 8 garden", "p-1 2026-11-02 4.0000 8 garden",
            "p-1 2026-11-03 5.0000 8 garden", "p-2 2026-11-02 - 3 toys", "p-2 2026-11-03 - 3 toys"), days);
    }

    private List<String> quarantined(final Lake lake, final String table) {
        return spark.read().format("delta").load(lake.silver("quarantine")).where("target_table = '" + table + "'")
            .orderBy("journal_index").selectExpr("concat(target_table, ' ', journal_index, ': ', reason)")
            .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
    }

    private Row session(final Lake lake, final String id) {
        return spark.read().format("delta").load(lake.silver("sessions")).where("session_id = '" + id + "'").first();
    }

    private static String event(final long index, final String eventId, final String sessionId,
        final String customerId, final String type, final String time, final String more) {
        final String ts = "2026-11-02T" + time + "Z";
        return "{\"index\":" + index + ",\"type\":\"user-event\",\"ts\":\"" + ts + "\",\"event\":{\"eventId\":\""
            + eventId + "\",\"ts\":\"" + ts + "\",\"type\":\"" + type + "\",\"sessionId\":\"" + sessionId + "\""
            + (customerId == null ? "" : ",\"customerId\":\"" + customerId + "\"") + ",\"channel\":\"WEB\"" + more
            + "}}";
    }

    private static String update(final long index, final String productId, final String ts, final String fields) {
        return "{\"index\":" + index + ",\"type\":\"product-update\",\"ts\":\"" + ts + "\",\"update\":{"
            + "\"productId\":\"" + productId + "\",\"ts\":\"" + ts + "\"," + fields + "}}";
    }

    private static String txn(final long index, final String txnId, final String amount, final String currency,
        final String decision) {
        return txnOn("2026-11-02", index, txnId, amount, currency, decision);
    }

    private static String txnOn(final String day, final long index, final String txnId, final String amount,
        final String currency, final String decision) {
        return "{\"index\":" + index + ",\"type\":\"scored\",\"ts\":\"" + day + "T10:00:00Z\",\"transaction\":{"
            + "\"txnId\":\"" + txnId + "\",\"customerId\":\"c-1\",\"merchantId\":\"m-1\",\"amount\":\"" + amount
            + "\",\"currency\":\"" + currency + "\",\"channel\":\"WEB\"},\"decision\":{\"txnId\":\"" + txnId
            + "\",\"decision\":\"" + decision + "\",\"score\":100,\"reasons\":[],\"ruleSetVersion\":\"r@1\","
            + "\"modelVersion\":\"none\"},\"features\":{\"txn.amount_usd\":1.0}}";
    }

    private static String label(final long index, final String txnId, final String label, final String source) {
        return "{\"index\":" + index + ",\"type\":\"label\",\"ts\":\"2026-11-05T08:00:00Z\",\"label\":{\"txnId\":\""
            + txnId + "\",\"label\":\"" + label + "\",\"source\":\"" + source + "\"}}";
    }
}
