package io.ecap.hotpath.journal;

import io.ecap.model.binary.DecisionFlyweight;

/**
 * Finds the challenger's decision on a scored transaction where the engine journaled it: in the entry right after
 * the scored one (version 4: the challenger is scored after the answer), or inside it (version 3, journals written
 * before 2026-12-06). Readers that put the two side by side (the lake's loaders, {@code ecap journal}) keep one
 * beside their own reader; it reads with a reader of its own.
 */
public final class ShadowDecisions implements AutoCloseable {
    private final JournalReader next;
    private final DecisionFlyweight decision = new DecisionFlyweight();

    public ShadowDecisions(final Journal journal) {
        this.next = journal.reader();
    }

    /**
     * The challenger's decision on {@code scored}, the entry at {@code journalIndex}; null if none was in the shadow,
     * or if it is not journaled yet ({@link #awaiting}). Valid until the next call.
     */
    public DecisionFlyweight of(final ScoredEntryFlyweight scored, final long journalIndex) {
        if (scored.hasShadow()) {
            return scored.shadow(decision);
        }
        return scored.shadowFollows() && readNext(journalIndex) ? decision : null;
    }

    /**
     * True if {@code reader} holds a scored entry whose challenger's decision is not journaled yet: the engine writes
     * it microseconds after the answer, or, if the process stopped in between, when it starts again. A reader that
     * follows the journal stops in front of such an entry and comes back to it.
     */
    public boolean awaiting(final JournalReader reader) {
        return reader.type() == EntryType.SCORED && ScoredEntryFlyweight.shadowFollows(reader.buffer(), 0)
            && !readNext(reader.index());
    }

    private boolean readNext(final long journalIndex) {
        if (!next.after(journalIndex).next() || next.type() != EntryType.SHADOW_DECISION) {
            return false;
        }
        ShadowEntryFlyweight.decode(next.buffer(), 0, next.length(), decision);
        return decision.journalIndex() == journalIndex;
    }

    @Override
    public void close() {
        next.close();
    }
}
