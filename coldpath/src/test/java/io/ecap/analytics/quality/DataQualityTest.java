package io.ecap.analytics.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.lake.Lake;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each kind of check, passing and failing, on small transaction tables. */
class DataQualityTest {
    private static final StructType TRANSACTIONS = (StructType) DataType.fromDDL("txn_id STRING, customer_id STRING,"
        + " merchant_id STRING, amount DECIMAL(18,4), currency STRING, decision STRING, score INT,"
        + " event_ts TIMESTAMP, event_date DATE");
    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 30);
    private static final TableRules RULES = TableRules.SILVER.get(0);

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("data-quality-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void aCleanTableScoresOne() {
        final List<Row> checks = DataQuality.check(RULES, table(days(10, 10), List.of()), AS_OF, Thresholds.DEFAULT);
        assertTrue(checks.stream().allMatch(c -> c.getBoolean(5)), checks.toString());
        assertEquals(1.0, checks.get(0).getDouble(7));
        assertEquals(7 + 4 + 3, checks.size(), "7 columns, 4 rules, key, freshness, volume");
    }

    @Test
    void namesEveryBrokenRule() {
        final List<Row> broken = new ArrayList<>();
        broken.add(txn("t-null", null, "10.00", "USD", AS_OF, 12));
        broken.add(txn("t-neg", "c", "-5.00", "USD", AS_OF, 12));
        broken.add(txn("d0-0", "c", "1.00", "usd", AS_OF, 12));
        final Map<String, Row> failed = failed(DataQuality.check(RULES, table(days(10, 10), broken), AS_OF,
            Thresholds.DEFAULT));
        assertEquals(List.of("completeness(customer_id)", "uniqueness(txn_id)", "validity(amount is not negative)",
            "validity(currency is ISO 4217)"), new ArrayList<>(failed.keySet()));
        assertEquals(1 - 1.0 / 83, failed.get("completeness(customer_id)").getDouble(3), 1e-12);
        assertEquals("1 rows repeat a key", failed.get("uniqueness(txn_id)").getString(6));
        assertEquals(10.0 / 14, failed.get("completeness(customer_id)").getDouble(7), 1e-12, "10 of 14 passed");
    }

    @Test
    void flagsStaleTablesAndVolumeAnomalies() {
        final Map<String, Row> stale = failed(DataQuality.check(RULES, table(days(10, 0), List.of()), AS_OF,
            Thresholds.DEFAULT));
        assertEquals(List.of("freshness", "volume"), new ArrayList<>(stale.keySet()), "nothing on the day");
        final Map<String, Row> spike = failed(DataQuality.check(RULES, table(days(10, 50), List.of()), AS_OF,
            Thresholds.DEFAULT));
        assertEquals(List.of("volume"), new ArrayList<>(spike.keySet()));
        assertEquals(5.0, spike.get("volume").getDouble(3), 1e-12);
        assertTrue(failed(DataQuality.check(RULES, table(days(10, 50), List.of()), AS_OF,
            Thresholds.parse("volume-ratio=6"))).isEmpty(), "a configured bar");
        assertThrows(IllegalArgumentException.class, () -> Thresholds.parse("completeness=2"));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.parse("speed=1"));
    }

    @Test
    void aSparseTableMayGoADayWithoutARow() {
        // a row a day (labels are like this): none on the as-of day, and the newest 47 hours old, happen by chance
        assertTrue(failed(DataQuality.check(RULES, table(days(1, 0), List.of()), AS_OF, Thresholds.DEFAULT))
            .isEmpty());
        assertTrue(DataQuality.plausibleCount(0, 1.3), "P(0) = 0.27");
        assertTrue(DataQuality.plausibleCount(3, 1.3));
        assertTrue(!DataQuality.plausibleCount(0, 10), "P(0) = 0.00005");
        assertTrue(!DataQuality.plausibleCount(50, 10), "far in the upper tail");
        assertTrue(DataQuality.plausibleCount(14, 10));
        assertTrue(!DataQuality.plausibleCount(0, 1000) && !DataQuality.plausibleCount(2000, 1000));
        assertTrue(DataQuality.plausibleCount(1000, 1000) && DataQuality.plausibleCount(1050, 1000));
    }

    private static Map<String, Row> failed(final List<Row> checks) {
        final Map<String, Row> failed = new TreeMap<>();
        for (final Row check : checks) {
            if (!check.getBoolean(5)) {
                failed.put(check.getString(1), check);
            }
        }
        return failed;
    }

    /** {@code perDay} transactions on each of the seven days before the as-of day, {@code onTheDay} on it. */
    private static List<Row> days(final int perDay, final int onTheDay) {
        final List<Row> rows = new ArrayList<>();
        for (int d = 7; d >= 0; d--) {
            for (int i = 0; i < (d == 0 ? onTheDay : perDay); i++) {
                rows.add(txn("d" + d + "-" + i, "c", "1.00", "USD", AS_OF.minusDays(d), 1 + i % 20));
            }
        }
        return rows;
    }

    private static Row txn(final String id, final String customer, final String amount, final String currency,
        final LocalDate day, final int hour) {
        return RowFactory.create(id, customer, "m", new BigDecimal(amount), currency, "APPROVE", 100,
            Timestamp.from(day.atTime(hour, 0).toInstant(java.time.ZoneOffset.UTC)), Date.valueOf(day));
    }

    private static Dataset<Row> table(final List<Row> rows, final List<Row> more) {
        final List<Row> all = new ArrayList<>(rows);
        all.addAll(more);
        return spark.createDataFrame(all, TRANSACTIONS);
    }
}
