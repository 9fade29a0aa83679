package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.Bytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ecap lake erase: a customer's rows leave every table that holds them (by column, or by the raw entry naming them),
 * and after a vacuum with no retention no byte of the lake, data files and Delta logs alike, holds the id; the audit
 * table records each table with the id's hash.
 */
class LakeErasureTest {
    /** An id with characters that mean something to a regular expression and to JSON. */
    private static final String ERASED = "c-5.+(\"x\")";

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("lake-erasure-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void deletesTheRowsEverywhereVacuumsThemAwayAndAuditsWithTheHashOnly() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        lake.fitSession(spark); // a small lake: no code generation, as the command runs it
        // each table one file holding c-0 to c-9, so that the erased id is never a file's lowest or highest value:
        // Delta keeps those in its log as statistics (docs/RELIABILITY.md, "Erasure", says what that means)
        spark.range(100).selectExpr("id AS journal_index",
            "CASE WHEN id % 10 = 5 THEN '" + ERASED.replace("\"", "\\\"") + "' ELSE concat('c-', id % 10) END "
                + "AS customer_id", "concat('k-', id % 10) AS card_id")
            .selectExpr("*", "to_json(named_struct('transaction', named_struct('customerId', customer_id, "
                + "'cardId', card_id))) AS raw")
            .coalesce(1).write().format("delta").save(lake.bronze("decisions"));
        // a Kafka record's JSON, spaced as a producer may write it, and no customer column
        spark.range(50).selectExpr("CASE WHEN id % 10 = 5 THEN '{\"customerId\" : \"c-5.+(\\\\\"x\\\\\")\"}' "
            + "ELSE concat('{\"customerId\" : \"c-', id % 10, '\"}') END AS raw").coalesce(1).write()
            .format("delta").save(lake.bronze("kafka_decisions"));
        spark.range(10).selectExpr("CASE WHEN id = 5 THEN '" + ERASED.replace("\"", "\\\"") + "' ELSE concat('c-', id)"
            + " END AS customer_id", "'Champions' AS segment").coalesce(1).write().format("delta")
            .save(lake.gold("customer_segments"));
        spark.range(3).selectExpr("concat('s-', id) AS segment", "id AS customers").write().format("delta")
            .save(lake.gold("segment_sizes"));
        assertTrue(lakeHolds(lake, ERASED), "the id is in the lake before");

        final LakeErasure erasure = new LakeErasure(spark, lake);
        final List<LakeErasure.Deleted> deleted = erasure.erase(LakeErasure.Kind.CUSTOMER,
            LakeErasure.canonical(LakeErasure.Kind.CUSTOMER, ERASED, "--customer"), "cli:dpo", "ticket 12", 0, true);
        assertEquals(List.of(new LakeErasure.Deleted("bronze/decisions", 10),
            new LakeErasure.Deleted("bronze/kafka_decisions", 5), new LakeErasure.Deleted("gold/customer_segments", 1)),
            deleted);
        assertEquals(90, count(lake.bronze("decisions")), "the other customers' rows stay");
        assertEquals(45, count(lake.bronze("kafka_decisions")));
        assertEquals(3, count(lake.gold("segment_sizes")), "a table without customers is left alone");
        assertEquals(null, whereIs(lake, ERASED), "no byte of the lake holds the id: data files and logs");
        assertTrue(lakeHolds(lake, "c-4"), "the check finds an id that is there");

        final List<Row> audit = spark.read().format("delta").load(lake.root() + "/" + LakeErasure.AUDIT)
            .orderBy("table_name").collectAsList();
        assertEquals(3, audit.size());
        assertEquals(LakeErasure.idHash(ERASED), audit.get(0).getAs("id_hash"));
        assertEquals("cli:dpo", audit.get(0).getAs("actor"));
        assertEquals("ticket 12", audit.get(0).getAs("reason"));
        assertEquals(10L, (long) audit.get(0).getAs("rows_deleted"));
    }

