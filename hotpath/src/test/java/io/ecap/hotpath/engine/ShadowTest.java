package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static io.ecap.hotpath.engine.Txns.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ShadowDecisions;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The challenger in the shadow: scored and journaled beside every decision, never deciding, kept across restarts. */
class ShadowTest {
    /** Declines everything over 100 dollars; the default rules approve these small new-card payments. */
    private static final String STRICT = "ruleset strict version 1\nthresholds review 100 decline 200\n"
        + "rule BIG weight 300\n    when txn.amount_usd > 100\n";
    private static final String MODEL = "ecap-model 1\nname lr\nversion 7\ntype logistic\nfeatures txn.amount_usd\n"
        + "intercept -2\nweights 0.01\nmissing 0\n";

    @TempDir
    Path dir;

    /**
     * The entry journaled at {@code index}: its decision, and its shadow's decision (the next entry, which the writer
     * journals right after the answer: waited for, up to ten seconds) or null. Checks that the features decode: the
     * amount feature is {@code amountUsd}.
     */
    private static DecisionFlyweight[] entry(final Harness h, final long index, final double amountUsd) {
        try (JournalReader reader = h.engine.journal().reader();
             ShadowDecisions shadows = new ShadowDecisions(h.engine.journal())) {
            assertTrue(reader.read(index));
            final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
            final DecisionFlyweight decision = new DecisionFlyweight();
            scored.wrapForDecode(reader.buffer(), 0, reader.length(), new TransactionFlyweight(), decision);
            final double[] features = new double[scored.featureCount()];
            scored.features(features);
            assertEquals(amountUsd, features[FeatureCatalog.TXN_AMOUNT_USD]);
            assertFalse(scored.hasShadow(), "the challenger's decision is never inside the entry any more");
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (scored.shadowFollows() && shadows.awaiting(reader)) {
                assertTrue(System.nanoTime() < deadline, "the challenger's decision never came");
                Thread.onSpinWait();
            }
            final DecisionFlyweight shadow = shadows.of(scored, index);
            assertEquals(scored.shadowFollows(), shadow != null, "a decision follows exactly when the entry says so");
            return new DecisionFlyweight[] {copy(decision), shadow == null ? null : copy(shadow)};
        }
    }

