package io.ecap.gateway.analytics;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.cases.CaseDatabase;
import io.ecap.gateway.http.QueryParams;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.model.ValidationException;
import io.ecap.model.field.Ids;
import io.ecap.model.field.PanMask;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics API ({@code /v1/analytics/...}, scope {@code analytics}; {@code /v1/customers/{id}} also for an
 * {@code analyst}): read-only over the serving tables the lake publishes into the case database
 * ({@code ecap lake publish}). Without a case database 503 {@code analytics_off}; before the first publication 503
 * {@code analytics_unpublished}; while the database is unavailable 503 with Retry-After. The figures cover every
 * merchant, so a key limited to some merchants is refused.
 */
public final class AnalyticsRoutes {
    static final int RETRY_SECONDS = 5;
    private static final int MAX_ROWS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRoutes.class);

    private final CaseDatabase database;
    private final java.util.function.Supplier<ChurnLive> churnLive;

    /** @param churnLive the payments since the churn model's day, or null until the engine is ready */
    public AnalyticsRoutes(final CaseDatabase database, final java.util.function.Supplier<ChurnLive> churnLive) {
        this.database = database;
        this.churnLive = churnLive;
    }

    /** {@code GET /v1/analytics}: what was published, when, and as of which day. */
    public void index(final RoutingContext ctx) {
        serve(ctx, c -> {
            QueryParams.only(c.queryParams(), List.of());
            return pool -> AnalyticsReads.table(pool, "tables", "SELECT name, rows, as_of, published_at FROM "
                + "analytics_publications ORDER BY name", Tuple.tuple());
        });
    }

    /** {@code GET /v1/analytics/customers?segment=&minChurn=&limit=&after=}. */
    public void customers(final RoutingContext ctx) {
        serve(ctx, c -> {
            final MultiMap q = c.queryParams();
            QueryParams.only(q, List.of("segment", "minChurn", "limit", "after"));
            final String segment = text(q.get("segment"), "segment", 64);
            final Double minChurn = share(q.get("minChurn"), "minChurn");
            final String after = text(q.get("after"), "after", Ids.MAX_LENGTH);
            final int limit = QueryParams.wholeNumber(q.get("limit"), "limit", 1, 1000, 100);
            return pool -> AnalyticsReads.customers(pool, segment, minChurn, after, limit);
        });
    }

    /** {@code GET /v1/analytics/segments}: the newest segment sizes. */
    public void segments(final RoutingContext ctx) {
        serve(ctx, c -> {
            QueryParams.only(c.queryParams(), List.of());
            return pool -> AnalyticsReads.table(pool, "segments", "SELECT * FROM analytics_segment_sizes ORDER BY "
                + "customers DESC, segment", Tuple.tuple());
        });
    }

    /** {@code GET /v1/analytics/cohorts}: retention by acquisition cohort and period. */
    public void cohorts(final RoutingContext ctx) {
        serve(ctx, c -> {
            QueryParams.only(c.queryParams(), List.of("limit"));
            final int limit = QueryParams.wholeNumber(c.queryParams().get("limit"), "limit", 1, MAX_ROWS, 1000);
            return pool -> AnalyticsReads.table(pool, "cohorts", "SELECT * FROM analytics_cohort_retention ORDER BY "
                + "cohort, period_index LIMIT $1", Tuple.tuple(), limit);
        });
    }

    /** {@code GET /v1/analytics/revenue?from=&to=&limit=}: daily revenue by channel and country. */
    public void revenue(final RoutingContext ctx) {
        serve(ctx, c -> {
            final MultiMap q = c.queryParams();
            QueryParams.only(q, List.of("from", "to", "limit"));
            final LocalDate from = day(q.get("from"), "from");
            final LocalDate to = day(q.get("to"), "to");
            if (from != null && to != null && to.isBefore(from)) {
                throw new ValidationException("to", "is before from (" + from + ")");
            }
            final int limit = QueryParams.wholeNumber(q.get("limit"), "limit", 1, MAX_ROWS, 1000);
            return pool -> AnalyticsReads.table(pool, "revenue", "SELECT * FROM analytics_revenue_daily WHERE "
                + "($1::date IS NULL OR day >= $1) AND ($2::date IS NULL OR day <= $2) ORDER BY day, channel, country "
                + "LIMIT $3", Tuple.of(from, to), limit);
        });
    }

    /** {@code GET /v1/analytics/products?category=&limit=}: products by purchases, most first. */
    public void products(final RoutingContext ctx) {
        serve(ctx, c -> {
            final MultiMap q = c.queryParams();
            QueryParams.only(q, List.of("category", "limit"));
            final String category = text(q.get("category"), "category", 128);
            final int limit = QueryParams.wholeNumber(q.get("limit"), "limit", 1, MAX_ROWS, 100);
            return pool -> AnalyticsReads.table(pool, "products", "SELECT * FROM analytics_product_performance "
                + "WHERE ($1::text IS NULL OR category = $1) ORDER BY purchases DESC, product_id LIMIT $2",
                Tuple.of(category), limit);
        });
    }

    /**
     * {@code GET /v1/analytics/drift?model=}: how far each feature a fraud model reads has moved from its training
     * window (population stability index, {@code ecap lake drift}), the largest shift first.
     */
    public void drift(final RoutingContext ctx) {
        serve(ctx, c -> {
            final MultiMap q = c.queryParams();
            QueryParams.only(q, List.of("model"));
            final String model = text(q.get("model"), "model", 160);
            return pool -> AnalyticsReads.table(pool, "drift", "SELECT * FROM analytics_feature_drift WHERE "
                + "($1::text IS NULL OR model = $1) ORDER BY psi DESC, model, feature LIMIT $2", Tuple.of(model),
                MAX_ROWS);
        });
    }

    /** {@code GET /v1/customers/:customerId}: segment, CLV, churn risk, last orders and fraud history in one. */
    public void customer(final RoutingContext ctx) {
        serve(ctx, c -> {
            QueryParams.only(c.queryParams(), List.of());
            final String id = c.pathParam("customerId");
            Ids.check(id, Ids.MAX_LENGTH, "customerId");
            if (PanMask.contains(id)) {
                throw new ValidationException("customerId", "holds a card number");
            }
            final ChurnLive live = churnLive.get();
            return pool -> AnalyticsReads.customer(pool, id, live);
        });
    }

    private void serve(final RoutingContext ctx, final Function<RoutingContext, Function<Pool, Future<JsonObject>>>
        read) {
        if (database == null) {
            Replies.fail(ctx, 503, "analytics_off", "analytics are off: they are served from the case database, and "
                + "none is configured (set cases.database-url, see docs/ANALYTICS.md)");
            return;
        }
        final ApiKey key = ctx.get(Authenticator.KEY);
        if (key != null && key.limitedToMerchants()) {
            Replies.fail(ctx, 403, "forbidden", "this key is limited to some merchants; the analytics cover every "
                + "merchant, so only a key for all merchants may read them");
            return;
        }
        final Function<Pool, Future<JsonObject>> work;
        try {
            work = read.apply(ctx);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        database.run(work).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (ar.succeeded()) {
                Replies.json(ctx, 200, ar.result());
            } else if (ar.cause() instanceof AnalyticsReads.UnknownCustomer) {
                Replies.fail(ctx, 404, "not_found", "nothing is known of this customer: no published analytics, "
                    + "order or review case names them");
            } else if (AnalyticsReads.missingTable(ar.cause())) {
                Replies.fail(ctx, 503, "analytics_unpublished", "nothing is published yet: run ecap lake publish "
                    + "(docs/ANALYTICS.md)");
            } else if (CaseDatabase.isUnavailable(ar.cause())) {
                Replies.unavailable(ctx, "analytics_unavailable", "the analytics database is unavailable or too "
                    + "slow; try again", RETRY_SECONDS);
            } else {
                RequestIds.warn(LOG, ctx, "Analytics: {} {} failed: {}", ctx.request().method(),
                    PanMask.mask(ctx.normalizedPath()), ar.cause().getClass().getSimpleName());
                Replies.fail(ctx, 500, "internal", "the request failed inside the gateway");
            }
        });
    }

    /** An optional printable-ASCII parameter of at most {@code max} characters, never a card number. */
    private static String text(final String value, final String field, final int max) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > max || !value.chars().allMatch(ch -> ch >= ' ' && ch <= '~')) {
            throw new ValidationException(field, "expected 1 to " + max + " printable ASCII characters");
        }
        if (PanMask.contains(value)) {
            throw new ValidationException(field, "holds a card number");
        }
        return value;
    }

    private static Double share(final String value, final String field) {
        if (value == null) {
            return null;
        }
        if (value.length() <= 64 && value.matches("[0-9]+(\\.[0-9]+)?")) {
            final double d = Double.parseDouble(value);
            if (d <= 1) {
                return d;
            }
        }
        throw new ValidationException(field, "expected a share from 0 to 1 (0.5), found '"
            + QueryParams.shown(value) + "'");
    }

    private static LocalDate day(final String value, final String field) {
        if (value == null) {
            return null;
        }
        try {
            if (!value.matches("[12][0-9]{3}-[0-9]{2}-[0-9]{2}")) {
                throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
            }
            return LocalDate.parse(value);
        } catch (final DateTimeParseException e) {
            throw new ValidationException(field, "expected a day YYYY-MM-DD (years 1000 to 2999), found '"
                + QueryParams.shown(value)
                + "'");
        }
    }
}
