package io.ecap.gateway.live;

import io.ecap.gateway.GatewayMetrics;
import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.cases.CaseDatabase;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.http.QueryParams;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.model.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/live?minutes=N&top=K} (scope {@code analyst}; docs/LISTS.md): the live figures of every engine that
 * shares the lists' Redis ({@link LiveFigures}), for keys of every merchant (a merchant-limited key gets 403: the
 * figures name every merchant). Without {@code lists.redis-url} the route answers 503
 * {@code live_off}; while Redis is away, 503 {@code live_unavailable} with Retry-After. With a case database, the
 * answer also has the review queue's size from it ({@code reviewQueue}: cases open and in review; null while the
 * database is away: the other figures do not wait for it).
 */
public final class LiveRoutes {
    static final int RETRY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(LiveRoutes.class);

    /** Cases waiting for an analyst, by status; the status index answers it. */
    private static final String QUEUE = "SELECT status, count(*) FROM ecap_cases WHERE status IN ('OPEN', "
        + "'IN_REVIEW') GROUP BY status";

    private final LiveFigures figures;
    private final CaseDatabase cases;
    private final GatewayMetrics metrics;

    /**
     * Routes over {@code figures}, or answering 503 when it is null (no Redis configured), with the review queue's
     * size from {@code cases} (null: cases off) and this gateway's recent latency from {@code metrics}.
     */
    public LiveRoutes(final LiveFigures figures, final CaseDatabase cases, final GatewayMetrics metrics) {
        this.figures = figures;
        this.cases = cases;
        this.metrics = metrics;
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
            QueryParams.only(ctx.queryParams(), List.of("minutes", "top"));
            minutes = QueryParams.wholeNumber(ctx.queryParams().get("minutes"), "minutes", 1,
                LiveFigures.MINUTES_KEPT, 60);
            top = QueryParams.wholeNumber(ctx.queryParams().get("top"), "top", 1, 100, 10);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        final Future<JsonObject> queue = reviewQueue();
        figures.read(minutes, top, System.currentTimeMillis()).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (ar.succeeded()) {
                queue.onComplete(q -> Replies.json(ctx, 200, ar.result().put("reviewQueue", q.result())
                    .put("latency", metrics.latency())));
            } else {
                RequestIds.warn(LOG, ctx, "Live figures: reading failed: {}", ar.cause().toString());
                Replies.unavailable(ctx, "live_unavailable", "the live figures' store (Redis) is unavailable or too "
                    + "slow; try again", RETRY_SECONDS);
            }
        });
    }

    /** {@code {"open": n, "inReview": m}}, or null without a case database or while it is away (never fails). */
    private Future<JsonObject> reviewQueue() {
        if (cases == null) {
            return Future.succeededFuture(null);
        }
        return cases.run(pool -> pool.preparedQuery(QUEUE).execute()).map(rows -> {
            final JsonObject out = new JsonObject().put("open", 0L).put("inReview", 0L);
            for (final Row row : rows) {
                out.put("OPEN".equals(row.getString(0)) ? "open" : "inReview", row.getLong(1));
            }
            return out;
        }).otherwise((JsonObject) null);
    }
}
