package io.ecap.gateway;

import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.model.field.PanMask;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's answers for requests that fail before or outside a handler: JSON bodies, the right status, and no
 * stack trace, key or card data in the answer or the log (a logged path has its card numbers masked).
 */
public final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    /** A '%' not followed by two hexadecimal digits. */
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private Errors() {
    }

    /**
     * Installs the error answers; call it once every route is in place (the 405 answer lists their methods).
     * {@code bodyLimit} gives a path's body limit, which a 413 names.
     */
    public static void install(final Router router, final java.util.function.ToIntFunction<String> bodyLimit) {
        final AllowedMethods allowed = new AllowedMethods(router);
        router.errorHandler(404, ctx -> Replies.fail(ctx, 404, "not_found", "no such route"));
        router.errorHandler(405, ctx -> {
            final String allow = allowed.allow(ctx.normalizedPath());
            ctx.response().putHeader("allow", allow);
            Replies.fail(ctx, 405, "method_not_allowed", "this route does not take " + ctx.request().method().name()
                + "; it takes " + allow);
        });
        router.errorHandler(413, ctx -> Replies.fail(ctx, 413, "payload_too_large", "the request body is over this "
            + "route's limit of " + bodyLimit.applyAsInt(ctx.normalizedPath()) + " bytes"));
        router.errorHandler(400, Errors::badRequest);
        router.errorHandler(417, ctx -> Replies.fail(ctx, 417, "expectation_failed",
            "the only expectation the server meets is 'Expect: 100-continue'"));
        router.errorHandler(500, Errors::internal);
        router.route().failureHandler(Errors::failed);
    }

    /**
     * A 400 from Vert.x Web itself. The one a client can cause on a request the codec read is a query string that is
     * not percent-encoding (the router fails it before any route): named as such.
     */
    private static void badRequest(final RoutingContext ctx) {
        final String query = ctx.request().query();
        if (query != null && BAD_ESCAPE.matcher(query).find()) {
            Replies.fail(ctx, 400, "invalid_query", "the query string could not be decoded: a '%' must start an "
                + "escape of two hexadecimal digits (%25 for '%' itself)");
            return;
        }
        Replies.fail(ctx, 400, "bad_request", "the request could not be read");
    }

    /**
     * A request that failed in a handler. A client that went away mid-request (closed its connection while sending
     * the body) is no error of the gateway's: noted at debug level, nothing to answer. Everything else goes on to the
     * error answers above.
     */
    private static void failed(final RoutingContext ctx) {
        if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
            LOG.debug("the client closed the connection during {} {}", ctx.request().method(),
                PanMask.mask(ctx.normalizedPath()));
            return;
        }
        ctx.next();
    }

    private static void internal(final RoutingContext ctx) {
        final Throwable failure = ctx.failure();
        RequestIds.warn(LOG, ctx, "{} failed: {}", PanMask.mask(ctx.normalizedPath()),
            failure == null ? "unknown" : failure.getClass().getSimpleName());
        if (!ctx.response().ended()) {
            Replies.fail(ctx, 500, "internal", "the request failed inside the gateway");
        }
    }
}
