package io.ecap.gateway.http;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP codec could not decode (a malformed request line or header, a request line or header block over
 * the codec's limits) never reach the router. Vert.x would answer them with an empty body; they get the documented
 * JSON error like any other answer (docs/API.md, "Errors"), and the connection is closed after it: what follows a
 * request that could not be read cannot be trusted to start the next one.
 */
public final class InvalidRequests {
    private InvalidRequests() {
    }

    public static void answer(final HttpServerRequest request) {
        final Throwable cause = request.decoderResult().cause();
        final String detail = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (cause instanceof TooLongFrameException && detail.startsWith("An HTTP line is larger than")) {
            end(request, 414, Replies.error("uri_too_long",
                "the request line is longer than the server reads (4096 bytes)"));
        } else if (cause instanceof TooLongFrameException && detail.startsWith("HTTP header is larger than")) {
            end(request, 431, Replies.error("headers_too_large",
                "the request headers are larger than the server reads (8192 bytes)"));
        } else {
            end(request, 400, Replies.error("bad_request",
                "the request could not be read (a malformed request line or header)"));
        }
    }

    private static void end(final HttpServerRequest request, final int status, final JsonObject error) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
            .putHeader("connection", "close").end(error.toBuffer())
            .onComplete(done -> request.connection().close());
    }
}
