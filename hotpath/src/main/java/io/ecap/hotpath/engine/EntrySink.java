package io.ecap.hotpath.engine;

import org.agrona.DirectBuffer;

/**
 * Where the engine writes its journal entries: the journal itself when live, or a checker that compares each entry
 * with the one already journaled when replaying.
 */
public interface EntrySink {
    /** Takes one entry and returns its journal index. */
    long append(DirectBuffer entry, int offset, int length);
}
