package io.ecap.hotpath.engine;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Erases entities from the state on request ({@link Erasure}): the records go, zeroed, all-or-nothing through the
 * undo log, and the journal gets an erasure entry holding the id's hash and the records erased, never the id. Live,
 * in a replay and in recovery the entry erases the same records at the same point, so the state stays a function of
 * the journal.
 */
final class Erasures {
    private final FeatureStore store;
    private final EntrySink sink;
    private final TransactionEntities entities;
    private final EngineCounters counters;
    private final ExpandableDirectByteBuffer entry = new ExpandableDirectByteBuffer(ErasureEntryFlyweight.MAX_LENGTH);
    private int lastErased;

    Erasures(final FeatureStore store, final EntrySink sink, final TransactionEntities entities,
        final EngineCounters counters) {
        this.store = store;
        this.sink = sink;
        this.entities = entities;
        this.counters = counters;
    }

    /**
     * Erases and journals; an entity the state does not hold is journaled too (0 records), so the journal has every
     * request. Returns the entry's journal index.
     */
    long erase(final Erasure erasure) {
        final long journalIndex;
        try {
            store.undo().wipeOnClear();
            lastErased = entities.erase(erasure.kind(), erasure.idHash());
            final int length = ErasureEntryFlyweight.encode(entry, erasure, lastErased);
            journalIndex = sink.append(entry, 0, length);
            store.erasureIndex(journalIndex);
            store.appliedThrough(journalIndex);
        } catch (final RuntimeException e) {
            entities.rollback();
            throw e;
        }
        store.complete();
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
        counters.increment(Counter.ERASURES);
        return journalIndex;
    }

    /** Records the last {@link #erase} erased (0: the state held no such entity). */
    int lastErased() {
        return lastErased;
    }

    /** Recovery: erases what the journaled erasure {@code reader} holds names (the caller completes the change). */
    void applyJournaled(final JournalReader reader) {
        final Erasure erasure = ErasureEntryFlyweight.decode(reader.buffer(), reader.length());
        store.undo().wipeOnClear();
        entities.erase(erasure.kind(), erasure.idHash());
        store.erasureIndex(reader.index());
    }
}
