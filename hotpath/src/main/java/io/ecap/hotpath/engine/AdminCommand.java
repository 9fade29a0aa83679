package io.ecap.hotpath.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A rule set or model to put live. Rare and possibly large, so it travels as an object through a queue rather than
 * through the ring; the future completes with the journal index, or fails with the reason it was rejected.
 */
record AdminCommand(boolean isModel, String text, String actor, long tsMs, CompletableFuture<Long> result) {
}
