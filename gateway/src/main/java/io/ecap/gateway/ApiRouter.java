package io.ecap.gateway;

import io.ecap.gateway.admin.AdminRoutes;
import io.ecap.gateway.admin.ErasureRoutes;
import io.ecap.gateway.admin.ShadowRoutes;
import io.ecap.gateway.analytics.AnalyticsRoutes;
import io.ecap.gateway.auth.Authenticator;
import io.ecap.gateway.auth.Scope;
import io.ecap.gateway.cases.CaseRoutes;
import io.ecap.gateway.lists.ListRoutes;
import io.ecap.gateway.live.LiveRoutes;
import io.ecap.gateway.console.ConsoleRoutes;
import io.ecap.gateway.http.DecisionLookup;
import io.ecap.gateway.http.Gate;
import io.ecap.gateway.http.MediaType;
import io.ecap.gateway.http.ReadTimeout;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.gateway.http.ScoreRoutes;
import io.ecap.gateway.ws.Sockets;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.model.shard.Shard;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * Every route of the gateway, in one place, with the scope it needs (the OpenAPI document lists the same routes, and
 * a test holds the two together). Handlers are made per event loop, so none is shared between threads.
 */
public final class ApiRouter {
    /** On every answer of a shard's gateway: which shard its engine is ({@code 0/2}; docs/SHARDS.md). */
    public static final String ENGINE_SHARD_HEADER = "X-ECAP-Engine-Shard";

    private ApiRouter() {
    }

    public static Router build(final Vertx vertx, final Context context, final GatewayContext gateway,
        final ReadTimeout readTimeout) {
        final GatewayConfig config = gateway.config();
        final Gate gate = new Gate(gateway, context);
        final ScoreRoutes score = new ScoreRoutes(gate, config.maxBatch());
        final DecisionLookup decisions = new DecisionLookup(gate);
        final AdminRoutes rules = new AdminRoutes(gate, context, EntryType.RULE_SET);
        final AdminRoutes models = new AdminRoutes(gate, context, EntryType.MODEL);
        final AdminRoutes shadowRules = new AdminRoutes(gate, context, EntryType.SHADOW_RULE_SET);
        final AdminRoutes shadowModels = new AdminRoutes(gate, context, EntryType.SHADOW_MODEL);
        final ShadowRoutes shadow = new ShadowRoutes(gate);
        final ErasureRoutes erasures = new ErasureRoutes(gate, context);
        final Sockets sockets = new Sockets(vertx, gate, gateway.alertListeners());
        final CaseRoutes cases = new CaseRoutes(gate, context, gateway.cases());
        final ListRoutes lists = new ListRoutes(gateway.lists());
        final Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes());
        final Handler<RoutingContext> modelBody = BodyHandler.create(false)
            .setBodyLimit(GatewayConfig.bodyLimitOf("/v1/admin/models", config.bodyLimitBytes()));
        final Handler<RoutingContext> read = readTimeout::requestRead;
        final Handler<RoutingContext> json = MediaType.require(MediaType.JSON);
        final Handler<RoutingContext> ready = ctx -> requireReady(gateway, ctx);
        final Handler<RoutingContext> scoreKey = Authenticator.require(gateway, Scope.SCORE);
        final Handler<RoutingContext> labelKey = Authenticator.require(gateway, Scope.LABEL);
        final Handler<RoutingContext> adminKey = Authenticator.require(gateway, Scope.ADMIN);
        final Handler<RoutingContext> analystKey = Authenticator.require(gateway, Scope.ANALYST);