    private static DecisionFlyweight copy(final DecisionFlyweight d) {
        final byte[] bytes = new byte[d.encodedLength()];
        d.buffer().getBytes(d.offset(), bytes);
        final DecisionFlyweight out = new DecisionFlyweight();
        out.wrapForDecode(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
        return out;
    }

    @Test
    void shouldScoreTheChallengerBesideEveryDecisionWithoutChangingItAndKeepItAcrossARestart() throws Exception {
        try (Harness h = Harness.start(dir)) {
            final Harness.Answer before = h.score(txn("t-0", T0, "c-0", "k-0", "150.00", ""));
            assertEquals(null, entry(h, before.journalIndex(), 150.0)[1], "no challenger yet: no shadow in the entry");

            h.engine.loadConfig(EntryType.SHADOW_RULE_SET, STRICT, "alice", T0).get();
            final Harness.Answer big = h.score(txn("t-1", T0 + 1000, "c-1", "k-1", "150.00", ""));
            final Harness.Answer small = h.score(txn("t-2", T0 + 2000, "c-2", "k-2", "20.00", ""));
            assertEquals(Outcome.APPROVE, big.outcome(), "the live rules decide");
            assertEquals("default@2", big.ruleSet());
            final DecisionFlyweight[] bigEntry = entry(h, big.journalIndex(), 150.0);
            assertEquals(Outcome.APPROVE, bigEntry[0].outcome());
            assertEquals(Outcome.DECLINE, bigEntry[1].outcome(), "the challenger would have declined");
            assertEquals(300, bigEntry[1].score());
            assertEquals("BIG", bigEntry[1].reasonCode(0));
            assertEquals("strict@1", bigEntry[1].string(DecisionFlyweight.RULE_SET_VERSION));
            assertEquals("none", bigEntry[1].string(DecisionFlyweight.MODEL_VERSION), "the live model: none");
            assertEquals(0, bigEntry[1].engineNanos(), "the shadow's decision carries no time");
            assertEquals(Outcome.APPROVE, entry(h, small.journalIndex(), 20.0)[1].outcome());
            final EngineCounters c = h.engine.counters();
            assertEquals(1, c.get(EngineCounters.Counter.SHADOW_DECLINED));
            assertEquals(1, c.get(EngineCounters.Counter.SHADOW_APPROVED));
            assertEquals(1, c.get(EngineCounters.Counter.SHADOW_DIFFERENT));

            h.engine.loadConfig(EntryType.SHADOW_MODEL, MODEL, "alice", T0).get();
        }
        try (Harness h = Harness.start(dir)) {
            final Harness.Answer after = h.score(txn("t-3", T0 + 3000, "c-3", "k-3", "150.00", ""));
            final DecisionFlyweight shadow = entry(h, after.journalIndex(), 150.0)[1];
            assertEquals(Outcome.DECLINE, shadow.outcome(), "the challenger is back after a restart");
            assertEquals("lr@7", shadow.string(DecisionFlyweight.MODEL_VERSION));
            assertEquals("none", after.modelVersion(), "the challenger's model never goes live");

            h.engine.loadConfig(EntryType.SHADOW_RULE_SET, "", "alice", T0).get();
            final DecisionFlyweight modelOnly = entry(h, h.score(txn("t-4", T0 + 4000, "c-4", "k-4", "150.00", ""))
                .journalIndex(), 150.0)[1];
            assertEquals("default@2", modelOnly.string(DecisionFlyweight.RULE_SET_VERSION),
                "without a challenger rule set the live one stands in");
            assertEquals("lr@7", modelOnly.string(DecisionFlyweight.MODEL_VERSION));

            h.engine.loadConfig(EntryType.SHADOW_MODEL, "", "alice", T0).get();
            assertEquals(null, entry(h, h.score(txn("t-5", T0 + 5000, "c-5", "k-5", "150.00", ""))
                .journalIndex(), 150.0)[1], "nothing left in the shadow");
        }
        final Replay.Result replay = Replay.run(dir.resolve("journal"), dir.resolve("replayed"), 10_000, 50_000,
            n -> { });
        assertTrue(replay.identical(), "the shadow's decisions are reproduced too: " + replay.examples());
        assertEquals(6, replay.scored());
        assertEquals(4, replay.shadows(), "t-1 to t-4 had a challenger");
    }

    @Test
    void shouldRefuseAChallengerThatDoesNotParseOrReusesALiveVersionWithOtherContent() throws Exception {
        try (Harness h = Harness.start(dir)) {
            final ExecutionException bad = assertThrows(ExecutionException.class, () -> h.engine.loadConfig(
                EntryType.SHADOW_RULE_SET, "ruleset x version 1\nrule A weight 1\n    when nope > 1\n", "a", T0)
                .get());
            assertTrue(bad.getCause() instanceof RuleSetException, bad.toString());
            final ExecutionException taken = assertThrows(ExecutionException.class, () -> h.engine.loadConfig(
                EntryType.SHADOW_RULE_SET, "ruleset default version 2\nthresholds review 1 decline 2\n", "a", T0)
                .get());
            assertTrue(((RuleSetException) taken.getCause()).problems().get(0)
                .contains("went live or into the shadow before"));
            final DecisionFlyweight[] e = entry(h, h.score(txn("t-1", T0, "c-1", "k-1", "150.00", ""))
                .journalIndex(), 150.0);
            assertEquals(null, e[1], "nothing went into the shadow");
            assertArrayEquals(new long[] {0, 0}, new long[] {h.engine.store().meta().shadowRuleSetIndex(),
                h.engine.store().meta().shadowModelIndex()});
        }
    }

    @Test
    void shouldJournalTheChallengersDecisionAtStartWhenTheProcessStoppedBetweenTheAnswerAndIt() throws Exception {
        try (Harness h = Harness.start(dir)) {
            h.engine.loadConfig(EntryType.SHADOW_RULE_SET, STRICT, "alice", T0).get();
        }
        final long scoredIndex;
        // an engine that answers and stops before the challenger's decision, as a kill at that moment would
        try (Journal journal = Journal.open(dir.resolve("journal").toFile());
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(dir.resolve("maps"), 10_000, 50_000)) {
            final Engine engine = new Engine(store, EntrySink.of(journal), lookup, DefaultRules.ruleSet(),
                new EngineCounters());
            Recovery.run(engine, journal.reader(), store.meta(), new EngineCounters());
            final ExpandableArrayBuffer message = new ExpandableArrayBuffer(512);
            final byte[] json = txn("t-1", T0 + 1000, "c-1", "k-1", "150.00", "").getBytes(StandardCharsets.UTF_8);
            final int length = new TransactionJson().parse(new UnsafeBuffer(json), 0, json.length, message, 0);
            assertEquals(Engine.SCORED, engine.score(message, 0, length));
            scoredIndex = journal.lastIndex();
        }
        try (Harness h = Harness.start(dir)) {
            assertEquals(1, h.engine.counters().get(EngineCounters.Counter.SHADOWS_COMPLETED));
            assertTrue(h.engine.startupReport().contains("the challenger's decision on the last transaction"),
                h.engine.startupReport());
            final DecisionFlyweight[] completed = entry(h, scoredIndex, 150.0);
            assertEquals(Outcome.APPROVE, completed[0].outcome());
            assertEquals(Outcome.DECLINE, completed[1].outcome(), "journaled at start, as it would have been");
            assertEquals("strict@1", completed[1].string(DecisionFlyweight.RULE_SET_VERSION));
            final Harness.Answer next = h.score(txn("t-2", T0 + 2000, "c-2", "k-2", "20.00", ""));
            assertEquals(Outcome.APPROVE, entry(h, next.journalIndex(), 20.0)[1].outcome());
        }
        try (Harness h = Harness.start(dir)) {
            assertEquals(0, h.engine.counters().get(EngineCounters.Counter.SHADOWS_COMPLETED), "nothing left to do");
        }
        final Replay.Result replay = Replay.run(dir.resolve("journal"), dir.resolve("replayed"), 10_000, 50_000,
            n -> { });
        assertTrue(replay.identical(), "the completed decision is reproduced too: " + replay.examples());
        assertEquals(2, replay.scored());
        assertEquals(2, replay.shadows());
    }
}
