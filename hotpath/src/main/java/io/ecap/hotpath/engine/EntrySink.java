package io.ecap.hotpath.engine;

import io.ecap.hotpath.journal.Journal;
import org.agrona.DirectBuffer;

/**
 * Where the engine writes its journal entries: the journal itself when live, or a checker that compares each entry
 * with the one already journaled when replaying.
 */
public interface EntrySink {
    /** Takes one entry and returns its journal index. */
    long append(DirectBuffer entry, int offset, int length);

    /**
     * Loads the memory the next entry will be written to, so that its cache misses overlap with the entity lookups'
     * instead of stalling the append; changes nothing.
     *
     * @return a value that depends on every load.
     */
    default long prefetchNext() {
        return 0;
    }

    /** The journal itself. */
    static EntrySink of(final Journal journal) {
        return new EntrySink() {
            @Override
            public long append(final DirectBuffer entry, final int offset, final int length) {
                return journal.append(entry, offset, length);
            }

            @Override
            public long prefetchNext() {
                return journal.prefetchNext();
            }
        };
    }
}
