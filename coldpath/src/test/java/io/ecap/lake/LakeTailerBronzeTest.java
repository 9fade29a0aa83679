package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake tailer ({@code ecap lake-tailer}: Delta Kernel, in a child JVM with its own classpath) against the Spark
 * loader ({@code export-lake} + {@code journal-to-bronze}) on the same journal: killed before a commit (its Parquet
 * files written), then between two tables' commits, and run again, it holds every entry exactly once, with the same
 * values in every column as Spark's loader wrote; Spark reads its tables; and the two loaders can take turns on one
 * lake without a duplicate.
 */
class LakeTailerBronzeTest {
    private static final String TAILER = "io.ecap.tailer.LakeTailerMain";
    private static final String OPS = "io.ecap.ops.Ecap";

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Path data;

    @BeforeAll
    static void journal() throws Exception {
        data = dir.resolve("demo");
        assertEquals(0, run("ops", OPS, List.of(), "demo", "--data", data.toString(), "--seconds", "1", "--warmup",
            "0", "--rate", "1000", "--no-lake"));
        spark = Lake.session("lake-tailer-test");
        new Lake(dir.toString()).fitSession(spark); // a small lake: no code generation, as the commands run it
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void killedBetweenTablesItEndsWithEveryEntryOnceAsSparksLoaderWouldAndTheTwoTakeTurns() throws Exception {
        final Lake tailed = new Lake(data.resolve("lake").toString());
        final Lake spark1 = new Lake(dir.resolve("spark-lake").toString());

        // killed with the decisions' Parquet files written and not committed: orphans, not part of the table
        assertEquals(3, run("lake-tailer", TAILER, List.of("-Decap.tailer.haltBefore=decisions"), "--data",
            data.toString(), "--once"));
        assertTrue(Files.notExists(Path.of(tailed.bronze("decisions"), "_delta_log", "00000000000000000000.json")),
            "nothing committed");
        try (var files = Files.walk(Path.of(tailed.bronze("decisions")))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".parquet")), "the orphan Parquet files are there");
        }
        // killed right after the decisions table's commit: the other tables and the mark are not written
        assertEquals(3, run("lake-tailer", TAILER, List.of("-Decap.tailer.haltAfter=decisions"), "--data",
            data.toString(), "--once"));
        assertTrue(Files.exists(Path.of(tailed.bronze("decisions"))), "the decisions table was committed");
        assertTrue(Files.notExists(Path.of(tailed.bronze("labels"))), "the labels table was not");
        assertEquals(0, run("lake-tailer", TAILER, List.of(), "--data", data.toString(), "--once"));

        loadWithSpark(spark1);
        for (final BronzeTable table : BronzeTable.values()) {
            sameRows(tailed, spark1, table.table());
        }
        for (final String table : List.of("decisions", "labels", "user_events", "config_changes")) {
            assertTrue(count(spark1, table) > 0, "the demo's journal has " + table);
        }

        // more entries; this time Spark's loader goes first on the tailer's lake, then the tailer runs again
        final Path more = dir.resolve("more.jsonl");
        assertEquals(0, run("ops", OPS, List.of(), "generate", "--count", "300", "--seed", "7", "--out",
            more.toString()));
        assertEquals(0, run("ops", OPS, List.of(), "score", more.toString(), "--data", data.toString()));
        // and an erasure: both loaders write it to bronze/erasures with the id's hash, never the id
        assertEquals(0, run("ops", OPS, List.of(), "erase", "--customer", "c-7", "--reason", "ticket 1", "--data",
            data.toString()));
        loadWithSpark(tailed);
        assertEquals(0, run("lake-tailer", TAILER, List.of(), "--data", data.toString(), "--once"));
        loadWithSpark(spark1);
        for (final BronzeTable table : BronzeTable.values()) {
            sameRows(tailed, spark1, table.table());
        }
        final List<Row> erasures = spark.read().format("delta").load(tailed.bronze("erasures"))
            .select("kind", "id_hash", "reason").collectAsList();
        assertEquals(List.of(RowFactory.create("customer", LakeErasure.idHash("c-7"), "ticket 1")), erasures);

        // the data folder's mark is for the lake it was written for: another lake gets everything, and so does a
        // table moved away from it
        final Lake other = new Lake(dir.resolve("other-lake").toString());
        // in about 12 batches: a small file per batch, table and month, for the compaction below
        long entries = 0;
        for (final BronzeTable table : BronzeTable.values()) {
            entries += count(spark1, table.table());
        }
        assertEquals(0, run("lake-tailer", TAILER, List.of(), "--data", data.toString(), "--lake", other.root(),
            "--batch", Long.toString(Math.max(10, entries / 12)), "--once"));
        for (final BronzeTable table : BronzeTable.values()) {
            sameRows(other, spark1, table.table());
        }
        compactsTheTailersSmallFiles(other, spark1);
        try (var files = Files.walk(Path.of(other.bronze("decisions")))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        assertEquals(0, run("lake-tailer", TAILER, List.of(), "--data", data.toString(), "--lake", other.root(),
            "--once"));
        sameRows(other, spark1, "decisions");
        assertEquals(2, run("lake-tailer", TAILER, List.of(), "--data", data.toString(), "--lake",
            "gs://bucket/lake", "--once"), "a URI of a file system it has no connector for is refused, not taken for a "
            + "local folder");
        silverNamesTheFeatureValues(tailed);
        refusesALakeWhoseFeaturesAreAMap(tailed);
        // last: the command stops the Spark session it shares with this test
        final LakeMainTest.Outcome compact = assertTimeoutPreemptively(Duration.ofMinutes(5),
            () -> LakeMainTest.exec("compact", "--lake", other.root(), "--small-files", "2"));
        assertEquals(0, compact.code(), compact.err());
        assertEquals(1, compact.out().lines().filter(l -> l.startsWith("compact bronze/decisions: ")).count(),
            "once through the tables, without --every-seconds: " + compact.out());
        final LakeMainTest.Outcome missing = LakeMainTest.exec("compact", "--lake", other.root(), "--table",
            "bronze/nope");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("--table: no table bronze/nope in "), missing.err());
    }

    /** A commit of a few entries at a time leaves many small files: compacted, they are few, and the rows the same. */
    private static void compactsTheTailersSmallFiles(final Lake lake, final Lake reference) {
        final String path = lake.bronze("decisions");
        final long before = files(path);
        assertTrue(before >= 10, "a file per batch: " + before);
        final String done = new Maintenance(spark, lake).compact("bronze/decisions", 2);
        assertTrue(files(path) < before, done);
        assertTrue(done.contains(" small files rewritten into "), done);
        sameRows(lake, reference, "decisions");
        assertTrue(new Maintenance(spark, lake).compact("bronze/decisions", 2).contains("no month with 2 small"),
            "nothing left to compact");
    }

    private static long files(final String table) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, table).update(false, scala.Option.empty(),
            scala.Option.empty()).numOfFiles();
    }

    /** Bronze keeps a vector per decision and the names once; silver has the name-to-value map. */
    private static void silverNamesTheFeatureValues(final Lake lake) throws Exception {
        final List<String> names = io.ecap.model.storage.FeatureNames.parse(
            Files.readString(Path.of(lake.root(), io.ecap.model.storage.FeatureNames.FILE)));
        assertTrue(names.size() > 90 && names.contains("txn.amount_usd"), names.toString());
        new BronzeToSilver(spark, lake).run();
        final int at = names.indexOf("txn.amount_usd");
        final Dataset<Row> bronze = spark.read().format("delta").load(lake.bronze("decisions"))
            .selectExpr("txn_id", "features[" + at + "] AS amount_usd", "size(features) AS width");
        final Dataset<Row> silver = spark.read().format("delta").load(lake.silver("transactions"))
            .selectExpr("txn_id", "features['txn.amount_usd'] AS amount_usd", "size(features) AS width");
        assertEquals(bronze.count(), silver.count());
        assertEquals(0, bronze.exceptAll(silver).count(), "the same value under its name, every feature there");
        assertEquals(names.size(), silver.selectExpr("min(width)").first().getInt(0));
    }

    /** A lake made when bronze had the features as a map is refused, not appended to. */
    private static void refusesALakeWhoseFeaturesAreAMap(final Lake tailed) throws Exception {
        final Lake old = new Lake(dir.resolve("old-lake").toString());
        spark.read().format("delta").load(tailed.bronze("decisions")).limit(3)
            .withColumn("features", org.apache.spark.sql.functions.map_from_arrays(
                org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit("txn.amount_usd")),
                org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.col("features").getItem(0))))
            .write().format("delta").partitionBy("event_month").save(old.bronze("decisions"));
        assertTrue(run("lake-tailer", TAILER, List.of(), "--data", data.toString(), "--lake", old.root(),
            "--once") != 0, "refused");
        assertEquals(3, count(old, "decisions"), "nothing appended");
    }

    /** The journal's new entries into {@code lake} the Spark way: staged as JSON lines, then loaded. */
    private static void loadWithSpark(final Lake lake) throws Exception {
        assertEquals(0, run("ops", OPS, List.of(), "export-lake", "--data", data.toString(), "--lake", lake.root()));
        new JournalToBronze(spark, lake).runOnce();
    }

    private static long count(final Lake lake, final String table) {
        final Path path = Path.of(lake.bronze(table));
        return Files.exists(path) ? spark.read().format("delta").load(path.toString()).count() : 0;
    }

    /**
     * Each entry once, and the same values in every column as the reference (but {@code raw}: null here). Both tables
     * are small: each is read once and compared here, which takes a fraction of the Spark jobs a count, a distinct
     * count and an {@code exceptAll} each would.
     */
    private static void sameRows(final Lake lake, final Lake reference, final String table) {
        final List<String> want = rows(reference, table);
        final List<String> got = rows(lake, table);
        assertEquals(want.size(), got.size(), table + ": rows");
        assertEquals(want, got, table + ": the same values as Spark's loader's, row for row (sorted)");
    }

    /** A table's rows as text, sorted, {@code raw} left out and the features as JSON; none if there is no table. */
    private static List<String> rows(final Lake lake, final String table) {
        final Path path = Path.of(lake.bronze(table));
        if (!Files.exists(path)) {
            return List.of();
        }
        final Dataset<Row> rows = spark.read().format("delta").load(path.toString());
        final List<String> columns = new ArrayList<>();
        for (final String column : rows.columns()) {
            if (!column.equals("raw")) {
                columns.add(column.equals("features") ? "to_json(features) AS features" : column);
            }
        }
        final List<String> text = new ArrayList<>();
        final java.util.Set<Long> entries = new java.util.HashSet<>();
        for (final Row row : rows.selectExpr(columns.toArray(new String[0])).collectAsList()) {
            text.add(row.toString());
            entries.add(row.getLong(row.fieldIndex("journal_index")));
        }
        assertEquals(text.size(), entries.size(), table + ": each entry once in " + lake.root());
        java.util.Collections.sort(text);
        text.add(0, "columns " + String.join(",", rows.columns()));
        return text;
    }

    /** Runs a module's main class in a child JVM with that module's classpath; returns its exit code. */
    private static int run(final String module, final String main, final List<String> jvmOptions,
        final String... args) throws Exception {
        return ModuleJvm.run(dir, module, main, jvmOptions, args);
    }
}
