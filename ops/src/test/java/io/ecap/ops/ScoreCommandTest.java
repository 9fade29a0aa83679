package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ecap score says and returns for bad lines, missing files and transactions the engine refuses. */
class ScoreCommandTest {
    private static final long T0 = 1_795_500_000_000L;

    @TempDir
    Path dir;

    /** Runs the command line; returns the exit code, its standard output and its standard error. */
    private static Object[] run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Ecap.run(args), captured.toString(StandardCharsets.UTF_8),
                errors.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String txn(final String id, final String amount) {
        return "{\"txnId\":\"" + id + "\",\"ts\":" + T0 + ",\"customerId\":\"c-1\",\"cardId\":\"k-1\","
            + "\"merchantId\":\"m-1\",\"amount\":\"" + amount + "\",\"currency\":\"USD\"}";
    }

    @Test
    void shouldRejectALineThatIsNotUtf8AndGoOn() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        final byte[] bad = txn("t-2", "2.00").replace("c-1", "c-\u00e9").getBytes(StandardCharsets.UTF_8);
        final byte[] broken = new String(bad, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
        try (var out = Files.newOutputStream(input)) {
            out.write((txn("t-1", "1.00") + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(broken); // an e-acute as one Latin-1 byte: not UTF-8
            out.write(("\n" + txn("t-3", "3.00") + "\r\n\n   \n" + txn("t-4", "4.00"))
                .getBytes(StandardCharsets.UTF_8));
        }
        final Path rejects = dir.resolve("rejects.tsv");
        final Object[] result = run("score", input.toString(), "--data", dir.resolve("data").toString(),
            "--entities", "1000", "--rejects", rejects.toString());
        assertEquals(0, result[0], "malformed lines never stop a run: " + result[2]);
        assertTrue(((String) result[1]).contains("Scored 3 transactions"), (String) result[1]);
        assertTrue(((String) result[1]).contains("malformed (not a valid transaction) 1"), (String) result[1]);
        assertTrue(((String) result[2]).contains("line 2: customerId: is not valid UTF-8"), (String) result[2]);
        assertTrue(Files.readString(rejects).contains("\t2\tcustomerId: is not valid UTF-8"));
    }

    @Test
    void shouldStopWhenTheDiskIsNearlyFullKeepingWhatWasScored() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append(txn("t-" + i, "1.00")).append('\n');
        }
        Files.writeString(input, lines);
        final Object[] result = run("score", input.toString(), "--data", dir.resolve("data").toString(),
            "--min-free-disk-mb", Long.toString(1L << 30)); // more than this disk has
        assertEquals(1, result[0], (String) result[2]);
        assertTrue(((String) result[2]).contains("stopped before line 4,097 of " + input), (String) result[2]);
        assertTrue(((String) result[2]).contains("engine.min-free-disk-mb"), (String) result[2]);
        assertTrue(((String) result[1]).contains("Scored 4,096 transactions"), (String) result[1]);
        assertEquals(2, run("score", input.toString(), "--data", dir.resolve("d2").toString(), "--min-free-disk-mb",
            "-1")[0], "a negative minimum is a usage error");
    }

