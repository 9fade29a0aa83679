package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's command line: options are checked before Spark starts (the tests that say so run with a Spark master
 * that cannot start, so a check made after Spark started would fail differently), every job has its own help,
 * {@code --data} names the lake as the engine commands name their data, and a user's mistake that only Spark can see
 * is one line naming the problem and exit code 2, never a stack trace.
 */
class LakeMainTest {
    @TempDir
    Path dir;

    /** What a run printed and returned. */
    record Outcome(int code, String out, String err) {
    }

    /** Runs a lake command line as {@code ecap lake} does, and keeps what it printed. */
    static Outcome exec(final String... args) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            final int code = LakeMain.exec(args, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    /** Runs with a Spark master that cannot start: only what is done before Spark can pass. */
    private static Outcome withoutSpark(final String... args) throws Exception {
        final String before = System.getProperty("spark.master");
        System.setProperty("spark.master", "nowhere://no-spark-in-this-test");
        try {
            return exec(args);
        } finally {
            if (before == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", before);
            }
        }
    }

    private void assertUsageError(final String expectedLine, final String... args) throws Exception {
        final Outcome outcome = withoutSpark(args);
        assertEquals(2, outcome.code(), outcome.err());
        final List<String> lines = outcome.err().lines().toList();
        assertEquals(1, lines.size(), "one line: " + outcome.err());
        assertTrue(lines.get(0).startsWith(expectedLine), lines.get(0));
    }

    @Test
    void shouldRefuseBadOptionsWithTheOptionNamedBeforeSparkStarts() throws Exception {
        final Path data = Files.createDirectories(dir.resolve("data/lake")).getParent();
        final String d = data.toString();
        assertUsageError("ecap lake rfm: unknown option --bogus (ecap lake rfm --help lists the options)", "rfm",
            "--data", d, "--bogus", "1");
        assertUsageError("ecap lake rfm: --as-of: expected a date such as 2026-11-24, found '2026-13-01'", "rfm",
            "--data", d, "--as-of", "2026-13-01");
        assertUsageError("ecap lake rfm: --as-of: expected a date", "rfm", "--data=" + d, "--as-of=yesterday");
        final java.time.LocalDate later = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        assertUsageError("ecap lake rfm: --as-of " + later + ": in the future (today is ", "rfm", "--data", d,
            "--as-of", later.toString());
        System.setProperty(DeltaWrites.SMALL_FILES_SETTING, "many");
        try {
            assertUsageError("ecap lake rfm: spark.ecap.lake.smallFiles: expected a whole number of at least 2, found "
                + "'many'", "rfm", "--data", d);
        } finally {
            System.clearProperty(DeltaWrites.SMALL_FILES_SETTING);
        }
        assertUsageError("ecap lake rfm: --data: no folder " + dir.resolve("nowhere"), "rfm", "--data",
            dir.resolve("nowhere").toString());
        assertUsageError("ecap lake clv: --lake: no folder " + dir.resolve("nowhere"), "clv", "--lake",
            dir.resolve("nowhere").toString());
        Files.createDirectories(dir.resolve("empty"));
        assertUsageError("ecap lake churn: --data: no lake at " + dir.resolve("empty/lake"), "churn", "--data",
            dir.resolve("empty").toString());
        assertUsageError("ecap lake show: --as-of is the analysis day of the analytics jobs; for the table at a "
            + "version or a time give --version N or --timestamp TIME", "show", "--data", d, "--table",
            "bronze/decisions", "--as-of", "3");
        assertUsageError("ecap lake compact: --small-files: expected a whole number of at least 2, found '1'",
            "compact", "--data", d, "--small-files", "1");
        assertUsageError("ecap lake compact: --small-files: expected at most 1000000, found 4294967297", "compact",
            "--data", d, "--small-files", "4294967297");
        assertUsageError("ecap lake compact: --table: expected layer/name such as bronze/decisions, found 'x'",
            "compact", "--data", d, "--table", "x");
        assertUsageError("ecap lake show: --version: expected a whole number of at least 0, found 'x'", "show",
            "--data", d, "--table", "bronze/decisions", "--version", "x");
        assertUsageError("ecap lake show: --timestamp: expected a UTC time", "show", "--data", d, "--table",
            "bronze/decisions", "--timestamp", "yesterday");
        assertUsageError("ecap lake vacuum: --table: expected layer/name such as bronze/decisions, found 'decisions'",
            "vacuum", "--data", d, "--table", "decisions");
        assertUsageError("ecap lake history: --table is required", "history", "--data", d);
        assertUsageError("ecap lake erase: --reason: looks like a card number", "erase", "--data", d, "--customer",
            "c-1", "--reason", "4111 1111 1111 1111");
        assertUsageError("ecap lake erase: --reason: contains a control character", "erase", "--data", d,
            "--customer", "c-1", "--reason", "a\nb");
        assertUsageError("ecap lake erase: --customer and --card: one entity", "erase", "--data", d, "--customer",
            "c-1", "--card", "k-1");
        assertUsageError("ecap lake erase: --ip: not an IPv4 or IPv6 address", "erase", "--data", d, "--ip", "1.2.3");
        assertUsageError("ecap lake erase: name what to erase", "erase", "--data", d);
        assertUsageError("ecap lake erase: --reason: names the id it erases", "erase", "--data", d, "--customer",
            "c-1", "--reason", "C-1 asked by mail");
        assertUsageError("ecap lake erase: --journaled and --customer", "erase", "--data", d, "--journaled",
            "--customer", "c-1");
        assertUsageError("ecap lake erase: --journaled and --reason", "erase", "--data", d, "--journaled", "--reason",
            "x");
        assertUsageError("ecap lake erase: --journaled: takes no value, found '--journaled=yes'", "erase", "--data", d,
            "--journaled=yes");
        assertUsageError("ecap lake clv: --horizon-days: a value is missing", "clv", "--data", d, "--horizon-days");
        assertUsageError("ecap lake clv: --horizon-days: given twice", "clv", "--data", d, "--horizon-days", "5",
            "--horizon-days", "6");
        assertUsageError("ecap lake bronze-to-silver: unexpected argument 'extra'", "bronze-to-silver", "--data", d,
            "extra");
        assertUsageError("ecap lake nope: unknown job 'nope'", "nope");
        assertTrue(withoutSpark("nope").err().strip().endsWith("(ecap lake --help lists them)"),
            "no help of a job that does not exist");
        assertUsageError("ecap lake kafka-to-bronze: --bootstrap: expected HOST:PORT", "kafka-to-bronze", "--data",
            d);
        assertUsageError("ecap lake vacuum: --retain-hours 0 is below the safe default", "vacuum", "--data", d,
            "--table", "bronze/decisions", "--retain-hours", "0");
        assertUsageError("ecap lake rfm: --include-outcomes: expected decisions among APPROVE, REVIEW, DECLINE",
            "rfm", "--data", d, "--include-outcomes", "APPROVE,MAYBE");
        final Path rates = Files.writeString(dir.resolve("rates.csv"),
            "date,from,to,rate\n2011-01-04,EUR,GBP,0,85\n");
        assertUsageError("ecap lake load-rates: " + rates + " line 2: expected 4 fields (date,from,to,rate), "
            + "found 5",
            "load-rates", "--data", d, rates.toString());
        assertUsageError("ecap lake load-rates: FILE is missing", "load-rates", "--data", d);
        assertUsageError("ecap lake all: --rates: " + rates + " line 2: expected 4 fields", "all", "--data", d,
            "--rates", rates.toString());
        assertUsageError("ecap lake rfm: --currency: expected an ISO 4217 currency code such as EUR, found 'pounds'",
            "rfm", "--data", d, "--currency", "pounds");
        assertUsageError("ecap lake show: --format: expected table, csv or json, found 'xml'", "show", "--data", d,
            "--table", "gold/x", "--format", "xml");
        assertUsageError("ecap lake rfm,kafka-to-bronze: kafka-to-bronze runs alone, not with other jobs",
            "rfm,kafka-to-bronze", "--data", d);
        assertUsageError("ecap lake rfm,rfm: rfm is named twice", "rfm,rfm", "--data", d);
        assertUsageError("ecap lake rfm,nope: unknown job 'nope'", "rfm,nope", "--data", d);
        assertUsageError("ecap lake rfm,funnels: unknown option --table", "rfm,funnels", "--data", d, "--table",
            "gold/x");
        assertUsageError("ecap lake rfm,funnels: --funnel: ", "rfm,funnels", "--data", d, "--funnel", "x");
        assertUsageError("ecap lake report: --truth: cannot read", "report", "--data", d, "--truth",
            dir.resolve("no-truth.jsonl").toString());
        assertUsageError("ecap lake rfm: --lake gs://bucket/lake: no Hadoop file system for gs:// on this classpath "
            + "(No FileSystem for scheme \"gs\"); ./ecap lake works on local folders and s3a:// URIs", "rfm", "--lake",
            "gs://bucket/lake");
        assertUsageError("ecap lake rfm: --lake nope://x: no Hadoop file system for nope://", "rfm", "--lake=nope://x");
    }

    @Test
    void everyJobHasItsOwnHelp() throws Exception {
        for (final String job : List.of("all", "journal-to-bronze", "kafka-to-bronze", "bronze-to-silver",
            "silver-to-gold", "load-rates", "optimize", "vacuum", "history", "show", "lag", "rfm", "clv",
            "clv-fit", "churn", "cohorts", "funnels", "attribution", "data-quality", "report")) {
            final Outcome help = withoutSpark(job, "--help");
            assertEquals(0, help.code(), job + ": " + help.err());
            assertTrue(help.out().startsWith("usage: ecap lake " + job + " [--data DIR | --lake DIR]"), help.out());
            assertTrue(help.out().contains("--data DIR   the data folder"), help.out());
        }
        final Outcome show = withoutSpark("show", "--table", "bronze/decisions", "-h");
        assertTrue(show.out().contains("--timestamp TIME") && show.out().contains("--version N"), show.out());
        final Outcome all = withoutSpark("--help");
        assertEquals(0, all.code());
        assertTrue(all.out().contains("  show --table LAYER/NAME") && all.out().contains("  rfm [--as-of DATE]"),
            all.out());
    }

    @Test
    void shouldFindTheLakeUnderDataAndAnswerWhatOnlySparkSeesWithANamedProblem() throws Exception {
        final Path data = dir.resolve("data");
        final Lake lake = new Lake(data.resolve("lake").toString());
        final SparkSession spark = Lake.session("lake-main-test");
        spark.range(5).write().format("delta").save(lake.gold("numbers"));
        spark.range(7).write().format("delta").mode("overwrite").save(lake.gold("numbers"));
        spark.range(1).selectExpr("id", "CAST(NULL AS STRING) AS note").write().format("delta")
            .save(lake.gold("notes"));

        final Outcome old = exec("show", "--data", data.toString(), "--table", "gold/numbers", "--version", "0");
        assertEquals(0, old.code(), old.err());
        assertTrue(old.out().startsWith("gold/numbers at version 0: 5 rows"), old.out());

        final Outcome early = exec("show", "--data", data.toString(), "--table", "gold/numbers", "--timestamp",
            "2011-12-10");
        assertEquals(2, early.code(), early.err());
        assertTrue(early.err().startsWith("ecap lake show: --timestamp 2011-12-10: before the oldest version kept; "
            + "the table has versions 0 ("), early.err());
        assertEquals(1, early.err().lines().count(), "no stack trace: " + early.err());

        final Outcome csv = exec("show", "--data", data.toString(), "--table", "gold/numbers", "--format", "csv",
            "--columns", "id", "--where", "id > 4");
        assertEquals(0, csv.code(), csv.err());
        assertEquals("id\n5\n6\n", csv.out(), "only the rows, to standard output");
        assertTrue(csv.err().contains("gold/numbers: 2 rows"), csv.err());
        final Outcome json = exec("show", "--data", data.toString(), "--table", "gold/numbers", "--format", "json",
            "--where", "id = 6", "--version", "1");
        assertEquals("{\"id\":6}\n", json.out(), json.err());
        assertEquals("{\"id\":0,\"note\":null}\n", exec("show", "--data", data.toString(), "--table", "gold/notes",
            "--format", "json").out(), "a null value is written, not left out");
        final Outcome two = exec("show,optimize", "--data", data.toString(), "--table", "gold/numbers", "--format",
            "csv", "--where", "id > 5", "--zorder", "id");
        assertEquals(0, two.code(), two.err());
        assertTrue(two.out().startsWith("id\n6\noptimize gold/numbers: "), "both jobs, one after the other, each "
            + "with the options it takes: " + two.out());
        final Outcome noColumn = exec("show", "--data", data.toString(), "--table", "gold/numbers", "--columns",
            "id,price");
        assertEquals(2, noColumn.code());
        assertTrue(noColumn.err().startsWith("ecap lake show: --columns: no column price in the table (it has id)"),
            noColumn.err());
        final Outcome badSql = exec("show", "--data", data.toString(), "--table", "gold/numbers", "--where", "id >");
        assertEquals(2, badSql.code());
        assertTrue(badSql.err().startsWith("ecap lake show: --where: "), badSql.err());
        assertEquals(1, badSql.err().lines().count(), badSql.err());

        final Outcome badLagSql = exec("lag", "--data", data.toString(), "--table", "gold/numbers", "--where",
            "id LIKE");
        assertEquals(2, badLagSql.code(), badLagSql.err());
        assertTrue(badLagSql.err().startsWith("ecap lake lag: --where: "), badLagSql.err());

        final Outcome noSilver = exec("rfm", "--lake", lake.root());
        assertEquals(2, noSilver.code(), noSilver.err());
        assertTrue(noSilver.err().startsWith("ecap lake rfm: no silver/transactions in " + lake.root()
            + " (run bronze-to-silver first)"), noSilver.err());

        final Outcome noBronze = exec("bronze-to-silver", "--lake", lake.root());
        assertEquals(2, noBronze.code(), noBronze.err());
        assertTrue(noBronze.err().startsWith("ecap lake bronze-to-silver: no bronze/decisions in " + lake.root()),
            noBronze.err());

        final Outcome badTable = exec("history", "--data", data.toString(), "--table", "silver/nothing");
        assertEquals(2, badTable.code(), badTable.err());
        assertTrue(badTable.err().startsWith("ecap lake history: --table silver/nothing: no Delta table at "),
            badTable.err());
        assertFalse(badTable.err().contains("\tat "), badTable.err());
    }
}
