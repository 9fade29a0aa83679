package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecap lake drift} against a PSI worked out by hand: one feature moved into the reference's top decile, two
 * others unchanged (one of them missing as often as before).
 */
class DriftTest {
    private static final StructType TRANSACTIONS = (StructType) DataType.fromDDL("txn_id STRING, decision STRING, "
        + "features MAP<STRING, DOUBLE>, event_ts TIMESTAMP, event_date DATE, model_version STRING");
    private static final StructType MODELS = (StructType) DataType.fromDDL("name STRING, version STRING, "
        + "train_from TIMESTAMP, test_from TIMESTAMP, features ARRAY<STRING>, trained_at TIMESTAMP, model_type STRING, "
        + "roc_auc DOUBLE, pr_auc DOUBLE");

    @TempDir
    Path dir;

    private static Row txn(final String id, final Map<String, Double> features, final Instant ts) {
        return RowFactory.create(id, "APPROVE", features, Timestamp.from(ts),
            Date.valueOf(ts.atZone(ZoneOffset.UTC).toLocalDate()), "fraud-lr@2026-10-20.1");
    }

    /** 1,000 transactions over 7 days from {@code first}; the amount of the i-th is {@code amount[i]}. */
    private static List<Row> window(final String prefix, final LocalDate first, final double[] amount) {
        final List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            final Map<String, Double> f = new HashMap<>();
            f.put("txn.amount_usd", amount[i]);
            f.put("card.count_1h", (double) (i % 3));
            f.put("customer.amount_zscore", i % 10 < 3 ? null : 0.5);
            rows.add(txn(prefix + i, f, first.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(i * 600L)));
        }
        return rows;
    }

    private static Row change(final long index, final String at, final String kind, final String name,
        final String version) {
        final Instant ts = Instant.parse(at);
        return RowFactory.create(index, Timestamp.from(ts), Date.valueOf(ts.atZone(ZoneOffset.UTC).toLocalDate()),
            kind, "test", "ecap-model 1\nname " + name + "\nversion " + version + "\ntype logistic\n");
    }

    @Test
    void measuresTheShiftOfEachFeatureAgainstTheModelsTrainingWindowAndFailsAtTheBar() throws Exception {
        final SparkSession spark = Lake.session("drift-test");
        final Lake lake = new Lake(dir.resolve("lake").toString());
        final double[] before = new double[1000];
        final double[] after = new double[1000];
        for (int i = 0; i < 1000; i++) {
            before[i] = i + 1;            // 1 .. 1000: deciles at 100, 200, ..., 900
            after[i] = 950 + i % 50;      // all in the top decile
        }
        final List<Row> rows = window("r-", LocalDate.parse("2026-10-01"), before);
        rows.addAll(window("c-", LocalDate.parse("2026-11-20"), after));
        spark.createDataFrame(rows, TRANSACTIONS).write().format("delta").save(lake.silver("transactions"));
        spark.createDataFrame(List.of(RowFactory.create("fraud-lr", "2026-10-20.1",
                Timestamp.from(Instant.parse("2026-10-01T00:00:00Z")), Timestamp.from(Instant.parse(
                    "2026-10-11T00:00:00Z")), List.of("txn.amount_usd", "card.count_1h", "customer.amount_zscore"),
                Timestamp.from(Instant.parse("2026-10-20T12:00:00Z")), "logistic", 0.95, 0.61),
                // trained later and never live (not promoted): the default is the model deciding, not the newest
                RowFactory.create("fraud-gbt", "2026-11-25.1", Timestamp.from(Instant.parse("2026-11-20T00:00:00Z")),
                    Timestamp.from(Instant.parse("2026-11-24T00:00:00Z")), List.of("card.count_1h"),
                    Timestamp.from(Instant.parse("2026-11-25T12:00:00Z")), "gbt", 0.97, 0.66)), MODELS)
            .write().format("delta").save(lake.gold("fraud_models"));

        final LakeMainTest.Outcome out = LakeMainTest.exec("drift", "--lake", lake.root(), "--as-of", "2026-11-26",
            "--days", "7");
        assertEquals(1, out.code(), out.out() + out.err());
        assertTrue(out.out().contains("drift: fraud-lr@2026-10-20.1, trained on 2026-10-01 to 2026-10-11 (1,000 "
            + "transactions) against 2026-11-20 to 2026-11-26 (1,000): 3 features, 2 stable, 0 moderate, 1 large"),
            out.out());
        assertTrue(out.out().contains("at or over the bar of PSI 0.25: txn.amount_usd"), out.out());

        // by hand: reference bins [1,100) 99 rows, [100,200) ... [800,900) 100 each, [900,1000] 101; current all in
        // the last; empty bins count as 1e-4
        double expected = (1.0 - 0.101) * Math.log(1.0 / 0.101) + (1e-4 - 0.099) * Math.log(1e-4 / 0.099);
        for (int bin = 1; bin <= 8; bin++) {
            expected += (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
        }
        final Map<String, Row> drift = new HashMap<>();
        // the lake command stopped its Spark session at the end: a new one reads what it wrote
        for (final Row r : Lake.session("drift-test").read().format("delta").load(lake.gold("feature_drift"))
            .where("as_of = DATE'2026-11-26'").collectAsList()) {
            drift.put(r.getAs("feature"), r);
        }
        assertEquals(3, drift.size());
        assertEquals(expected, drift.get("txn.amount_usd").<Double>getAs("psi"), 1e-9);
        assertEquals("large", drift.get("txn.amount_usd").getAs("band"));
        assertEquals(0.0, drift.get("card.count_1h").<Double>getAs("psi"), 1e-12, "the same mix of 0, 1 and 2");
        assertEquals(0.0, drift.get("customer.amount_zscore").<Double>getAs("psi"), 1e-12, "missing as often");
        assertEquals(1000L, drift.get("txn.amount_usd").<Long>getAs("current_rows"));

        // the report draws the features that moved most, with the model and how many moved how far
        final io.ecap.model.report.Chart chart = new ReportJob(Lake.session("drift-test"), lake, Map.of(), null)
            .driftChart();
        assertEquals("fraud-lr@2026-10-20.1, trained on 2026-10-01 to 2026-10-11, against 2026-11-20 to 2026-11-26: 3 "
            + "features, 2 stable (PSI below 0.10), 0 moderate, 1 large (0.25 and over: the model sees other traffic "
            + "than it learned from); the 3 that moved most", chart.note());
        assertEquals("txn.amount_usd", chart.bars().get(0).label(), "the largest shift first");
        assertEquals(expected, chart.bars().get(0).values().get(0), 1e-9);
        assertEquals(3, chart.bars().size());

        final LakeMainTest.Outcome relaxed = LakeMainTest.exec("drift", "--lake", lake.root(), "--as-of",
            "2026-11-26", "--max-psi", "100");
        assertEquals(0, relaxed.code(), relaxed.out() + relaxed.err());
        final LakeMainTest.Outcome unknown = LakeMainTest.exec("drift", "--lake", lake.root(), "--model",
            "fraud-lr@nope");
        assertEquals(2, unknown.code(), "a model that is not there is a usage error");
        assertTrue(unknown.err().contains("no model fraud-lr@nope in gold/fraud_models"), unknown.err());
        final LakeMainTest.Outcome bad = LakeMainTest.exec("drift", "--lake", lake.root(), "--max-psi", "-1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--max-psi: expected a number above 0"), bad.err());
        // ecap lake models: the registry with the roles the journal gives them
        final StructType config = (StructType) DataType.fromDDL("journal_index BIGINT, event_ts TIMESTAMP, "
            + "event_date DATE, kind STRING, actor STRING, text STRING");
        Lake.session("drift-test").createDataFrame(List.of(
                change(5, "2026-10-21T08:00:00Z", "model", "fraud-gbt", "2026-11-25.1"),
                change(10, "2026-11-01T09:30:00Z", "model", "fraud-lr", "2026-10-20.1"),
                change(12, "2026-11-26T10:00:00Z", "shadow-model", "fraud-gbt", "2026-11-25.1")), config)
            .write().format("delta").save(lake.bronze("config_changes"));
        final LakeMainTest.Outcome models = LakeMainTest.exec("models", "--lake", lake.root());
        assertEquals(0, models.code(), models.out() + models.err());
        final List<String> lines = models.out().lines().toList();
        assertTrue(lines.get(0).startsWith("models: 2 in gold/fraud_models, newest first"), models.out());
        assertTrue(lines.get(1).startsWith("  fraud-gbt@2026-11-25.1") && lines.get(1).endsWith(
            "challenger since 2026-11-26T10:00:00Z"), models.out());
        assertTrue(lines.get(2).startsWith("  fraud-lr@2026-10-20.1") && lines.get(2).contains("PR-AUC")
            && lines.get(2).endsWith("live since 2026-11-01T09:30:00Z"), models.out());
        for (final String days : new String[] {"0", "367", "week"}) {
            final LakeMainTest.Outcome wrong = LakeMainTest.exec("drift", "--lake", lake.root(), "--days", days);
            assertEquals(2, wrong.code(), days);
            assertTrue(wrong.err().contains("--days: expected a whole number of days from 1 to 366, found '" + days
                + "'"), wrong.err());
        }
    }
}
