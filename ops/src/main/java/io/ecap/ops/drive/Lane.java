package io.ecap.ops.drive;

import io.ecap.ops.generate.GeneratedEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** One way of sending traffic, bound to one event loop. */
interface Lane extends AutoCloseable {
    /** Sends {@code event}, due at {@code intendedNs} (System.nanoTime); callable from any thread. */
    void send(GeneratedEvent event, long intendedNs);

    @Override
    void close();

    /** A refusal as a short stable line: status, error code and message, e.g. {@code 429 rate_limited: ...}. */
    static String describe(final int status, final String body) {
        try {
            final JsonObject error = new JsonObject(body);
            final String message = error.getString("message", "");
            return status + " " + error.getString("error", "?") + ": "
                + (message.length() > 100 ? message.substring(0, 100) + "..." : message);
        } catch (final DecodeException | ClassCastException e) {
            return status + " (body not JSON)";
        }
    }
}