    @Test
    void takesEachErasureTheEngineJournaledOnceByTheHashAlone() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        lake.fitSession(spark);
        // each its file's highest (the customer) or lowest (the card) value, which Delta's log keeps: with no retention
        // the erasure cuts the log's history too
        final String customer = "gone.customer";
        final String card = "gone/card";
        spark.range(100).selectExpr("id AS journal_index",
            "CASE WHEN id % 10 = 3 THEN '" + customer + "' ELSE concat('c-', id % 10) END AS customer_id",
            "CASE WHEN id % 10 = 4 THEN '" + card + "' ELSE concat('k-', id % 10) END AS card_id")
            .selectExpr("*", "to_json(named_struct('transaction', named_struct('customerId', customer_id, "
                + "'cardId', card_id))) AS raw")
            .coalesce(1).write().format("delta").save(lake.bronze("decisions"));
        // as the lake tailer and journal-to-bronze write the engine's erasure entries: the hash, never the id
        spark.createDataFrame(List.of(
            RowFactory.create(200L, "customer", LakeErasure.idHash(customer), "api:dpo", "ticket 7"),
            RowFactory.create(300L, "card", LakeErasure.idHash(card), "cli:ops", "card closed"),
            RowFactory.create(400L, "customer", LakeErasure.idHash("never-seen"), "api:dpo", "ticket 8")),
            new StructType().add("journal_index", DataTypes.LongType).add("kind", DataTypes.StringType)
                .add("id_hash", DataTypes.StringType).add("actor", DataTypes.StringType)
                .add("reason", DataTypes.StringType))
            .write().format("delta").save(lake.bronze("erasures"));
        assertTrue(lakeHolds(lake, customer), "the id is in the lake before (and in the log's statistics)");

        final LakeErasure erasure = new LakeErasure(spark, lake);
        final List<LakeErasure.Journaled> taken = erasure.eraseJournaled(0, true);
        assertEquals(List.of(
            new LakeErasure.Journaled(200, LakeErasure.Kind.CUSTOMER, LakeErasure.idHash(customer),
                List.of(new LakeErasure.Deleted("bronze/decisions", 10))),
            new LakeErasure.Journaled(300, LakeErasure.Kind.CARD, LakeErasure.idHash(card),
                List.of(new LakeErasure.Deleted("bronze/decisions", 10))),
            new LakeErasure.Journaled(400, LakeErasure.Kind.CUSTOMER, LakeErasure.idHash("never-seen"), List.of())),
            taken);
        assertEquals(80, count(lake.bronze("decisions")), "the other customers' and cards' rows stay");
        assertEquals(null, whereIs(lake, customer, card), "no byte of the lake holds the customer or the card");
        assertEquals(List.of(), erasure.eraseJournaled(0, true), "each erasure is taken once");

        final List<Row> audit = spark.read().format("delta").load(lake.root() + "/" + LakeErasure.AUDIT)
            .orderBy("journal_index").collectAsList();
        assertEquals(3, audit.size());
        assertEquals(200L, (long) audit.get(0).getAs("journal_index"));
        assertEquals("ticket 7", audit.get(0).getAs("reason"));
        assertEquals("bronze/decisions", audit.get(1).getAs("table_name"));
        assertEquals(0L, (long) audit.get(2).getAs("rows_deleted"));
    }

    private static long count(final String path) {
        return spark.read().format("delta").load(path).count();
    }

    /** Whether any file under the lake holds {@code text} ({@link #whereIs}). */
    private static boolean lakeHolds(final Lake lake, final String text) throws Exception {
        return whereIs(lake, text) != null;
    }

    /**
     * The first file under the lake that holds one of {@code texts}, or null: every Parquet file on disk, referenced by
     * its table or not, read row by row (they are compressed), and every other file (the Delta logs) byte by byte, each
     * text as written or as JSON escapes it.
     */
    private static String whereIs(final Lake lake, final String... texts) throws Exception {
        final List<String> needles = new java.util.ArrayList<>();
        for (final String text : texts) {
            needles.add(text);
            needles.add(text.replace("\"", "\\\""));
        }
        final java.util.Map<Path, List<String>> parquet = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of(lake.root()))) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.toString().endsWith(".parquet")) {
                    parquet.computeIfAbsent(file.getParent(), d -> new java.util.ArrayList<>()).add(file.toString());
                    continue;
                }
                final byte[] bytes = Files.readAllBytes(file);
                for (final String needle : needles) {
                    final int at = Bytes.indexOf(bytes, needle.getBytes(StandardCharsets.US_ASCII));
                    if (at >= 0) {
                        return file + " at " + at + ": " + new String(bytes, Math.max(0, at - 80),
                            Math.min(bytes.length, at + 80) - Math.max(0, at - 80), StandardCharsets.ISO_8859_1);
                    }
                }
            }
        }
        for (final var folder : parquet.entrySet()) {
            final long rows = spark.read().parquet(folder.getValue().toArray(new String[0])).toJSON()
                .filter((org.apache.spark.api.java.function.FilterFunction<String>) json ->
                    needles.stream().anyMatch(json::contains)).count();
            if (rows > 0) {
                return folder.getKey() + ": " + rows + " rows in its Parquet files";
            }
        }
        return null;
    }
}
