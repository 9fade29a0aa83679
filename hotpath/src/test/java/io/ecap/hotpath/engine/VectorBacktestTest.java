package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static io.ecap.hotpath.engine.Txns.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.EntityFeature;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.replay.Backtest;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.Outcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest from the journaled vectors against a replay of the same journal: the same result, every figure. */
class VectorBacktestTest {
    /** Declines every payment over 100 dollars, and reviews a card after two declines in a row. */
    private static final String STREAK = "ruleset streak version 1\nthresholds review 100 decline 200\n"
        + "rule BIG weight 300\n    when txn.amount_usd > 100\n"
        + "rule STREAK weight 150\n    when card.consecutive_declines >= 2\n";

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheReplaysResultWhenTheCandidatesDeclinesChangeLaterFeatures() throws Exception {
        try (Harness h = Harness.start(dir)) {
            // ten cards, each: two large payments, then three small ones, then a large one. Production (the bundled
            // rules) approves them, so the journal says no card was ever declined; the candidate declines the large
            // ones, and its own declines in a row make STREAK fire on the small ones after them
            int n = 0;
            for (int card = 0; card < 10; card++) {
                for (final String amount : new String[] {"150.00", "160.00", "20.00", "30.00", "25.00", "170.00"}) {
                    n++;
                    h.score(txn("t-" + n, T0 + n * 60_000L, "c-" + card, "k-" + card, amount, ""));
                }
            }
            h.label("t-21", "FRAUD");
        }
        final Backtest.Result replayed = bothWays(new Backtest.Candidate(STREAK, ""), 0, 10_000);
        assertTrue(replayed.ruleHits().get("STREAK")[0] > 0, "the candidate's own declines in a row matter here");
    }

    @Test
    void shouldGiveTheReplaysResultWithoutACandidateAndFromADay() throws Exception {
        try (Harness h = Harness.start(dir)) {
            for (int i = 0; i < 40; i++) {
                h.score(txn("t-" + i, T0 + i * 3_600_000L, "c-" + i % 7, "k-" + i % 5, (1 + i * 37 % 900) + ".00", ""));
            }
        }
        for (final Backtest.Candidate candidate : new Backtest.Candidate[] {new Backtest.Candidate(null, null),
            new Backtest.Candidate(STREAK, null)}) {
            assertEquals(20, bothWays(candidate, T0 + 20 * 3_600_000L, 10_000).transactions());
        }
    }

    @Test
    void shouldStartAnEntityRemovedByRetentionFromNoDeclines() throws Exception {
        final EngineConfig config = EngineConfig.defaults(dir).withEntries(1000, 1000).withSettings(EngineSettings.of(
            Map.of(EntityKind.CARD, 1, EntityKind.CUSTOMER, 1, EntityKind.DEVICE, 1, EntityKind.IP, 1)));
        try (Harness h = new Harness(config)) {
            // card k-0: two payments the candidate declines, then nothing for a week while other cards pay (their
            // lookups sweep k-0 out), then a small payment: new again, so no declines in a row to count
            h.score(txn("t-a", T0, "c-0", "k-0", "150.00", ""));
            h.score(txn("t-b", T0 + 60_000L, "c-0", "k-0", "160.00", ""));
            for (int i = 0; i < 300; i++) {
                h.score(txn("t-o" + i, T0 + 7 * DAY + i * 1000L, "c-o" + i, "k-o" + i, "20.00", ""));
            }
            h.score(txn("t-back", T0 + 8 * DAY, "c-0", "k-0", "20.00", ""));
        }
        final Path journal = dir.resolve("journal");
        assertEquals(1.0, journaledFeature(journal, "t-back", FeatureCatalog.of(EntityKind.CARD, EntityFeature.IS_NEW)),
            "retention removed the card");
        bothWays(new Backtest.Candidate(STREAK, ""), 0, 1000);
    }