        final Router router = Router.router(vertx);
        router.route().handler(readTimeout::requestStarted);
        router.route().handler(RequestIds::assign);
        router.route().handler(ctx -> {
            // a shard says which it is on every answer: ecap router checks it against its --shard order
            if (gateway.isReady() && gateway.engine().config().shard().sharded()) {
                ctx.response().putHeader(ENGINE_SHARD_HEADER, gateway.engine().config().shard().toString());
            }
            ctx.next();
        });
        // the query string is decoded before anything else reads the request: one that is not percent-encoding is
        // 400 invalid_query on every route, before a route's own checks or its 503 when its back end is off
        router.route().handler(ctx -> {
            ctx.queryParams();
            ctx.next();
        });
        get(router, "/health/live").handler(ctx -> Replies.json(ctx, 200, new JsonObject().put("status", "live")));
        get(router, "/health/ready").handler(ctx -> readiness(gateway, ctx));
        get(router, "/openapi.yaml").handler(OpenApi::serve);
        if (config.metricsPublic()) {
            get(router, "/metrics").handler(PrometheusScrapingHandler.create());
        } else {
            get(router, "/metrics").handler(adminKey).handler(PrometheusScrapingHandler.create());
        }
        post(router, "/v1/score", body, read, json, scoreKey, ready).handler(score::score);
        post(router, "/v1/score/batch", body, read, json, scoreKey, ready).handler(score::batch);
        get(router, "/v1/decisions/:txnId").handler(scoreKey).handler(ready).handler(decisions::find);
        post(router, "/v1/labels", body, read, json, labelKey, ready).handler(score::label);
        post(router, "/v1/events", body, read, json, scoreKey, ready).handler(score::event);
        post(router, "/v1/products", body, read, json, scoreKey, ready).handler(score::product);
        get(router, "/v1/stream").handler(Authenticator.require(gateway, Scope.SCORE, true)).handler(ready)
            .handler(sockets::stream);
        get(router, "/v1/alerts").handler(Authenticator.requireAny(gateway, true, Scope.LABEL, Scope.ANALYST))
            .handler(ready)
            .handler(sockets::alerts);
        admin(router, "/v1/admin/rules", rules, adminKey, ready, modelBody, read);
        admin(router, "/v1/admin/models", models, adminKey, ready, modelBody, read);
        post(router, "/v1/admin/profiles", body, read, json, adminKey, ready).handler(score::profiles);
        post(router, "/v1/admin/erasures", body, read, json, adminKey, ready).handler(erasures::erase);
        get(router, "/v1/admin/shadow").handler(adminKey).handler(ready).handler(shadow::summary);
        admin(router, "/v1/admin/shadow/rules", shadowRules, adminKey, ready, modelBody, read);
        admin(router, "/v1/admin/shadow/models", shadowModels, adminKey, ready, modelBody, read);
        get(router, "/v1/cases").handler(analystKey).handler(ready).handler(cases::list);
        get(router, "/v1/cases/:journalIndex").handler(analystKey).handler(ready).handler(cases::get);
        post(router, "/v1/cases/:journalIndex/assign", body, read, json, analystKey, ready).handler(cases::assign);
        post(router, "/v1/cases/:journalIndex/comments", body, read, json, analystKey, ready).handler(cases::comment);
        post(router, "/v1/cases/:journalIndex/resolve", body, read, json, analystKey, ready).handler(cases::resolve);
        get(router, "/v1/lists/:list/:kind").handler(analystKey).handler(ready).handler(lists::list);
        get(router, "/v1/lists/:list/:kind/:value").handler(analystKey).handler(ready).handler(lists::get);
        post(router, "/v1/lists/:list/:kind", body, read, json, analystKey, ready).handler(lists::add);
        router.delete("/v1/lists/:list/:kind/:value").handler(analystKey).handler(ready).handler(lists::remove);
        final LiveRoutes live = new LiveRoutes(gateway.live(), gateway.cases(), gateway.metrics());
        get(router, "/v1/live").handler(analystKey).handler(live::live);
        final AnalyticsRoutes analytics = new AnalyticsRoutes(gateway.cases(), gateway::churnLive);
        final Handler<RoutingContext> analyticsKey = Authenticator.require(gateway, Scope.ANALYTICS);
        get(router, "/v1/analytics").handler(analyticsKey).handler(analytics::index);
        get(router, "/v1/analytics/customers").handler(analyticsKey).handler(analytics::customers);
        get(router, "/v1/analytics/segments").handler(analyticsKey).handler(analytics::segments);
        get(router, "/v1/analytics/cohorts").handler(analyticsKey).handler(analytics::cohorts);
        get(router, "/v1/analytics/revenue").handler(analyticsKey).handler(analytics::revenue);
        get(router, "/v1/analytics/products").handler(analyticsKey).handler(analytics::products);
        get(router, "/v1/analytics/drift").handler(analyticsKey).handler(analytics::drift);
        get(router, "/v1/customers/:customerId").handler(Authenticator.requireAny(gateway, false, Scope.ANALYTICS,
            Scope.ANALYST)).handler(analytics::customer);
        console(router, new ConsoleRoutes(gateway), body, read);
        Errors.install(router, path -> GatewayConfig.bodyLimitOf(path, config.bodyLimitBytes()));
        return router;
    }

    private static void admin(final Router router, final String path, final AdminRoutes routes,
        final Handler<RoutingContext> key, final Handler<RoutingContext> ready, final Handler<RoutingContext> body,
        final Handler<RoutingContext> read) {
        get(router, path).handler(key).handler(ready).handler(routes::list);
        post(router, path, body, read, MediaType.require(MediaType.TEXT), key, ready).handler(routes::upload);
        post(router, path + "/rollback", body, read, MediaType.require(MediaType.JSON), key, ready)
            .handler(routes::rollback);
        get(router, path + "/:journalIndex").handler(key).handler(ready).handler(routes::get);
    }

    /** The web console: its login, logout and session, then its files ({@code GET} and {@code HEAD} only). */
    private static void console(final Router router, final ConsoleRoutes console, final Handler<RoutingContext> body,
        final Handler<RoutingContext> read) {
        router.route("/console/*").handler(ConsoleRoutes::secure);
        router.post("/console/login").handler(body).handler(read).handler(console::login);
        router.post("/console/logout").handler(body).handler(read).handler(console::logout);
        get(router, "/console/session").handler(console::session);
        router.route("/console").handler(console::home);
        router.route("/console/*").handler(console::files);
    }

    /**
     * A POST route: the body read (up to the limit; the read timeout ends with it), its media type checked, then the
     * key and readiness.
     */
    private static Route post(final Router router, final String path, final Handler<RoutingContext> body,
        final Handler<RoutingContext> read, final Handler<RoutingContext> mediaType,
        final Handler<RoutingContext> key, final Handler<RoutingContext> ready) {
        return router.post(path).handler(body).handler(read).handler(mediaType).handler(key).handler(ready);
    }

    /**
     * A GET route that takes HEAD too: the same handlers answer, and the HTTP server sends the status and headers
     * without the body.
     */
    private static Route get(final Router router, final String path) {
        return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
    }

    private static void readiness(final GatewayContext gateway, final RoutingContext ctx) {
        if (gateway.isReady() && gateway.engine().diskRefusal() != null) {
            Replies.diskFull(ctx); // not ready for new work: a load balancer sends it elsewhere
        } else if (gateway.isReady()) {
            final Shard shard = gateway.engine().config().shard();
            Replies.json(ctx, 200, shard.sharded() ? new JsonObject().put("status", "ready").put("shard",
                shard.toString()) : new JsonObject().put("status", "ready"));
        } else {
            Replies.unavailable(ctx, "starting", "the engine is recovering its state from the journal");
        }
    }

    /** Every route needs a recovered engine; a write (any POST) also needs room on the disk. */
    private static void requireReady(final GatewayContext gateway, final RoutingContext ctx) {
        if (gateway.isReady() && ctx.request().method() == HttpMethod.POST
            && gateway.engine().diskRefusal() != null) {
            Replies.diskFull(ctx);
        } else if (gateway.isReady()) {
            ctx.next();
        } else {
            Replies.unavailable(ctx, "starting", "the engine is recovering its state from the journal");
        }
    }
}
