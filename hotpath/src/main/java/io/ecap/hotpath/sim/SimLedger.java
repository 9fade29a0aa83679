package io.ecap.hotpath.sim;

import io.ecap.model.binary.DecisionFlyweight;
import java.util.Arrays;

/** The decisions the simulated clients were given, by payment number: what must never be lost or changed. */
final class SimLedger {
    private long[] index = new long[1 << 16];
    private int[] score = new int[1 << 16];
    private int[] outcome = new int[1 << 16];

    /** Records the decision payment {@code txn} was answered with (again, when a resend was answered). */
    void ack(final int txn, final DecisionFlyweight decision) {
        if (txn >= index.length) {
            final int size = Math.max(txn + 1, index.length * 2);
            index = Arrays.copyOf(index, size);
            score = Arrays.copyOf(score, size);
            outcome = Arrays.copyOf(outcome, size);
        }
        index[txn] = decision.journalIndex();
        score[txn] = decision.score();
        outcome[txn] = decision.outcomeCode();
    }

    boolean acknowledged(final int txn) {
        return txn < index.length && index[txn] != 0;
    }

    /** The journal index payment {@code txn} was acknowledged at, or 0. */
    long index(final int txn) {
        return txn < index.length ? index[txn] : 0;
    }

    /** Whether {@code decision} is the one payment {@code txn} was acknowledged with. */
    boolean same(final int txn, final DecisionFlyweight decision) {
        return same(txn, decision.journalIndex(), decision);
    }

    /** Whether {@code decision}, journaled at {@code journalIndex}, is the one {@code txn} was acknowledged with. */
    boolean same(final int txn, final long journalIndex, final DecisionFlyweight decision) {
        return acknowledged(txn) && index[txn] == journalIndex && score[txn] == decision.score()
            && outcome[txn] == decision.outcomeCode();
    }

    String describe(final int txn) {
        return acknowledged(txn) ? "outcome " + outcome[txn] + " score " + score[txn] + " at "
            + Long.toHexString(index[txn]) : "never acknowledged";
    }
}
