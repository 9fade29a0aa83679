package io.ecap.gateway;

import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.model.field.PanMask;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's answers for requests that fail before or outside a handler: JSON bodies, the right status, and no
 * stack trace, key or card data in the answer or the log (a logged path has its card numbers masked).
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    /** Installs the error answers; call it once every route is in place (the 405 answer lists their methods). */
    static void install(final Router router) {
        final AllowedMethods allowed = new AllowedMethods(router);
        router.errorHandler(404, ctx -> Replies.fail(ctx, 404, "not_found", "no such route"));
        router.errorHandler(405, ctx -> {
            final String allow = allowed.allow(ctx.normalizedPath());
            ctx.response().putHeader("allow", allow);
            Replies.fail(ctx, 405, "method_not_allowed", "this route does not take " + ctx.request().method().name()
                + "; it takes " + allow);
        });
        router.errorHandler(413, ctx -> Replies.fail(ctx, 413, "payload_too_large", "the request body is too large"));
        router.errorHandler(400, ctx -> Replies.fail(ctx, 400, "bad_request", "the request could not be read"));
        router.errorHandler(417, ctx -> Replies.fail(ctx, 417, "expectation_failed",
            "the only expectation the server meets is 'Expect: 100-continue'"));
        router.errorHandler(500, Errors::internal);
        router.route().failureHandler(Errors::failed);
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
