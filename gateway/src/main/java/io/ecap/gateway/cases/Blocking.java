package io.ecap.gateway.cases;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a Vert.x future from a thread of our own (the case writer's, never an event loop), so that the database
 * work reads as straight-line code there. Any failure, a timeout included, becomes a {@link CaseStoreException}: the
 * caller cannot tell whether a transaction that timed out committed, and does not need to, because it resumes from
 * the position the database holds.
 */
final class Blocking {
    private Blocking() {
    }

    static <T> T await(final Future<T> future, final Duration timeout, final String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CaseStoreException(what + ": " + cause.getMessage(), cause);
        } catch (final TimeoutException e) {
            throw new CaseStoreException(what + ": no answer within " + timeout.toSeconds() + " s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaseStoreException(what + ": interrupted", e);
        }
    }
}
