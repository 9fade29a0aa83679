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

/** Silver transactions and labels from bronze: types, checks, quarantine, de-duplication, reruns (local[*]). */
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
    void goldCountsOutcomesPerMerchantAndDayAndConfirmedFraudOnceLabelsArrive() throws Exception {
        final Lake lake = bronzeFrom("lake-gold",
            txn(1, "t-a", "10.00", "USD", "APPROVE"),
            txn(2, "t-b", "20.00", "USD", "DECLINE"),
            txn(3, "t-c", "30.00", "USD", "REVIEW"),
            label(4, "t-a", "LEGIT", "ANALYST"),
            label(5, "t-b", "FRAUD", "CHARGEBACK"),
            label(6, "t-b", "FRAUD", "ANALYST"));
        new BronzeToSilver(spark, lake).run();
        assertEquals(1, new SilverToGold(spark, lake).run());
        final Row kpi = spark.read().format("delta").load(lake.gold("fraud_kpis_daily")).first();
        assertEquals("m-1", kpi.getAs("merchant_id"));
        assertEquals(3L, (long) kpi.getAs("transactions"));
        assertEquals(3.0, (double) kpi.getAs("amount_usd"), 1e-9, "the engine's USD amounts (1.0 each here)");
        assertEquals(1L, (long) kpi.getAs("declined"));
        assertEquals(1L, (long) kpi.getAs("reviewed"));
        assertEquals(1.0 / 3, (double) kpi.getAs("decline_rate"), 1e-9);
        assertEquals(2L, (long) kpi.getAs("labelled"), "t-a and t-b; t-b's two labels count once");
        assertEquals(0.5, (double) kpi.getAs("confirmed_fraud_rate"), 1e-9);
        final Row risk = spark.read().format("delta").load(lake.gold("merchant_risk_daily")).first();
        assertEquals("high", risk.getAs("risk_band"), "half the labelled transactions are fraud");
        assertEquals(2.0 / 3, (double) risk.getAs("flagged_share"), 1e-9);
    }

    /** A lake under {@code name} whose bronze holds these journal entries (staged as one file, then loaded). */
    private Lake bronzeFrom(final String name, final String... entries) throws Exception {
        final Lake lake = new Lake(dir.resolve(name).toString());
        final Path staging = Files.createDirectories(dir.resolve(name).resolve("_journal"));
        Files.writeString(staging.resolve(String.format("%016x-%016x.jsonl", 1, entries.length)),
            String.join("\n", entries) + "\n", StandardCharsets.UTF_8);
        new JournalToBronze(spark, lake).runOnce();
        return lake;
    }

    private static String txn(final long index, final String txnId, final String amount, final String currency,
        final String decision) {
        return "{\"index\":" + index + ",\"type\":\"scored\",\"ts\":\"2026-11-02T10:00:00Z\",\"transaction\":{"
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