    @Test
    void shouldNeverWriteACardNumberInClear() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.writeString(input, txn("t-1", "1.00").replace("\"k-1\"", "\"4111-1111-1111-1111\"") + "\n"
            + "{\"txnId\":\"t-2\", \"note\": \"card 5500 0000 0000 0004\"\n");
        final Path rejects = dir.resolve("rejects.tsv");
        final Object[] result = run("score", input.toString(), "--data", dir.resolve("data").toString(),
            "--entities", "1000", "--rejects", rejects.toString());
        final String written = Files.readString(rejects) + result[1] + result[2];
        assertTrue(Files.readString(rejects).contains("****-****-****-1111"), Files.readString(rejects));
        assertFalse(written.contains("4111-1111-1111-1111") || written.contains("5500 0000 0000 0004"), written);
    }

    @Test
    void shouldSayWhatIsWrongWithAMissingFileBeforeCreatingAnything() {
        final Path data = dir.resolve("data");
        final Object[] result = run("score", dir.resolve("nowhere.jsonl").toString(), "--data", data.toString());
        assertEquals(2, result[0]);
        assertTrue(((String) result[2]).contains("cannot read " + dir.resolve("nowhere.jsonl") + ": no such file"),
            (String) result[2]);
        assertFalse(Files.exists(data), "nothing was created");
    }

    @Test
    void shouldRefuseAFileGivenAsTheDataFolder() throws Exception {
        final Path file = Files.writeString(dir.resolve("lines.jsonl"), "");
        final Object[] result = run("score", file.toString(), "--data", file.toString());
        assertEquals(2, result[0], (String) result[2]);
        assertTrue(((String) result[2]).contains("--data': " + file + " is a file, not a data folder"),
            (String) result[2]);
    }

    /** Runs {@code ecap score} with these options; it must be refused (exit 2) before creating its data folder. */
    private String refused(final String... options) {
        final Path data = dir.resolve("x9");
        final String[] args = new String[options.length + 3];
        args[0] = "score";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = "--data";
        args[options.length + 2] = data.toString();
        final Object[] result = run(args);
        assertEquals(2, result[0], result[1] + "\n" + result[2]);
        assertFalse(Files.exists(data), "nothing was created: " + result[2]);
        return (String) result[2];
    }

    @Test
    void shouldNameTheOptionAndTheReasonBeforeCreatingAnything() {
        final Path rules = dir.resolve("nonexistent.rules");
        final String noRules = refused("--sample", "10", "--rules", rules.toString());
        assertTrue(noRules.contains("--rules: cannot read " + rules + ": no such file"), noRules);
        final Path nan = write(dir.resolve("nan.model"), "ecap-model 1\nname x\nversion 1\ntype logistic\n"
            + "features txn.amount_usd\nintercept 0\nweights NaN\n");
        final String badModel = refused("--sample", "10", "--model", nan.toString());
        assertTrue(badModel.contains("--model " + nan + ": line 7: 'NaN' is not a finite number"), badModel);
        final String huge = refused("--sample", "10", "--entities", "99999999999");
        assertTrue(huge.contains("--entities: expected 1000 to 2147483648 entities per kind, found 99999999999"),
            huge);
        final String zero = refused("--sample", "10", "--entities", "0");
        assertTrue(zero.contains("--entities: expected 1000 to"), zero);
        final String folder = refused(dir.toString());
        assertTrue(folder.contains("cannot read " + dir + ": is a directory"), folder);
    }

    @Test
    void shouldTellRefusalsFromMalformedLinesAndFailWhenTheEngineRefusedAValidLine() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.writeString(input, txn("t-1", "1.00") + "\n{\"not\":\"a transaction\"}\n" + txn("t-1", "9.00") + "\n"
            + txn("t-1", "1.00") + "\n");
        final Object[] result = run("score", input.toString(), "--data", dir.resolve("data").toString(),
            "--entities", "1000");
        final String summary = (String) result[1];
        assertEquals(2, result[0], "the engine refused a valid line: " + result[2]);
        assertTrue(summary.contains("malformed (not a valid transaction) 1, refused by the engine 1, repeats "
            + "answered with their first decision 1"), summary);
        assertTrue(((String) result[2]).contains("line 3: idempotency conflict"), (String) result[2]);
        // the first journal index of a folder (and about one in ten) passes the card-number check: ECAP's own
        // figures are not masked, only what came from the input
        assertTrue(java.util.regex.Pattern.compile("line 3: idempotency conflict: .* \\(journal index [0-9]{10,}\\)")
            .matcher((String) result[2]).find(), (String) result[2]);
        assertTrue(((String) result[2]).contains("the engine refused 1 valid line(s): 1 x idempotency conflict"),
            (String) result[2]);
    }

    @Test
    void shouldRefuseToolsOnACopyOfADataFolderUntilItsEngineGivesItAStateOfItsOwn() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, run("score", "--sample", "50", "--data", data.toString())[0]);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isSymbolicLink(data.resolve("maps")), "a state in memory");
        final Path copy = Files.createDirectories(dir.resolve("copy"));
        try (var files = Files.list(data)) {
            for (final Path f : (Iterable<Path>) files::iterator) { // as cp -r copies: the link as a link
                if (Files.isSymbolicLink(f)) {
                    Files.createSymbolicLink(copy.resolve(f.getFileName()), Files.readSymbolicLink(f));
                } else if (f.getFileName().toString().equals("journal")) {
                    Files.createDirectories(copy.resolve("journal"));
                    try (var journal = Files.list(f)) {
                        for (final Path j : (Iterable<Path>) journal::iterator) {
                            Files.copy(j, copy.resolve("journal").resolve(j.getFileName()));
                        }
                    }
                }
            }
        }
        for (final String[] args : new String[][] {{"state", "--data", copy.toString()},
            {"erase", "--customer", "c-1", "--reason", "x", "--data", copy.toString()},
            {"backup", "--data", copy.toString(), "--to", dir.resolve("backup").toString()}}) {
            final Object[] refused = run(args);
            assertEquals(2, refused[0], args[0] + ": " + refused[2]);
            assertTrue(((String) refused[2]).contains("another data folder, " + data.toRealPath()),
                (String) refused[2]);
        }
        assertFalse(Files.exists(dir.resolve("backup").resolve("journal")), "nothing backed up");
        assertEquals(0, run("score", "--sample", "10", "--data", copy.toString())[0]);
        assertEquals(0, run("state", "--data", copy.toString())[0], "the copy has a state of its own now");
        assertFalse(Files.isSameFile(copy.resolve("maps"), data.resolve("maps")));
    }

    @Test
    void shouldSummariseTheStateOfEachKind() {
        final String data = dir.resolve("data").toString();
        assertEquals(0, run("score", "--sample", "200", "--entities", "1000", "--data", data)[0]);
        final Object[] state = run("state", "--data", data);
        assertEquals(0, state[0], (String) state[2]);
        assertTrue(((String) state[1]).lines().anyMatch(l -> l.startsWith("card ")), (String) state[1]);
        assertTrue(((String) state[1]).matches("(?s).*the (disk|memory \\(tmpfs\\)) holding .* is [0-9.]+% full.*"),
            (String) state[1]);
    }

    private static Path write(final Path file, final String text) {
        try {
            return java.nio.file.Files.writeString(file, text);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
