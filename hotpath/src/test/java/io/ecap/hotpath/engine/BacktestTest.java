package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static io.ecap.hotpath.engine.Txns.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.replay.Backtest;
import io.ecap.model.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backtest's figures against a count made by hand from the same journal. */
class BacktestTest {
    private static final String BIG = "ruleset big version 1\nthresholds review 100 decline 200\n"
        + "rule BIG weight 300\n    when txn.amount_usd > 100\n";

    @TempDir
    Path dir;

    /** Twenty payments of 10 to 200 dollars, each by a customer and card of its own; their production outcomes. */
    private Map<Integer, Outcome> recordProduction(final Harness h) {
        final Map<Integer, Outcome> outcomes = new HashMap<>();
        for (int dollars = 10; dollars <= 200; dollars += 10) {
            outcomes.put(dollars, h.score(txn("t-" + dollars, T0 + dollars * 1000L, "c-" + dollars, "k-" + dollars,
                dollars + ".00", "")).outcome());
        }
        h.label("t-150", "FRAUD");
        h.label("t-50", "FRAUD");
        h.label("t-120", "LEGIT");
        return outcomes;
    }

    @Test
    void shouldCountWhatACandidateRuleSetWouldHaveDoneAgainstTheJournalsLabels() throws Exception {
        final Map<Integer, Outcome> production;
        try (Harness h = Harness.start(dir)) {
            production = recordProduction(h);
        }
        final Path journal = dir.resolve("journal");
        final Backtest.Labels labels = Backtest.journalLabels(journal);
        assertEquals(Set.of("t-150", "t-50"), labels.fraud().keySet());
        assertEquals(Set.of("t-120"), labels.legit());

        final Backtest.Result r = Backtest.run(journal, dir.resolve("bt"), 10_000, 50_000,
            new Backtest.Candidate(BIG, null), labels, 100, 0, n -> { });

        assertEquals(20, r.transactions());
        assertEquals("big@1", r.candidateRules());
        assertNull(r.candidateModel(), "the model is left as journaled");
        final Backtest.Tally c = r.candidate();
        assertEquals(10, c.count(Outcome.DECLINE), "110 to 200 dollars");
        assertEquals(10, c.count(Outcome.APPROVE));
        assertEquals(1, c.fraud(Outcome.DECLINE), "t-150");
        assertEquals(0.5, c.recall());
        assertEquals(0.1, c.precision());
        assertEquals(150.0, c.fraudUsd(Outcome.DECLINE));
        assertEquals(50.0, c.fraudUsd(Outcome.APPROVE));
        assertEquals(9, c.falseDeclines());
        assertEquals(1550.0 - 150.0, c.legitUsd(Outcome.DECLINE));
        assertArrayEquals(new long[] {10, 1}, r.ruleHits().get("BIG"));

        final long[][] expected = new long[3][3];
        final Backtest.Tally p = r.production();
        for (final Map.Entry<Integer, Outcome> e : production.entrySet()) {
            final Outcome candidate = e.getKey() > 100 ? Outcome.DECLINE : Outcome.APPROVE;
            expected[e.getValue().ordinal()][candidate.ordinal()]++;
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], r.changed()[i], "production " + Outcome.values()[i]);
        }
        assertEquals(production.values().stream().filter(o -> o == Outcome.DECLINE).count(),
            p.count(Outcome.DECLINE));
        assertEquals(r.changedTotal(), r.examples().size(), "100 examples per kind keep every change");
        assertTrue(r.examples().stream().anyMatch(e -> e.txnId().equals("t-150") && e.truth().equals("fraud")
            && e.candidate().startsWith("DECLINE 300 [BIG")), r.examples().toString());
        assertTrue(r.examples().stream().anyMatch(e -> e.txnId().equals("t-120")
            && e.truth().equals("legitimate (labelled)")), r.examples().toString());

        // compared from 110 dollars' time on: the ten larger payments, every entry still replayed
        final Backtest.Result later = Backtest.run(journal, dir.resolve("bt-later"), 10_000, 50_000,
            new Backtest.Candidate(BIG, null), labels, 100, T0 + 110_000L, n -> { });
        assertEquals(10, later.transactions());
        assertEquals(r.entries(), later.entries());
        assertEquals(10, later.candidate().count(Outcome.DECLINE));
        assertEquals(1, later.candidate().fraudTotal(), "t-50 is before the start");
    }

    @Test
    void shouldChangeNothingWithoutACandidateAndKeepACandidateAcrossTheJournalsRuleChanges() throws Exception {
        final long declinedBefore;
        try (Harness h = Harness.start(dir)) {
            declinedBefore = recordProduction(h).values().stream().filter(o -> o == Outcome.DECLINE).count();
            h.engine.loadRuleSet(BIG, "alice", T0).get();
            h.score(txn("t-after", T0 + 300_000L, "c-x", "k-x", "150.00", ""));
        }
        final Path journal = dir.resolve("journal");
        final Backtest.Labels labels = Backtest.journalLabels(journal);

        final Backtest.Result same = Backtest.run(journal, dir.resolve("same"), 10_000, 50_000,
            new Backtest.Candidate(null, null), labels, 3, 0, n -> { });
        assertEquals(21, same.transactions());
        assertEquals(0, same.changedTotal(), "the journal's own configuration decides as production did");
        assertEquals(same.production().count(Outcome.DECLINE), same.candidate().count(Outcome.DECLINE));
        assertEquals(declinedBefore + 1, same.candidate().count(Outcome.DECLINE),
            "t-after was declined by big@1, put live in the journal");

        final String lenient = "ruleset lenient version 1\nthresholds review 900 decline 1000\n";
        final Backtest.Result kept = Backtest.run(journal, dir.resolve("kept"), 10_000, 50_000,
            new Backtest.Candidate(lenient, ""), labels, 3, 0, n -> { });
        assertEquals(0, kept.candidate().count(Outcome.DECLINE) + kept.candidate().count(Outcome.REVIEW),
            "the journal's big@1 does not replace the candidate");
        assertEquals("none", kept.candidateModel());
    }

    @Test
    void shouldRefuseAFolderThatHoldsStateAlready() throws Exception {
        try (Harness h = Harness.start(dir)) {
            recordProduction(h);
        }
        final Path journal = dir.resolve("journal");
        assertTrue(Files.exists(dir.resolve("maps").resolve("engine.meta")));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backtest.run(journal,
            dir.resolve("maps"), 10_000, 50_000, new Backtest.Candidate(BIG, null), Backtest.journalLabels(journal),
            3, 0, n -> { }));
        assertTrue(e.getMessage().contains("needs a new folder"), e.getMessage());
    }
}
