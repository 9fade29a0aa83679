package io.ecap.hotpath.engine;

import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.state.Erasure;
import java.util.concurrent.CompletableFuture;

/**
 * A rule set, model or part of the challenger to put live ({@code entryType}, an {@code EntryType}), a block or
 * allow list change ({@code listChange} not null), or an erasure ({@code erasure} not null; {@code erased} then
 * completes first, with the records it erased). Rare and possibly large, so it travels as an object through a queue
 * rather than through the ring; the future completes with the journal index (0: a list change applied before), or
 * fails with the reason it was rejected.
 */
record AdminCommand(int entryType, String text, String actor, long tsMs, ListChange listChange, Erasure erasure,
    CompletableFuture<Integer> erased, CompletableFuture<Long> result) {
}
