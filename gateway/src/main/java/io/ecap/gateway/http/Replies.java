package io.ecap.gateway.http;

import io.ecap.model.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Every error the gateway answers, in one shape: {@code {"error": code, "message": text, "field": name}}. Messages
 * never carry stack traces, keys or card data; the field and the problem come from the input's validation.
 */
public final class Replies {
    private Replies() {
    }

    public static void json(final RoutingContext ctx, final int status, final Buffer body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    public static void json(final RoutingContext ctx, final int status, final JsonObject body) {
        json(ctx, status, body.toBuffer());
    }

    public static JsonObject error(final String code, final String message) {
        return new JsonObject().put("error", code).put("message", message);
    }

    public static void fail(final RoutingContext ctx, final int status, final String code, final String message) {
        json(ctx, status, error(code, message));
    }

    /**
     * 503 to a batch the engine filled up part way (its ring, or the disk): {@code done} says how much of it was taken,
     * {@code extra} is merged into the answer; sending the batch again is safe.
     */
    public static void partWay(final RoutingContext ctx, final boolean diskFull, final String done,
        final JsonObject extra) {
        ctx.response().putHeader("retry-after", diskFull ? Integer.toString(DISK_FULL_RETRY_SECONDS) : "1");
        json(ctx, 503, error(diskFull ? "disk_full" : "saturated", (diskFull
            ? "the server's disk is nearly full: new work is refused until space is freed; "
            : "the engine is busy; ") + done + "; send the batch again").mergeIn(extra));
    }

    /** 400 naming the field and the problem. */
    public static void invalid(final RoutingContext ctx, final ValidationException e) {
        json(ctx, 400, invalidBody(e));
    }

    public static JsonObject invalidBody(final ValidationException e) {
        // "$" is the document itself; "[3].$" an element of a batch that is not one JSON object
        return error(e.field().endsWith("$") ? "invalid_json" : "invalid_field", e.getMessage()).put("field",
            e.field());
    }

    /**
     * The body of an idempotency conflict: the transaction id was scored before with other content. Nothing changed;
     * the first decision stands and can be fetched.
     */
    public static JsonObject conflict(final long firstJournalIndex) {
        return error("idempotency_conflict", "this txnId was scored before with other content; the first decision "
            + "stands (journal index " + firstJournalIndex + ", GET /v1/decisions/{txnId}); send a new txnId for a new "
            + "payment").put("field", "txnId").put("firstJournalIndex", firstJournalIndex);
    }

    /** 503 with Retry-After: the engine is saturated or still starting. */
    public static void unavailable(final RoutingContext ctx, final String code, final String message) {
        unavailable(ctx, code, message, 1);
    }

    /** Retry-After of a {@code disk_full} answer: space comes back in minutes, not milliseconds. */
    public static final int DISK_FULL_RETRY_SECONDS = 30;

    /** 503 {@code disk_full}: the engine refuses new work while its disk is nearly full (no server path named). */
    public static void diskFull(final RoutingContext ctx) {
        unavailable(ctx, "disk_full", "the server's disk is nearly full: new work is refused until space is freed; "
            + "nothing was accepted", DISK_FULL_RETRY_SECONDS);
    }

    /** 503 with Retry-After in seconds. */
    public static void unavailable(final RoutingContext ctx, final String code, final String message,
        final int retryAfterSeconds) {
        final HttpServerResponse response = ctx.response();
        response.putHeader("retry-after", Integer.toString(retryAfterSeconds));
        fail(ctx, 503, code, message);
    }
}
