package io.ecap.gateway.live;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.model.ValidationException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/live?minutes=N&top=K} (scope {@code analyst}; docs/LISTS.md): the live figures of every engine that
 * shares the lists' Redis ({@link LiveFigures}), for keys of every merchant (a merchant-limited key gets 403: the
 * figures name every merchant). Without {@code lists.redis-url} the route answers 503
 * {@code live_off}; while Redis is away, 503 {@code live_unavailable} with Retry-After.
 */
public final class LiveRoutes {
    static final int RETRY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(LiveRoutes.class);

    private final LiveFigures figures;

    /** Routes over {@code figures}, or answering 503 when it is null (no Redis configured). */
    public LiveRoutes(final LiveFigures figures) {
        this.figures = figures;
    }

    public void live(final RoutingContext ctx) {
        if (figures == null) {
            Replies.fail(ctx, 503, "live_off", "live figures are off: no Redis is configured (set lists.redis-url, "
                + "see docs/LISTS.md)");
            return;
        }
        final ApiKey key = ctx.get(Authenticator.KEY);
        if (key != null && key.limitedToMerchants()) {
            Replies.fail(ctx, 403, "forbidden", "this key is limited to some merchants; the live figures cover every "
                + "merchant, so only a key for all merchants may read them");
            return;
        }
        final int minutes;
        final int top;
        try {
            minutes = whole(ctx, "minutes", 60, LiveFigures.MINUTES_KEPT);
            top = whole(ctx, "top", 10, 100);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        figures.read(minutes, top, System.currentTimeMillis()).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (ar.succeeded()) {
                Replies.json(ctx, 200, ar.result());
            } else {
                RequestIds.warn(LOG, ctx, "Live figures: reading failed: {}", ar.cause().toString());
                Replies.unavailable(ctx, "live_unavailable", "the live figures' store (Redis) is unavailable or too "
                    + "slow; try again", RETRY_SECONDS);
            }
        });
    }

    /** A query parameter that is a whole number from 1 to {@code max}, or {@code absent} when it is not given. */
    private static int whole(final RoutingContext ctx, final String name, final int absent, final int max) {
        final java.util.List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) {
            return absent;
        }
        if (values.size() > 1) {
            throw new ValidationException(name, "given more than once");
        }
        final String text = values.get(0);
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > max) {
            throw new ValidationException(name, "expected a whole number from 1 to " + max + ", found '"
                + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'");
        }
        return Integer.parseInt(text);
    }
}
