package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.analytics.rfm.Rfm;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which payments count as purchases: the decisions chosen, on or before the as-of day; every transaction left out is
 * counted with its reason; money in the reporting currency, converted with the lake's dated rates. Transactions
 * written inline, the expected counts and amounts worked out by hand.
 */
class PurchasesTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 1, 31);

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Lake lake;

    @BeforeAll
    static void silver() {
        spark = Lake.session("purchases-test");
        lake = new Lake(dir.resolve("lake").toString());
        silver(lake, List.of(
            "('t1', 'c1', 'APPROVE', '2026-01-05', 'USD', 10.00)", "('t2', 'c1', 'REVIEW', '2026-01-10', 'USD', 20.00)",
            "('t3', 'c2', 'APPROVE', '2026-01-07', 'USD', 30.00)", "('t4', 'c2', 'DECLINE', '2026-01-08', 'USD', 900)",
            "('t5', 'c3', 'APPROVE', '2026-01-20', 'USD', 40.00)", "('t6', 'c3', 'REVIEW', '2026-01-21', 'USD', 50.00)",
            "('t7', 'c3', 'APPROVE', '2026-02-03', 'USD', 60.00)"));
    }

    /** Silver transactions from SQL value tuples (txn, customer, decision, day, currency, amount). */
    private static void silver(final Lake into, final List<String> values) {
        spark.sql(String.join("\n", "SELECT txn_id, customer_id, decision, DATE(event_date) AS event_date, currency,",
            "  CAST(amount AS DECIMAL(18,4)) AS amount, map('txn.amount_usd', 1.0D) AS features FROM VALUES",
            String.join(", ", values), "AS t(txn_id, customer_id, decision, event_date, currency, amount)"))
            .write().format("delta").partitionBy("event_date").save(into.silver("transactions"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void shouldCountOnlyApprovedPaymentsByDefaultAndSayWhatItLeftOut() {
        final Purchases purchases = Purchases.of(spark, lake, "rfm", PurchaseRules.DEFAULT, AS_OF);
        assertEquals(3, purchases.counted());
        assertEquals(3, purchases.rows().count());
        assertEquals(List.of("1 after the as-of day", "1 decision DECLINE", "2 decision REVIEW"),
            purchases.excluded());
        assertEquals("3 transactions count as purchases (decisions APPROVE, up to 2026-01-31, in USD); excluded: 1 "
            + "after the as-of day, 1 decision DECLINE, 2 decision REVIEW", purchases.describe(PurchaseRules.DEFAULT));
        assertEquals(LocalDate.of(2026, 2, 3), Purchases.of(spark, lake, "rfm", PurchaseRules.DEFAULT, null)
            .asOf(), "without --as-of: the last day with a purchase counted");
    }

    @Test
    void shouldCountTheOutcomesChosen() {
        final PurchaseRules outcomes = PurchaseRules.parse("approve, REVIEW", null);
        assertEquals(Set.of("APPROVE", "REVIEW"), outcomes.outcomes());
        final Purchases purchases = Purchases.of(spark, lake, "rfm", outcomes, AS_OF);
        assertEquals(5, purchases.counted());
        assertEquals(List.of("1 after the as-of day", "1 decision DECLINE"), purchases.excluded());

        new RfmJob(spark, lake).run(AS_OF, outcomes);
        final List<Row> monetary = spark.read().format("delta").load(lake.gold("customer_segments"))
            .selectExpr("customer_id", "frequency", "monetary", "currency").orderBy("customer_id").collectAsList();
        assertEquals("[[c1,2,30.0000,USD], [c2,1,30.0000,USD], [c3,2,90.0000,USD]]", monetary.toString(),
            "c1 10 + 20 (REVIEW), c2 30 (its DECLINE left out), c3 40 + 50 (REVIEW; February after the as-of day)");
        assertEquals("[[recency_days,1,24,24,1], [recency_days,3,21,21,1], [recency_days,5,10,10,1], "
            + "[frequency,1,1,1,1], [frequency,3,2,2,2], [monetary,1,30.0000,30.0000,2], "
            + "[monetary,5,90.0000,90.0000,1]]", Rfm.cutPoints(spark.read().format("delta")
                .load(lake.gold("customer_segments"))).collectAsList().toString(),
            "recency as of 01-31: c2 24 days (worst: R 1), c1 21 (R 1 + 5 * 1/2 = 3), c3 10 (R 5); frequency 1 for c2,"
                + " 2 for c1 and c3 (tied at percent rank 1/2: F 3); monetary 30 for c1 and c2 (tied, M 1), 90 (M 5)");
    }

    @Test
    void shouldConvertWithTheRateOfTheDayOrTheLastBeforeItAndLeaveOutWhatHasNoRate() throws Exception {
        final Lake shop = new Lake(dir.resolve("shop").toString());
        silver(shop, List.of(
            "('g1', 'c1', 'APPROVE', '2011-01-03', 'GBP', 10.00)",
            "('g2', 'c1', 'APPROVE', '2011-01-04', 'EUR', 20.00)",
            "('g3', 'c2', 'APPROVE', '2011-01-08', 'EUR', 33.33)",
            "('g4', 'c2', 'APPROVE', '2011-01-05', 'USD', 50.00)",
            "('g5', 'c3', 'APPROVE', '2011-01-05', 'JPY', 1000)",
            "('g6', 'c3', 'APPROVE', '2011-01-02', 'EUR', 5.00)"));
        final String several = assertThrows(IllegalArgumentException.class, () -> Purchases.of(spark, shop, "rfm",
            PurchaseRules.DEFAULT, null)).getMessage();
        assertTrue(several.startsWith("--currency: the purchases are in 4 currencies (EUR, GBP, JPY, USD); name the "
            + "reporting currency"), several);

        final Path file = dir.resolve("rates.csv");
        Files.writeString(file, String.join("\n", "date,from,to,rate", "2011-01-04,EUR,GBP,0.8532",
            "2011-01-07,EUR,GBP,0.8401", "2011-01-05,USD,GBP,0.6455", "2011-01-10,EUR,GBP,0.9999", ""));
        assertEquals(4, ExchangeRates.load(spark, shop, RatesFile.read(file.toString())));
        final PurchaseRules gbp = PurchaseRules.parse(null, " gbp");
        assertEquals("GBP", gbp.currency(), "on the command line the case of a code does not matter");
        final LocalDate asOf = LocalDate.of(2011, 1, 10);
        final Purchases purchases = Purchases.of(spark, shop, "rfm", gbp, asOf);
        assertEquals(List.of("1 no EUR->GBP rate on or before their day", "1 no JPY->GBP rate on or before their day"),
            purchases.excluded());
        assertEquals("[[c1,2011-01-03,10.0000], [c1,2011-01-04,17.0600], [c2,2011-01-05,32.2800], "
            + "[c2,2011-01-08,28.0000]]", purchases.rows().select("customer_id", "purchase_date", "amount")
                .orderBy("customer_id", "purchase_date").collectAsList()
                .toString(), "10.00 GBP; 20.00 EUR x 0.8532 = 17.064; 50.00 USD x 0.6455 = 32.275, half up; "
                + "33.33 EUR on a Saturday x Friday's 0.8401 = 28.000533");

        new RfmJob(spark, shop).run(asOf, gbp);
        assertEquals("[[c1,27.0600,GBP], [c2,60.2800,GBP]]", spark.read().format("delta")
            .load(shop.gold("customer_segments")).selectExpr("customer_id", "monetary", "currency")
            .orderBy("customer_id").collectAsList().toString());
        assertEquals(new BigDecimal("87.3400"), spark.read().format("delta").load(shop.gold("segment_sizes"))
            .selectExpr("sum(revenue)").first().getDecimal(0), "decimal from silver to gold");
    }

    @Test
    void shouldRefuseAnOutcomeThatIsNotADecision() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Purchases.parseOutcomes("APPROVE,MAYBE"));
        assertEquals("--include-outcomes: expected decisions among APPROVE, REVIEW, DECLINE separated by commas, "
            + "found 'MAYBE'", e.getMessage());
    }
}
