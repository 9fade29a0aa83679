package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the lake lays out event tables: a folder per month, pruned by day filters, small files compacted. */
class DeltaWritesTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("delta-writes-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** {@code days} rows, one per day from 2011-01-01, a few more on 2011-02-03. */
    private static Dataset<Row> history(final int days) {
        return spark.sql("SELECT id AS journal_index, date_add(DATE'2011-01-01', CAST(id AS INT)) AS event_date,"
            + " concat('c-', id % 7) AS customer_id FROM range(" + days + ")");
    }

    private static Row detail(final String path) {
        return DeltaTable.forPath(spark, path).detail().first();
    }

    @Test
    void shouldPartitionEventTablesByMonthAndPruneDayFilters() {
        final String path = dir.resolve("bronze-decisions").toString();
        DeltaWrites.appendOnce(history(400), path, "test", 1);
        DeltaWrites.appendOnce(history(400), path, "test", 1);

        assertEquals(List.of(DeltaWrites.MONTH), detail(path).getList(detail(path).fieldIndex("partitionColumns")));
        final Dataset<Row> table = spark.read().format("delta").load(path);
        assertEquals(400, table.count(), "the same write retried lands once");
        assertEquals(14, table.select(DeltaWrites.MONTH).distinct().count(), "400 days from January 2011: 14 months");
        assertEquals(0, table.where("event_month <> trunc(event_date, 'MM')").count());

        final Dataset<Row> oneDay = table.where("event_date = DATE'2011-02-03'");
        assertEquals(1, oneDay.count());
        final String plan = oneDay.queryExecution().executedPlan().toString();
        assertTrue(plan.contains("PartitionFilters: [") && plan.contains("event_month"),
            "a filter on the day reads only its month: " + plan);
    }

    /** {@code --data data} gives relative table folders; Delta's table builder took one for a table name. */
    @Test
    void shouldCreateAnEventTableInARelativeFolder() throws Exception {
        final Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("relative"));
        assertTrue(!relative.isAbsolute() && !relative.toString().isEmpty(), relative.toString());
        DeltaWrites.appendOnce(history(40), relative.toString(), "test", 1);
        assertEquals(40, spark.read().format("delta").load(dir.resolve("relative").toString()).count());
    }

    /**
     * A day replaced answers with the rows written, taken from the commit's metrics; a second day beside it, a day
     * written again with fewer rows, and a session whose commits keep no metrics (read back instead) answer the same.
     */
    @Test
    void shouldCountTheRowsOfTheDayReplaced() {
        final String path = dir.resolve("gold-daily").toString();
        final java.time.LocalDate day = java.time.LocalDate.of(2011, 12, 1);
        assertEquals(40, DeltaWrites.replaceDay(spark, history(40), path, day));
        assertEquals(40, DeltaWrites.rowsOfLastCommit(spark, path), "from the commit's metrics");
        assertEquals(7, DeltaWrites.replaceDay(spark, history(7), path, day.plusDays(1)));
        assertEquals(3, DeltaWrites.replaceDay(spark, history(3), path, day));
        spark.conf().set("spark.databricks.delta.history.metricsEnabled", "false");
        try {
            DeltaWrites.replaceDay(spark, history(5), path, day.plusDays(1));
            assertEquals(-1, DeltaWrites.rowsOfLastCommit(spark, path), "a commit without metrics");
            assertEquals(4, DeltaWrites.replaceDay(spark, history(4), path, day.plusDays(1)), "counted instead");
        } finally {
            spark.conf().unset("spark.databricks.delta.history.metricsEnabled");
        }
        assertEquals(7, spark.read().format("delta").load(path).count());
    }

    @Test
    void shouldKeepTheDailyLayoutOfATableAnEarlierVersionMade() {
        final String path = dir.resolve("old").toString();
        history(3).write().format("delta").partitionBy("event_date").save(path);
        DeltaWrites.appendOnce(history(40), path, "test", 1);
        assertEquals(List.of("event_date"), detail(path).getList(detail(path).fieldIndex("partitionColumns")));
        assertEquals(43, spark.read().format("delta").load(path).count());
    }

    @Test
    void shouldCompactAMonthOfSmallFilesAfterAWrite() {
        final String path = dir.resolve("small").toString();
        spark.conf().set(DeltaWrites.SMALL_FILES_SETTING, "5");
        try {
            for (int batch = 1; batch <= 12; batch++) {
                DeltaWrites.appendOnce(history(1).selectExpr("journal_index + " + batch + " AS journal_index",
                    "event_date", "customer_id"), path, "test", batch);
            }
            DeltaWrites.upsert(spark, history(2).selectExpr("journal_index", "event_date", "'changed' AS customer_id"),
                dir.resolve("merged").toString(), "t.journal_index = s.journal_index");
        } finally {
            spark.conf().unset(DeltaWrites.SMALL_FILES_SETTING);
        }
        final Row detail = detail(path);
        final long files = detail.getLong(detail.fieldIndex("numFiles"));
        assertTrue(files < 5, "twelve one-row commits to one month end in fewer files: " + files);
        assertEquals(12, spark.read().format("delta").load(path).count());
        assertEquals("OPTIMIZE", DeltaTable.forPath(spark, path).history().where("version = 11").first().getAs(
            "operation"), "the tenth version (the tenth write) is followed by the compaction");
        assertEquals(2, spark.read().format("delta").load(dir.resolve("merged").toString())
            .where("event_month = trunc(event_date, 'MM')").count(), "a merge fills the month column too");
    }
}
