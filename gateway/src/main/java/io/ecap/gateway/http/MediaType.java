package io.ecap.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Requires the body's media type a route reads: {@code application/json} for the JSON routes, {@code text/plain} for
 * rule and model files; parameters such as {@code charset} are fine. Anything else, or none, is answered 415 naming
 * the type expected: a form-encoded body (what {@code curl -d} sends by default) or a multipart form ({@code curl -F})
 * is not JSON, and treating it as such only hid the mistake. A request without a body has no type to check (the
 * route then says what is missing).
 */
public final class MediaType {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain";

    private MediaType() {
    }

    /** A handler (after the body handler) that lets requests of {@code expected} through and answers the others. */
    public static Handler<RoutingContext> require(final String expected) {
        return ctx -> {
            final String given = ctx.request().getHeader("content-type");
            if (matches(given, expected) || bodyless(ctx)) {
                ctx.next();
                return;
            }
            Replies.fail(ctx, 415, "unsupported_media_type", "expected Content-Type: " + expected
                + (given == null ? " (there was none)" : " (found " + given + ")"));
        };
    }

    /**
     * Whether the request came without a body. The body read is not enough to tell: a multipart form (what
     * {@code curl -F} sends) is decoded into form attributes and leaves it empty, so a body announced by
     * Content-Length or chunked transfer counts too.
     */
    private static boolean bodyless(final RoutingContext ctx) {
        if (ctx.body() != null && ctx.body().length() > 0) {
            return false;
        }
        final String length = ctx.request().getHeader("content-length");
        final String transfer = ctx.request().getHeader("transfer-encoding");
        return (length == null || length.trim().equals("0")) && transfer == null;
    }

    /** Whether a Content-Type header names {@code expected}, whatever its parameters and letter case. */
    static boolean matches(final String header, final String expected) {
        if (header == null) {
            return false;
        }
        final int semicolon = header.indexOf(';');
        final String type = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals(expected);
    }
}
