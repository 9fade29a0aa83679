package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityTable;
import io.ecap.model.Outcome;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineBehaviourTest {
    private static final long T0 = 1_795_500_000_000L;
    private static final long MINUTE = 60_000L;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerARepeatedTransactionWithItsFirstDecisionAndChangeNothing() throws Exception {
        try (Harness h = Harness.start(dir)) {
            final Harness.Answer first = h.score(txn("t-1", T0, "c-1", "k-1", "30.00", "\"deviceId\":\"d-1\""));
            final long scored = h.engine.counters().get(EngineCounters.Counter.SCORED);
            final Harness.Answer again = h.score("{\"deviceId\":\"d-1\",\"txnId\":\"t-1\",\"ts\":" + T0
                + ",\"customerId\":\"c-1\",\"cardId\":\"k-1\",\"merchantId\":\"m-1\",\"amount\":30,"
                + "\"currency\":\"USD\"}");
            assertEquals(Commands.RESPONSE_DUPLICATE, again.type(), "the same content, written differently");
            assertEquals(first.journalIndex(), again.journalIndex());
            assertEquals(first.score(), again.score());
            final Harness.Answer other = h.score(txn("t-1", T0 + MINUTE, "c-1", "k-1", "999.00", ""));
            assertEquals(Commands.RESPONSE_CONFLICT, other.type(), "the same id with other content is refused");
            assertEquals(first.journalIndex(), other.journalIndex(), "the answer names the first entry");
            assertEquals(1, h.engine.counters().get(EngineCounters.Counter.CONFLICTS));
            assertEquals(scored, h.engine.counters().get(EngineCounters.Counter.SCORED), "nothing scored again");
            final Harness.Answer next = h.score(txn("t-2", T0 + 2 * MINUTE, "c-1", "k-1", "30.00", ""));
            assertEquals(Commands.RESPONSE_DECISION, next.type());
            assertEquals(2.0, h.journaledFeature(next.journalIndex(), "customer.count_1h"),
                "the repeat did not count: two transactions in the hour");
            assertEquals(60.0, h.journaledFeature(next.journalIndex(), "customer.sum_1h_usd"));
        }
        try (Harness h = Harness.start(dir)) {
            assertEquals(Commands.RESPONSE_DUPLICATE, h.score(txn("t-2", T0 + 2 * MINUTE, "c-1", "k-1", "30.00", ""))
                .type(), "idempotency survives a restart");
            assertEquals(Commands.RESPONSE_CONFLICT, h.score(txn("t-2", T0, "c-1", "k-1", "1", "")).type(),
                "and so does the content check");
        }
    }

    @Test
    void shouldBackPressureWhenTheRingIsFullOrTooManyAreInFlight() {
        final int capacity = 64 * 1024;
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final OneToOneRingBuffer responses = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        final EngineClient unlimited = new EngineClient(0, ring, responses, 100_000, () -> { });
        int accepted = 0;
        while (unlimited.offer(Commands.SCORE, message, 0, message.capacity()) > 0) {
            accepted++;
        }
        // each record: 8-byte header + 16-byte command header + 1000 bytes, aligned to 8
        assertEquals(capacity / 1024, accepted, "a full ring refuses, it never queues more");
        assertEquals(-1, unlimited.offer(Commands.SCORE, message, 0, 10));

        final ManyToOneRingBuffer empty = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final EngineClient limited = new EngineClient(1, empty, responses, 3, () -> { });
        for (int i = 0; i < 3; i++) {
            assertTrue(limited.offer(Commands.SCORE, message, 0, 10) > 0);
        }
        assertEquals(-1, limited.offer(Commands.SCORE, message, 0, 10), "in-flight limit reached");
        assertEquals(3, limited.inFlight());
    }

    @Test
    void shouldRejectAnInvalidRuleSetWholeAndKeepTheLiveOne() throws Exception {
        try (Harness h = Harness.start(dir)) {
            final ExecutionException e = assertThrows(ExecutionException.class, () -> h.engine.loadRuleSet(
                "ruleset bad version 1\nthresholds review 1 decline 2\nrule A weight 1\n    when nope > 1\n",
                "alice", T0).get());
            assertTrue(e.getCause() instanceof RuleSetException);
            assertEquals("line 4: unknown feature 'nope'", ((RuleSetException) e.getCause()).problems().get(0));
            assertEquals("default@2", h.score(txn("t-1", T0, "c", "k", "1", "")).ruleSet());

            final long index = h.engine.loadRuleSet("ruleset strict version 5\nthresholds review 10 decline 20\n"
                + "rule ANY weight 50\n    when txn.amount_usd > 0\n", "alice", T0).get();
            assertTrue(index > 0);
            final Harness.Answer strict = h.score(txn("t-2", T0, "c", "k", "1", ""));
            assertEquals(Outcome.DECLINE, strict.outcome());
            assertEquals("ANY", strict.reasons().get(0));
            assertEquals("strict@5", strict.ruleSet());
        }
        try (Harness h = Harness.start(dir)) {
            assertEquals(Outcome.DECLINE, h.score(txn("t-3", T0, "c", "k", "1", "")).outcome(),
                "the journaled rule set is live after a restart");
            final ExecutionException taken = assertThrows(ExecutionException.class, () -> h.engine.loadRuleSet(
                "ruleset strict version 5\nthresholds review 10 decline 20\nrule OTHER weight 5\n    when "
                    + "txn.amount_usd > 1\n", "bob", T0).get(), "strict@5 names one content for good");
            assertTrue(((RuleSetException) taken.getCause()).problems().get(0)
                .contains("went live or into the shadow before"));
            assertEquals("strict@5", h.score(txn("t-4", T0, "c", "k", "1", "")).ruleSet(), "nothing changed");
        }
        final io.ecap.hotpath.replay.Replay.Result replay = io.ecap.hotpath.replay.Replay.run(dir.resolve("journal"),
            dir.resolve("replayed"), 10_000, 50_000, n -> { });
        assertTrue(replay.identical(), replay.examples().toString());
    }

    @Test
    void shouldCountAConfirmedFraudOnceAndDeclineTheCardAfterwards() throws Exception {
        try (Harness h = Harness.start(dir)) {
            assertEquals(Outcome.APPROVE, h.score(txn("t-1", T0, "c-1", "k-1", "40.00", "")).outcome());
            final Harness.Answer label = h.label("t-1", "FRAUD");
            assertEquals(Commands.RESPONSE_ACCEPTED, label.type());
            h.label("t-1", "FRAUD");
            final Harness.Answer after = h.score(txn("t-2", T0 + MINUTE, "c-2", "k-1", "40.00", ""));
            assertEquals(Outcome.DECLINE, after.outcome());
            assertTrue(after.has("CONFIRMED_FRAUD_CARD"));
            assertEquals(2, h.engine.counters().get(EngineCounters.Counter.LABELS));
            assertEquals(1.0, h.journaledFeature(after.journalIndex(), "card.fraud_labels"),
                "the second label for the same transaction did not count");
            h.label("nobody", "FRAUD");
            assertEquals(1, h.engine.counters().get(EngineCounters.Counter.LABELS_UNMATCHED));
        }
    }

    @Test
    void shouldCatchTheClassicPatternsWithTheDefaultRules() throws Exception {
        try (Harness h = Harness.start(dir)) {
            // impossible travel: Berlin, then New York ten minutes later
            h.score(txn("tr-1", T0, "c-t", "k-t", "20.00", "\"lat\":52.52,\"lon\":13.40"));
            final Harness.Answer travel = h.score(txn("tr-2", T0 + 10 * MINUTE, "c-t", "k-t", "20.00",
                "\"lat\":40.71,\"lon\":-74.00"));
            assertTrue(travel.has("IMPOSSIBLE_TRAVEL"), travel.toString());

            // account takeover: a known customer, a device never seen with it, a high amount
            for (int i = 0; i < 3; i++) {
                h.score(txn("ato-" + i, T0 + i * 86_400_000L, "c-a", "k-a", "35.00", "\"deviceId\":\"d-home\""));
            }
            final Harness.Answer ato = h.score(txn("ato-x", T0 + 4 * 86_400_000L, "c-a", "k-a", "1500.00",
                "\"deviceId\":\"d-new\""));
            assertTrue(ato.has("NEW_DEVICE_HIGH_AMOUNT"), ato.toString());
            assertTrue(ato.has("AMOUNT_ANOMALY"), ato.toString());
            assertNotEquals(Outcome.APPROVE, ato.outcome());

            // many cards on one device
            Harness.Answer cards = null;
            for (int i = 0; i < 5; i++) {
                cards = h.score(txn("mc-" + i, T0 + i * MINUTE, "c-m" + i, "k-m" + i, "25.00",
                    "\"deviceId\":\"d-farm\""));
            }
            assertTrue(cards.has("MANY_CARDS_ON_DEVICE"), cards.toString());

            // an ordinary purchase stays approved with no reasons
            final Harness.Answer normal = h.score(txn("ok-1", T0, "c-ok", "k-ok", "42.00", "\"deviceId\":\"d-ok\""));
            assertEquals(Outcome.APPROVE, normal.outcome(), normal.toString());
            assertFalse(normal.reasons().iterator().hasNext());
        }
    }

    @Test
    void shouldScoreEveryNewEntityWhenStateOutgrowsItsFirstSize() throws Exception {
        try (Harness h = new Harness(EngineConfig.defaults(dir).withEntries(1000, 100_000))) {
            for (int i = 0; i < 20_000; i++) {
                final Harness.Answer a = h.score(txn("g-" + i, T0 + i * 1000L, "c-" + i, "k-" + i, "10.00",
                    "\"deviceId\":\"d-" + i + "\",\"ip\":\"10.1." + i / 250 + "." + i % 250 + "\""));
                assertEquals(Commands.RESPONSE_DECISION, a.type(), "g-" + i + ": " + a.txnId());
            }
            final EntityTable cards = h.engine.store().entities(EntityKind.CARD);
            assertEquals(20_000, cards.live());
            assertTrue(cards.indexSlots() >= 32_768, "the card index grew: " + cards.indexSlots() + " slots");
            assertEquals(0, h.engine.counters().get(EngineCounters.Counter.ERRORS));
            final long again = h.score(txn("again", T0 + 30_000_000L, "c-7", "k-7", "10.00", "")).journalIndex();
            assertEquals(0.0, h.journaledFeature(again, "card.is_new"), "an early card is found after growth");
            assertEquals(2.0, h.journaledFeature(again, "card.count_24h"), "with its history");
        }
    }

    @Test
    void shouldTakeAModelAwayAsAJournaledChange() throws Exception {
        final String model = "ecap-model 1\nname lr\nversion 3\ntype logistic\nfeatures txn.amount_usd\n"
            + "intercept -2\nweights 0.01\nmissing 0\n";
        try (Harness h = Harness.start(dir)) {
            h.engine.loadModel(model, "test", T0).get();
            assertEquals("lr@3", h.score(txn("m-1", T0, "c-1", "k-1", "30.00", "")).modelVersion());
            final long none = h.engine.loadModel("", "test (rollback to none)", T0 + MINUTE).get();
            assertEquals(none, h.engine.store().meta().modelIndex(), "taking the model away is journaled");
            assertEquals("none", h.score(txn("m-2", T0 + MINUTE, "c-1", "k-1", "30.00", "")).modelVersion());
            assertEquals(2, h.engine.store().history().list(io.ecap.hotpath.journal.EntryType.MODEL).size());
        }
        try (Harness h = Harness.start(dir)) {
            assertEquals("none", h.score(txn("m-3", T0 + 2 * MINUTE, "c-1", "k-1", "30.00", "")).modelVersion(),
                "still rules only after a restart");
        }
        final io.ecap.hotpath.replay.Replay.Result replay = io.ecap.hotpath.replay.Replay.run(dir.resolve("journal"),
            dir.resolve("replayed"), 10_000, 50_000, n -> { });
        assertTrue(replay.identical(), replay.examples().toString());
    }

    @Test
    void shouldRefuseASecondEngineOnTheSameData() throws Exception {
        try (Harness h = Harness.start(dir)) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> Harness.start(dir));
            assertTrue(e.getMessage().contains("in use by another ECAP engine"), e.getMessage());
            assertEquals(Outcome.APPROVE, h.score(txn("t-1", T0, "c", "k", "1.00", "")).outcome(),
                "the first engine is unharmed");
        }
        try (Harness again = Harness.start(dir)) {
            assertEquals(Commands.RESPONSE_DUPLICATE, again.score(txn("t-1", T0, "c", "k", "1.00", "")).type(),
                "the folder is free again once the first engine stopped");
        }
    }
}
