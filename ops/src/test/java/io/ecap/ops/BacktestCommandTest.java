package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.HeadlessDom;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ecap backtest on a journal written by ecap score, with the generator's ground truth. */
class BacktestCommandTest {
    @TempDir
    Path dir;
    private Path data;
    private Path truth;

    /** Runs the command line; returns the exit code, its standard output and its standard error. */
    private static String[] run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            final int code = Ecap.run(args);
            return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @BeforeEach
    void recordProduction() {
        data = dir.resolve("data");
        truth = dir.resolve("truth.jsonl");
        final Path traffic = dir.resolve("traffic.jsonl");
        assertEquals("0", run("generate", "--count", "3000", "--customers", "300", "--fraud-rate", "0.02",
            "--out", traffic.toString(), "--truth", truth.toString())[0]);
        assertEquals("0", run("score", traffic.toString(), "--entities", "1000", "--data", data.toString())[0]);
    }

    @Test
    void shouldSetTheCandidateBesideProductionAndLeaveNoFolderBehind() throws Exception {
        final String[] same = run("backtest", "--data", data.toString(), "--truth", truth.toString());
        assertEquals("0", same[0], same[2]);
        assertTrue(same[1].startsWith("Backtest of 3,000 transactions"), same[1]);
        assertTrue(same[1].contains("Candidate: rules as journaled, model as journaled"), same[1]);
        assertTrue(same[1].contains("Decisions changed: 0 (0.00%)"), same[1]);
        assertTrue(same[1].contains("Fraud by scenario"), "the truth names scenarios: " + same[1]);
        final String[] late = run("backtest", "--data", data.toString(), "--from", "2100-01-01");
        assertEquals("0", late[0], late[2]);
        assertTrue(late[1].startsWith("Backtest of 0 transactions from 2100-01-01T00:00:00Z"), late[1]);

        final Path strict = dir.resolve("strict.rules");
        Files.writeString(strict, "ruleset strict version 1\nthresholds review 1 decline 2\n"
            + "rule ANY weight 10\n    when txn.amount_usd > 0\n");
        final Path html = dir.resolve("backtest.html");
        final String[] all = run("backtest", "--data", data.toString(), "--truth", truth.toString(), "--rules",
            strict.toString(), "--no-model", "--examples", "1", "--html", html.toString());
        assertEquals("0", all[0], all[2]);
        assertTrue(all[1].contains("Candidate: rules from " + strict + ", no model (rule set strict@1, model none)"),
            all[1]);
        assertTrue(all[1].matches("(?s).*decline +\\S+ \\(\\S+%\\) +3,000 \\(100\\.00%\\).*"), all[1]);
        assertTrue(all[1].matches("(?s).*ANY +3,000 .*"), "the rule fired on every transaction: " + all[1]);
        assertTrue(all[1].contains("HTML report: " + html.toAbsolutePath()), all[1]);
        final String page = Files.readString(html);
        assertFalse(java.util.regex.Pattern.compile("(src|href)\\s*=").matcher(page).find(), "nothing from elsewhere");
        assertTrue(page.contains("Candidate: rules from " + strict), "the candidate named on the page");
        assertTrue(page.contains("<td>APPROVE to DECLINE</td>"), "the changes, in a table too");
        assertTrue(page.matches("(?s).*For example: t-\\S+ 20\\d\\d-\\S+Z [0-9.,]+ USD \\(.*"),
            "an example with its time and amount");
        assertTrue(page.contains("ANY (precision "), "each rule with its precision");
        try (Stream<Path> left = Files.list(data)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("replay-")),
                "the backtest's state folder is removed");
        }
        // last: without a Chromium (outside CI) the rest of the test is skipped here
        final String dom = HeadlessDom.of(html, dir);
        assertEquals(6, HeadlessDom.chartsDrawn(dom), "outcomes, catch, money, changes, scenarios and rules drawn");
        assertEquals(3 * 2 + 2, HeadlessDom.bars(dom, "outcomes"), "a bar per outcome and side, a legend swatch each");
    }

    @Test
    void shouldRefuseABadCandidateBeforeReplayingNamingTheOptionAndTheLine() throws IOException {
        final Path broken = dir.resolve("broken.rules");
        Files.writeString(broken, "ruleset b version 1\nthresholds review 1 decline 2\nrule X weight 1\n"
            + "    when nope > 1\n");
        final String[] bad = run("backtest", "--data", data.toString(), "--rules", broken.toString());
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("--rules " + broken + ": line 4: unknown feature 'nope'"), bad[2]);
        assertFalse(bad[2].contains("backtest: reading"), "nothing was read: " + bad[2]);

        final Path binary = Files.write(dir.resolve("binary.rules"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        final String[] notText = run("backtest", "--data", data.toString(), "--rules", binary.toString());
        assertEquals("2", notText[0]);
        assertTrue(notText[2].contains("--rules " + binary + ": not UTF-8 text"), notText[2]);
        final String[] notTextTruth = run("backtest", "--data", data.toString(), "--truth", binary.toString());
        assertEquals("2", notTextTruth[0]);
        assertTrue(notTextTruth[2].contains("--truth " + binary + ": not UTF-8 text"), notTextTruth[2]);

        final Path empty = Files.writeString(dir.resolve("empty.model"), "\n");
        final String[] emptyModel = run("backtest", "--data", data.toString(), "--model", empty.toString());
        assertEquals("2", emptyModel[0]);
        assertTrue(emptyModel[2].contains("--model " + empty + ": the file is empty"), emptyModel[2]);

        final String[] both = run("backtest", "--data", data.toString(), "--model", broken.toString(),
            "--no-model");
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("--model and --no-model"), both[2]);

        final String[] examples = run("backtest", "--data", data.toString(), "--examples", "-1");
        assertEquals("2", examples[0]);
        assertTrue(examples[2].contains("--examples: expected 0 to 1000, found -1"), examples[2]);

        final String[] from = run("backtest", "--data", data.toString(), "--from", "yesterday");
        assertEquals("2", from[0]);
        assertTrue(from[2].contains("--from: expected a day (2026-11-01)"), from[2]);

        final String[] noJournal = run("backtest", "--data", dir.resolve("empty").toString());
        assertEquals("2", noJournal[0], "a usage error");
        assertTrue(noJournal[2].contains("no journal in"), noJournal[2]);

        final Path twice = Files.writeString(dir.resolve("twice.truth"), "{\"txnId\":\"t-1\",\"scenario\":"
            + "\"CARD_TESTING\"}\n{\"txnId\":\"t-1\",\"scenario\":\"BOT_BURST\"}\n");
        final String[] conflicting = run("backtest", "--data", data.toString(), "--truth", twice.toString());
        assertEquals("2", conflicting[0]);
        assertTrue(conflicting[2].contains("line 2: t-1 is named again, with scenario BOT_BURST after CARD_TESTING"),
            conflicting[2]);

        final String[] dataAsJournal = run("backtest", "--data", data.toString(), "--journal", data.toString());
        assertEquals("2", dataAsJournal[0]);
        assertTrue(dataAsJournal[2].contains("it looks like a data folder"), dataAsJournal[2]);

        final Path rules = Files.writeString(dir.resolve("keep.rules"), "ruleset k version 1\n"
            + "thresholds review 400 decline 700\n");
        final String[] overInput = run("backtest", "--data", data.toString(), "--rules", rules.toString(), "--html",
            rules.toString());
        assertEquals("2", overInput[0]);
        assertTrue(overInput[2].contains("--html " + rules + ": that is an input of the backtest"), overInput[2]);
        assertTrue(Files.readString(rules).startsWith("ruleset k"), "the rule file is left as it was");
        final String[] inJournal = run("backtest", "--data", data.toString(), "--html",
            data.resolve("journal").resolve("page.html").toString());
        assertEquals("2", inJournal[0]);
        assertTrue(inJournal[2].contains("inside the journal folder"), inJournal[2]);
    }
}