    @Test
    void shouldApplyTheJournalsListChangesWhereTheJournalHasThem() throws Exception {
        try (Harness h = Harness.start(dir)) {
            for (int i = 0; i < 30; i++) {
                if (i == 10 || i == 20) {
                    h.engine.listChange(new ListChange(ListType.BLOCK, ListKind.CARD, i == 10,
                        ListKind.CARD.canonical("k-1", "value"), "test", "analyst-1", T0, 1000, i)).get();
                }
                // k-1 pays small amounts: only the block list declines it
                final String amount = i % 3 == 1 ? "20.00" : (100 + i * 7) + ".00";
                h.score(txn("t-" + i, T0 + i * 60_000L, "c-" + i % 3, "k-" + i % 3, amount, ""));
            }
        }
        final Backtest.Result replayed = bothWays(new Backtest.Candidate(STREAK, ""), 0, 10_000);
        assertTrue(replayed.examples().stream().noneMatch(e -> e.candidate().contains("BLOCKLIST")),
            "a list decides for both sides alike: no change shows it");
        assertTrue(replayed.candidate().count(Outcome.DECLINE) >= 3, "k-1 blocked for ten payments");
    }

    private static final long DAY = 86_400_000L;

    /** One feature of a transaction as the journal holds it. */
    private static double journaledFeature(final Path journalDir, final String txnId, final int feature) {
        final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader().after(0)) {
            while (reader.nextOfType(EntryType.SCORED)) {
                scored.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                if (txn.string(TransactionFlyweight.TXN_ID).equals(txnId)) {
                    return scored.feature(feature);
                }
            }
        }
        throw new AssertionError(txnId + " not in the journal");
    }

    /**
     * The backtest of the journal in {@link #dir} from the vectors and by a replay (into state of {@code entities}
     * per kind): checks that the vectors served and that both give every figure alike; returns the replay's result.
     */
    private Backtest.Result bothWays(final Backtest.Candidate candidate, final long fromMs, final long entities)
        throws Exception {
        final Path journal = dir.resolve("journal");
        final Backtest.Labels labels = Backtest.journalLabels(journal);
        final String run = "run-" + ++runs;
        final Backtest.Result fast = Backtest.runFastest(journal, dir.resolve(run + "-fast"), entities, 50_000,
            candidate, labels, 100, fromMs, n -> { });
        final Backtest.Result replayed = Backtest.run(journal, dir.resolve(run + "-replayed"), entities, 50_000,
            candidate, labels, 100, fromMs, n -> { });
        assertEquals(Backtest.FROM_VECTORS, fast.method());
        assertEquals(Backtest.REPLAYED, replayed.method());
        assertSame(replayed, fast);
        return replayed;
    }

    private int runs;

    /** Every figure of the two results, but how long they took and how. */
    private static void assertSame(final Backtest.Result expected, final Backtest.Result actual) {
        assertEquals(expected.entries(), actual.entries());
        assertEquals(expected.transactions(), actual.transactions());
        assertEquals(expected.firstTsMs(), actual.firstTsMs());
        assertEquals(expected.lastTsMs(), actual.lastTsMs());
        assertEquals(expected.candidateRules(), actual.candidateRules());
        assertEquals(expected.candidateModel(), actual.candidateModel());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected.changed()[i], actual.changed()[i], "changed from " + Outcome.values()[i]);
            assertArrayEquals(expected.changedFraud()[i], actual.changedFraud()[i]);
        }
        for (final Outcome o : Outcome.values()) {
            assertEquals(expected.production().count(o), actual.production().count(o));
            assertEquals(expected.candidate().count(o), actual.candidate().count(o), o.name());
            assertEquals(expected.candidate().fraud(o), actual.candidate().fraud(o));
            assertEquals(expected.candidate().legitUsd(o), actual.candidate().legitUsd(o));
        }
        assertEquals(expected.examples(), actual.examples());
        assertEquals(expected.ruleHits().keySet(), actual.ruleHits().keySet());
        for (final Map.Entry<String, long[]> e : expected.ruleHits().entrySet()) {
            assertArrayEquals(e.getValue(), actual.ruleHits().get(e.getKey()), e.getKey());
        }
    }
}
