package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The traffic commands through the command line: files written, and bad options named. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    /** Runs the command line; returns the exit code and what it wrote to standard error. */
    private static Object[] run(final String... args) {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Ecap.run(args), captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void shouldWriteEachKindToItsFileWithTheTruthApart() throws Exception {
        final Path tx = dir.resolve("tx.jsonl");
        final Path truth = dir.resolve("truth.jsonl");
        final Object[] result = run("generate", "--count", "3000", "--fraud-rate", "0.05", "--per-hour", "500",
            "--start", "2026-10-01", "--out", tx.toString(), "--events", dir.resolve("ev.jsonl").toString(),
            "--products", dir.resolve("pr.jsonl").toString(), "--labels", dir.resolve("lb.jsonl").toString(),
            "--truth", truth.toString(), "--label-delay-hours", "1");
        assertEquals(0, result[0], (String) result[1]);
        final List<String> payments = Files.readAllLines(tx);
        assertEquals(3000, payments.size());
        assertTrue(payments.stream().noneMatch(l -> l.contains("scenario")), "no ground truth in what is scored");
        final List<String> frauds = Files.readAllLines(truth);
        assertTrue(frauds.size() > 30, "fraud rows " + frauds.size());
        for (final String row : frauds) {
            final String id = row.substring(10, row.indexOf('"', 10));
            assertTrue(payments.stream().anyMatch(p -> p.startsWith("{\"txnId\":\"" + id + "\"")), row);
        }
        assertTrue(Files.readAllLines(dir.resolve("ev.jsonl")).size() > 3000);
        assertTrue(Files.readAllLines(dir.resolve("pr.jsonl")).size() >= 2000);
        assertTrue(Files.readAllLines(dir.resolve("lb.jsonl")).stream().anyMatch(l -> l.contains("CHARGEBACK")));
    }

    @Test
    void shouldWriteHistoryOfTheDaysBeforeTodaysMidnight() throws Exception {
        final Path tx = dir.resolve("tx.jsonl");
        final Object[] result = run("generate", "--days", "20", "--out", tx.toString());
        assertEquals(0, result[0], (String) result[1]);
        final long end = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant().toEpochMilli();
        final List<String> payments = Files.readAllLines(tx);
        assertTrue(payments.size() > 500 && payments.size() < 100_000, "2 an hour, 20 days: " + payments.size());
        assertTrue(((String) result[1]).contains(String.format("generated %,d payments (", payments.size())),
            "the summary counts the payments written when the history ends first: " + result[1]);
        assertTrue(((String) result[1]).contains("the history ended before --count 100,000 payments"),
            (String) result[1]);
        final java.util.regex.Pattern ts = java.util.regex.Pattern.compile("\"ts\":(\\d+)");
        for (final String payment : payments) {
            final java.util.regex.Matcher m = ts.matcher(payment);
            assertTrue(m.find(), payment);
            final long at = Long.parseLong(m.group(1));
            assertTrue(at >= end - 20 * 86_400_000L && at < end, "within the 20 days: " + payment);
        }
        final Path rates = dir.resolve("rates.csv");
        final Object[] past = run("generate", "--days", "20", "--start", "2011-01-01", "--out", tx.toString(),
            "--rates", rates.toString());
        final List<String> rateLines = Files.readAllLines(rates);
        assertEquals("date,from,to,rate", rateLines.get(0));
        assertTrue(rateLines.size() > 3 && rateLines.stream().skip(1).allMatch(l -> l.matches(
            "2011-01-01,[A-Z]{3},USD,[0-9.]+")), "the rates of the history's first day: " + rateLines);
        assertEquals(0, past[0], (String) past[1]);
        final long first = java.time.LocalDate.of(2011, 1, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
            .toEpochMilli();
        final List<String> old = Files.readAllLines(tx);
        assertTrue(old.size() > 500, "2 an hour, 20 days: " + old.size());
        for (final String payment : old) {
            final java.util.regex.Matcher m = ts.matcher(payment);
            assertTrue(m.find(), payment);
            final long at = Long.parseLong(m.group(1));
            assertTrue(at >= first && at < first + 20 * 86_400_000L, "the 20 days from --start: " + payment);
        }
    }

    @Test
    void shouldNameTheOptionThatIsWrong() {
        final Object[] url = run("load", "--url", "ftp://127.0.0.1:1", "--key", "k", "--seconds", "1");
        assertEquals(1, url[0]);
        assertTrue(((String) url[1]).contains("--url: expected http://host:port"), (String) url[1]);
        final Object[] key = run("generate", "--url", "http://127.0.0.1:1", "--key", " ");
        assertTrue(((String) key[1]).contains("--key: an API key is needed"), (String) key[1]);
        final Object[] truthToServer = run("generate", "--url", "http://127.0.0.1:1", "--key", "k", "--truth",
            dir.resolve("t.jsonl").toString());
        assertEquals(2, truthToServer[0]);
        assertTrue(((String) truthToServer[1]).contains("--truth: only when writing files; with --url the traffic is "
            + "sent"), (String) truthToServer[1]);
        final Object[] kinds = run("generate", "--url", "http://127.0.0.1:1", "--key", "k", "--kinds", "clicks");
        assertTrue(((String) kinds[1]).contains("--kinds: expected a list of transactions"), (String) kinds[1]);
        final Object[] start = run("generate", "--count", "1", "--start", "yesterday", "--out",
            dir.resolve("x").toString());
        assertTrue(((String) start[1]).contains("--start: expected a date like 2026-11-02"), (String) start[1]);
        final Object[] rate = run("generate", "--count", "0");
        assertEquals(2, rate[0], "a usage error");
    }

    @Test
    void shouldSayWhyAnOutputCannotBeWrittenAndLeaveNoFileOnABadOption() {
        final Path nowhere = dir.resolve("nonexistent").resolve("dir").resolve("g.jsonl");
        final Object[] out = run("generate", "--count", "10", "--out", nowhere.toString());
        assertEquals(2, out[0], (String) out[1]);
        assertTrue(((String) out[1]).contains("--out: cannot write " + nowhere + ": no such folder "
            + nowhere.getParent()), (String) out[1]);

        final Path file = dir.resolve("g.jsonl");
        final Object[] days = run("generate", "--count", "10", "--days", "-3", "--out", file.toString());
        assertEquals(2, days[0], (String) days[1]);
        assertTrue(((String) days[1]).contains("--days: expected 1 to 3650, found -3"), (String) days[1]);
        assertTrue(!Files.exists(file), "no empty file left behind");

        final Object[] rate = run("load", "--url", "http://127.0.0.1:1", "--key", "k", "--rate", "-5");
        assertEquals(2, rate[0], (String) rate[1]);
        assertTrue(((String) rate[1]).contains("--rate: expected a positive number of requests a second, found -5"),
            (String) rate[1]);
    }

    @Test
    void shouldRefuseABadDemoOptionByNameBeforeTouchingItsFolder() {
        final Path data = dir.resolve("demo");
        final Object[] rate = run("demo", "--rate", "-5", "--data", data.toString());
        assertEquals(2, rate[0], (String) rate[1]);
        assertTrue(((String) rate[1]).contains("--rate: expected a positive number of requests a second, found -5"),
            (String) rate[1]);
        final Object[] days = run("demo", "--days", "0", "--data", data.toString());
        assertEquals(2, days[0], (String) days[1]);
        assertTrue(((String) days[1]).contains("--days: expected 1 to 3650, found 0"), (String) days[1]);
        assertTrue(!Files.exists(data), "nothing created");
    }
}
