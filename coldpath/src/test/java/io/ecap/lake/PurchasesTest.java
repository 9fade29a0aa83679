package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * counted with its reason. Seven transactions written inline, the expected counts worked out by hand.
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
        spark.sql(String.join("\n", "SELECT customer_id, decision, DATE(event_date) AS event_date,",
            "  map('txn.amount_usd', usd) AS features FROM VALUES",
            "  ('c1', 'APPROVE', '2026-01-05', 10.0D), ('c1', 'REVIEW', '2026-01-10', 20.0D),",
            "  ('c2', 'APPROVE', '2026-01-07', 30.0D), ('c2', 'DECLINE', '2026-01-08', 900.0D),",
            "  ('c3', 'APPROVE', '2026-01-20', 40.0D), ('c3', 'REVIEW', '2026-01-21', 50.0D),",
            "  ('c3', 'APPROVE', '2026-02-03', 60.0D)",
            "  AS t(customer_id, decision, event_date, usd)"))
            .write().format("delta").partitionBy("event_date").save(lake.silver("transactions"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void shouldCountOnlyApprovedPaymentsByDefaultAndSayWhatItLeftOut() {
        final Purchases purchases = Purchases.of(spark, lake, "rfm", Purchases.DEFAULT_OUTCOMES, AS_OF);
        assertEquals(3, purchases.counted());
        assertEquals(3, purchases.rows().count());
        assertEquals(List.of("1 after the as-of day", "1 decision DECLINE", "2 decision REVIEW"),
            purchases.excluded());
        assertEquals("3 transactions count as purchases (decisions APPROVE, up to 2026-01-31); excluded: 1 after the"
            + " as-of day, 1 decision DECLINE, 2 decision REVIEW", purchases.describe(Purchases.DEFAULT_OUTCOMES));
        assertEquals(LocalDate.of(2026, 2, 3), Purchases.of(spark, lake, "rfm", Purchases.DEFAULT_OUTCOMES, null)
            .asOf(), "without --as-of: the last day with a purchase counted");
    }

    @Test
    void shouldCountTheOutcomesChosen() {
        final Set<String> outcomes = Purchases.parseOutcomes("approve, REVIEW");
        assertEquals(Set.of("APPROVE", "REVIEW"), outcomes);
        final Purchases purchases = Purchases.of(spark, lake, "rfm", outcomes, AS_OF);
        assertEquals(5, purchases.counted());
        assertEquals(List.of("1 after the as-of day", "1 decision DECLINE"), purchases.excluded());

        new RfmJob(spark, lake).run(AS_OF, outcomes);
        final List<Row> monetary = spark.read().format("delta").load(lake.gold("customer_segments"))
            .selectExpr("customer_id", "frequency", "CAST(monetary AS DOUBLE)").orderBy("customer_id")
            .collectAsList();
        assertEquals("[[c1,2,30.0], [c2,1,30.0], [c3,2,90.0]]", monetary.toString(),
            "c1 10 + 20 (REVIEW), c2 30 (its DECLINE left out), c3 40 + 50 (REVIEW; February after the as-of day)");
    }

    @Test
    void shouldRefuseAnOutcomeThatIsNotADecision() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Purchases.parseOutcomes("APPROVE,MAYBE"));
        assertEquals("--include-outcomes: expected decisions among APPROVE, REVIEW, DECLINE separated by commas, "
            + "found 'MAYBE'", e.getMessage());
    }
}
