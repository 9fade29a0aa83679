package io.ecap.hotpath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineRunnerTest {
    @TempDir
    Path dir;

    record Answer(int type, long correlationId, String txnId, Outcome outcome, int score, long journalIndex,
        List<String> reasons) {
    }

    static List<Answer> drain(final EngineClient client, final int expected) {
        final List<Answer> answers = new ArrayList<>();
        final DecisionFlyweight d = new DecisionFlyweight();
        while (answers.size() < expected) {
            client.poll((type, correlationId, journalIndex, buffer, body, length) -> {
                if (type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE) {
                    d.wrapForDecode(buffer, body, length);
                    final List<String> reasons = new ArrayList<>();
                    for (int i = 0; i < d.reasonCount(); i++) {
                        reasons.add(d.reasonCode(i));
                    }
                    answers.add(new Answer(type, correlationId, d.string(DecisionFlyweight.TXN_ID), d.outcome(),
                        d.score(), d.journalIndex(), reasons));
                } else {
                    answers.add(new Answer(type, correlationId, null, null, 0, journalIndex, List.of()));
                }
            }, 100);
            Thread.onSpinWait();
        }
        return answers;
    }

    @Test
    void shouldScoreAndAnswerRepeatsWithTheFirstDecision() throws Exception {
        final Txns t = new Txns();
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir), Throwable::printStackTrace)) {
            final EngineClient client = engine.newClient();
            t.txn("t-1", Txns.T0, "c-1", "card-1", "25.00", "");
            assertTrue(client.offer(Commands.SCORE, t.buffer, 0, t.length) > 0);
            final Answer first = drain(client, 1).get(0);
            assertEquals(Commands.RESPONSE_DECISION, first.type());
            assertEquals("t-1", first.txnId());
            assertEquals(Outcome.APPROVE, first.outcome());
            assertTrue(first.journalIndex() > 0);

            client.offer(Commands.SCORE, t.buffer, 0, t.length);
            final Answer again = drain(client, 1).get(0);
            assertEquals(Commands.RESPONSE_DUPLICATE, again.type());
            assertEquals(first.journalIndex(), again.journalIndex());
            assertEquals(first.score(), again.score());
            assertEquals(1, engine.counters().get(EngineCounters.Counter.SCORED));
            assertEquals(1, engine.counters().get(EngineCounters.Counter.DUPLICATES));
        }
    }

    @Test
    void shouldCatchCardTesting() throws Exception {
        final Txns t = new Txns();
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir), Throwable::printStackTrace)) {
            final EngineClient client = engine.newClient();
            for (int i = 0; i < 8; i++) {
                t.txn("ct-" + i, Txns.T0 + i * 20_000L, "c-2", "card-2", "1.0" + i, "");
                client.offer(Commands.SCORE, t.buffer, 0, t.length);
            }
            final List<Answer> answers = drain(client, 8);
            assertEquals(Outcome.APPROVE, answers.get(0).outcome());
            final Answer last = answers.get(7);
            assertTrue(last.reasons().contains("CARD_TESTING"), last.toString());
            assertTrue(last.outcome() != Outcome.APPROVE, last.toString());
        }
    }

    @Test
    void shouldWakeAClientThatWaitsForItsAnswersExactlyOnceAndNeverLeaveItAsleep() throws Exception {
        final Txns t = new Txns();
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(dir), Throwable::printStackTrace)) {
            final EngineClient client = engine.newClient();
            final java.util.concurrent.Semaphore wakes = new java.util.concurrent.Semaphore(0);
            client.waker(wakes::release);
            for (int i = 0; i < 2_000; i++) {
                t.txn("w-" + i, Txns.T0 + i * 1_000L, "c-" + i % 50, "card-" + i % 70, "12.00", "");
                assertTrue(client.offer(Commands.SCORE, t.buffer, 0, t.length) > 0);
                if (client.awaitAnswers()) {
                    // asleep: the writer must wake it, or the answer would never be collected
                    assertTrue(wakes.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "left asleep at " + i);
                }
                assertEquals(1, drain(client, 1).size());
                assertEquals(0, wakes.availablePermits(), "woken twice at " + i);
            }
            assertEquals(0, client.inFlight());
            // with an answer already waiting, asking to sleep says "poll instead" and no wake-up follows
            t.txn("w-last", Txns.T0 + 3_000_000L, "c-1", "card-1", "12.00", "");
            client.offer(Commands.SCORE, t.buffer, 0, t.length);
            while (client.commandRingBacklog() > 0) {
                Thread.onSpinWait();
            }
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!client.answersWaiting() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the writer's answer, not yet polled
            }
            assertTrue(client.answersWaiting(), "the writer answered within 10 s");
            assertFalse(client.awaitAnswers(), "an answer is waiting: poll it instead of sleeping");
            drain(client, 1);
        }
    }
}
