package io.ecap.gateway.auth;

import io.ecap.gateway.console.ConsoleSessions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running gateway's keys in step with the keys file, so that keys are rotated without a restart: every
 * {@link #PERIOD_MS} the file is looked at (off the event loops) and, when it changed, read again. A key created by
 * {@code ecap keys create} works from then on; a key revoked by {@code ecap keys revoke} is refused from then on, the
 * console sessions it logged in end, and the WebSockets it opened are closed (1008, "API key revoked"). A file that
 * does not read, or is empty, leaves the keys as they were, with an error in the log naming the line; a file that is
 * gone is written again from the keys in force.
 */
public final class KeyWatch {
    /** How often the keys file is looked at. */
    public static final long PERIOD_MS = 2_000;
    /** The event-bus address on which the revoked keys' hashes are published, a JSON array. */
    private static final String REVOKED = "ecap.keys.revoked";
    private static final Logger LOG = LoggerFactory.getLogger(KeyWatch.class);

    private KeyWatch() {
    }

    /** Starts watching; returns the timer, for {@link Vertx#cancelTimer}. */
    public static long start(final Vertx vertx, final ApiKeys keys, final ConsoleSessions sessions) {
        return vertx.setPeriodic(PERIOD_MS, id -> vertx.executeBlocking(keys::reload).onComplete(done -> {
            if (done.failed()) {
                LOG.error("API keys: {}", done.cause().getMessage());
            } else if (done.result() != null) {
                final ApiKeys.Change change = done.result();
                LOG.warn("API keys changed in the keys file: {}", change);
                if (!change.revoked().isEmpty()) {
                    sessions.revoke(change.revokedHashes());
                    vertx.eventBus().publish(REVOKED, new JsonArray(java.util.List.copyOf(change.revokedHashes())));
                }
            }
        }));
    }

    /**
     * Closes {@code ws} (1008) when {@code key} is revoked. The returned consumer is to be unregistered when the
     * socket closes.
     */
    public static MessageConsumer<JsonArray> closeOnRevoke(final Vertx vertx, final ServerWebSocket ws,
        final ApiKey key) {
        return vertx.eventBus().<JsonArray>localConsumer(REVOKED, message -> {
            if (message.body().contains(key.sha256()) && !ws.isClosed()) {
                ws.close((short) 1008, "API key revoked");
            }
        });
    }
}
