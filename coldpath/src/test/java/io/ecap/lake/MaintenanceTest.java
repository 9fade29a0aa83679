package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPTIMIZE with Z-ORDER, VACUUM's safety, history and time travel on a small Delta table (local[2]). */
class MaintenanceTest {
    private static final TimeTravel VERSION_0 = new TimeTravel(0L, null, null);

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("maintenance-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void optimizesKeepsHistoryTravelsInTimeAndVacuumsOnlyWhenSafeOrForced() {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        final String path = lake.root() + "/bronze/decisions";
        for (int batch = 0; batch < 3; batch++) {
            spark.range(batch * 100L, batch * 100L + 100).selectExpr("id AS journal_index",
                "concat('c-', id % 7) AS customer_id", "concat('m-', id % 3) AS merchant_id")
                .repartition(2).write().format("delta").mode("append").save(path);
        }
        final Maintenance care = new Maintenance(spark, lake);
        assertEquals(300, care.current("bronze/decisions").count());
        assertEquals(100, care.read("bronze/decisions", VERSION_0).count(), "version 0 held the first batch");

        final String done = care.optimize("bronze/decisions", List.of());
        assertTrue(done.matches("6 files rewritten into 1 \\([0-9,]+ bytes into [0-9,]+\\) in 1 partition, ordered by "
            + "customer_id.*"), done);
        final List<Row> history = care.history("bronze/decisions", 10).collectAsList();
        assertEquals("OPTIMIZE", history.get(0).getString(2), "the newest commit is the optimize");
        assertEquals(4, history.size());
        assertEquals(300, care.current("bronze/decisions").count(), "optimize changes files, not rows");

        final IllegalArgumentException unsafe = assertThrows(IllegalArgumentException.class,
            () -> care.vacuum("bronze/decisions", 0, false));
        assertTrue(unsafe.getMessage().contains("--force"), unsafe.getMessage());
        assertEquals(100, care.read("bronze/decisions", VERSION_0).count(), "a refused vacuum deletes nothing");
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final long deleted = (Long) scala.Console.withOut(console, (scala.Function0<Object>) () -> care.vacuum(
            "bronze/decisions", 0, true));
        assertEquals(6, deleted, "the six files the optimize replaced");
        assertEquals("", console.toString(), "Delta's own line is taken in, not printed");
        assertEquals(300, care.current("bronze/decisions").count(), "the current version keeps its files");
        assertThrows(Exception.class, () -> care.read("bronze/decisions", VERSION_0).selectExpr("sum(journal_index)")
            .first(),
            "the files of version 0 are gone after a forced vacuum");

        assertThrows(IllegalArgumentException.class, () -> care.history("bronze/nothing_here", 1));
        assertThrows(IllegalArgumentException.class, () -> care.current("../etc"));
    }

    @Test
    void travelsOnlyToVersionsAndTimesTheTableHasAndNamesTheOptionOtherwise() throws InterruptedException {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        spark.range(5).write().format("delta").save(lake.gold("numbers"));
        spark.range(7).write().format("delta").mode("overwrite").save(lake.gold("numbers"));
        final Maintenance care = new Maintenance(spark, lake);
        assertEquals(5, care.read("gold/numbers", VERSION_0).count());
        assertEquals(7, care.read("gold/numbers", TimeTravel.NOW).count());
        final String later = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusDays(1).toLocalDate()
            .toString();
        final String before = assertThrows(IllegalArgumentException.class, () -> care.read("gold/numbers",
            TimeTravel.of(Map.of("--timestamp", "2011-12-10")))).getMessage();
        assertTrue(before.startsWith("--timestamp 2011-12-10: before the oldest version kept; the table has versions"
            + " 0 ("), before);
        final String after = assertThrows(IllegalArgumentException.class, () -> care.read("gold/numbers",
            TimeTravel.of(Map.of("--timestamp", later)))).getMessage();
        assertTrue(after.contains("in the future") && after.contains("to 1 ("), after);
        // a whole second after the newest commit (the option takes whole seconds: truncating "now" within the second
        // of the commit named a time before it, and a CI run read version 0)
        Thread.sleep(1_100 - System.currentTimeMillis() % 1_000);
        final String justNow = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString();
        assertEquals(7, care.read("gold/numbers", TimeTravel.of(Map.of("--timestamp", justNow))).count(),
            "a time after the newest commit reads the newest version: the table as it was then");
        final String missing = assertThrows(IllegalArgumentException.class, () -> care.read("gold/numbers",
            TimeTravel.of(Map.of("--version", "9")))).getMessage();
        assertTrue(missing.startsWith("--version 9: no such version; the table has versions 0 ("), missing);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimeTravel.of(Map.of("--timestamp",
            "yesterday"))).getMessage().startsWith("--timestamp: expected a UTC time"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimeTravel.of(Map.of("--timestamp",
            "2026-11-24", "--version", "1"))).getMessage().contains("not both"));

    }
}
