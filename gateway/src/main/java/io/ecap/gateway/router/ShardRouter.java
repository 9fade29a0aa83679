package io.ecap.gateway.router;

import io.ecap.gateway.Errors;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.ecap.gateway.router.ShardClient.Answer;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import io.ecap.model.shard.Shard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Consumer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code ecap router}: one address in front of several engine shards. A payment or a user event goes to the shard
 * that owns its customer ({@link Shard#of}); a batch is split by shard and its answers put back in order; a
 * decision is looked up on every shard; customer profiles are split by customer like a batch; labels, the
 * catalogue, rules, models and lists go to every shard. The
 * router reads bodies with the gateway's own parsers to find the shard; one it cannot read goes to the first shard,
 * which refuses it as it would alone (its key first, then the same 400), and a batch is split only once every item
 * reads. Keys and every other check are the shards'. docs/SHARDS.md.
 */
public final class ShardRouter extends VerticleBase {
    private final RouterConfig config;
    private final TransactionJson transactions = new TransactionJson();
    private final UserEventJson events = new UserEventJson();
    private final LabelJson labels = new LabelJson();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final CustomerProfileJson profiles = new CustomerProfileJson();
    private final CustomerProfileFlyweight profile = new CustomerProfileFlyweight();
    private final UserEventFlyweight event = new UserEventFlyweight();
    private final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(1024);
    private ShardClient shards;
    private BatchSplit batches;
    private HttpServer server;

    public ShardRouter(final RouterConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        shards = new ShardClient(vertx, config);
        batches = new BatchSplit(shards, config.maxBatch(), this::owner, this::profileOwner);
        final Router router = Router.router(vertx);
        router.route().handler(RequestIds::assign);
        // rule set and model files (to every shard) may be megabytes; everything else keeps the set limit
        router.routeWithRegex(GatewayConfig.MODEL_UPLOADS.pattern()).handler(BodyHandler.create(false)
            .setBodyLimit(GatewayConfig.bodyLimitOf("/v1/admin/models", config.bodyLimit())));
        router.routeWithRegex("(?!" + GatewayConfig.MODEL_UPLOADS.pattern() + "$).*")
            .handler(BodyHandler.create(false).setBodyLimit(config.bodyLimit()));
        get(router, "/health/live").handler(ctx -> Replies.json(ctx, 200, new JsonObject().put("status", "live")));
        get(router, "/health/ready").handler(this::ready);
        router.post("/v1/score").handler(this::score);
        router.post("/v1/score/batch").handler(ctx -> batches.route(ctx, body(ctx)));
        router.post("/v1/events").handler(this::userEvent);
        router.post("/v1/admin/profiles").handler(ctx -> batches.routeProfiles(ctx, body(ctx)));
        router.post("/v1/labels").handler(this::label);
        get(router, "/v1/decisions/:txnId").handler(this::decision);
        router.post("/v1/admin/erasures").handler(ctx -> toAll(ctx, answers -> erased(ctx, answers)));
        for (final String path : List.of("/v1/products", "/v1/admin/*", "/v1/lists/*")) {
            router.post(path).handler(ctx -> toAll(ctx, answers -> sameEverywhere(ctx, answers)));
            router.delete(path).handler(ctx -> toAll(ctx, answers -> sameEverywhere(ctx, answers)));
            get(router, path).handler(ctx -> shards.send(0, ctx, null).onSuccess(a -> shards.relay(ctx, a)));
        }
        for (final String path : NOT_ROUTED) {
            router.route(path).handler(ctx -> Replies.fail(ctx, 404, "not_routed", "the router forwards scoring, "
                + "decisions, labels, user events, the catalogue, rules, models and lists; ask a shard for "
                + ctx.request().path() + " (docs/SHARDS.md)"));
        }
        Errors.install(router, path -> GatewayConfig.bodyLimitOf(path, config.bodyLimit()));
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
            .requestHandler(router);
        return server.listen();
    }

    /** What a shard serves and the router does not: each shard answers for itself. */
    private static final List<String> NOT_ROUTED = List.of("/v1/cases", "/v1/cases/*", "/v1/live", "/v1/analytics",
        "/v1/analytics/*", "/v1/customers/*", "/v1/stream", "/v1/alerts", "/console", "/console/*", "/metrics",
        "/openapi.yaml");

    /** A GET route that takes HEAD too, as the gateway's. */
    private static Route get(final Router router, final String path) {
        return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
    }

    @Override
    public Future<?> stop() {
        shards.close();
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The port the router listens on (the one chosen when configured with 0). */
    public int port() {
        return server.actualPort();
    }

    static UnsafeBuffer body(final RoutingContext ctx) {
        final Buffer body = ctx.body().buffer();
        return new UnsafeBuffer(body == null ? new byte[0] : body.getBytes());
    }

    private void score(final RoutingContext ctx) {
        final UnsafeBuffer body = body(ctx);
        int shard;
        try {
            shard = owner(body, 0, body.capacity());
        } catch (final ValidationException e) {
            shard = 0; // a shard refuses it as it would refuse it alone: its key first, then the same 400
        }
        shards.send(shard, ctx, ctx.body().buffer()).onSuccess(a -> shards.relay(ctx, a));
    }

    /** The shard of the transaction in {@code body[offset, offset + length)}, checked as a shard would. */
    /** The shard of the customer profile in {@code body[offset, offset + length)}. */
    int profileOwner(final UnsafeBuffer body, final int offset, final int length) {
        final int size = profiles.parse(body, offset, length, encoded, 0);
        profile.wrapForDecode(encoded, 0, size);
        return Shard.of(encoded, profile.stringOffset(CustomerProfileFlyweight.CUSTOMER_ID),
            profile.stringLength(CustomerProfileFlyweight.CUSTOMER_ID), shards.shards());
    }

    int owner(final UnsafeBuffer body, final int offset, final int length) {
        final int size = transactions.parse(body, offset, length, encoded, 0);
        txn.wrapForDecode(encoded, 0, size);
        return Shard.of(encoded, txn.stringOffset(TransactionFlyweight.CUSTOMER_ID),
            txn.stringLength(TransactionFlyweight.CUSTOMER_ID), shards.shards());
    }

    /** A user event goes to its customer's shard; one without a customer, to its session's. */
    private void userEvent(final RoutingContext ctx) {
        final UnsafeBuffer body = body(ctx);
        int shard;
        try {
            final int size = events.parse(body, 0, body.capacity(), encoded, 0);
            event.wrapForDecode(encoded, 0, size);
            final int key = event.stringLength(UserEventFlyweight.CUSTOMER_ID) > 0 ? UserEventFlyweight.CUSTOMER_ID
                : UserEventFlyweight.SESSION_ID;
            shard = Shard.of(encoded, event.stringOffset(key), event.stringLength(key), shards.shards());
        } catch (final ValidationException e) {
            shard = 0; // refused by a shard, with its own answer
        }
        shards.send(shard, ctx, ctx.body().buffer()).onSuccess(a -> shards.relay(ctx, a));
    }

    /**
     * A label names only a transaction: every shard journals it and the one that scored the transaction applies it;
     * the answer is that shard's ({@code "matched": true}), or the first shard's when none scored it.
     */
    private void label(final RoutingContext ctx) {
        final UnsafeBuffer body = body(ctx);
        try {
            labels.parse(body, 0, body.capacity(), encoded, 0);
        } catch (final ValidationException e) {
            shards.send(0, ctx, ctx.body().buffer()).onSuccess(a -> shards.relay(ctx, a)); // a shard refuses it
            return;
        }
        toAll(ctx, answers -> {
            for (final Answer a : answers) {
                if (a.status() == 202 && shards.checked(a) == a && a.body().toString().contains("\"matched\":true")) {
                    shards.relay(ctx, a); // applied where it matters, whatever the other shards said
                    return;
                }
            }
            for (final Answer a : answers) {
                if (!a.ok()) {
                    shards.relay(ctx, named(a));
                    return;
                }
            }
            shards.relay(ctx, answers.get(0));
        });
    }

    /** A decision is found on the shard that made it: the first 200; 404 when no shard has it. */
    private void decision(final RoutingContext ctx) {
        toAll(ctx, answers -> {
            Answer chosen = answers.get(0);
            for (final Answer a : answers) {
                if (a.status() == 200) {
                    shards.relay(ctx, a);
                    return;
                }
                if (a.status() != 404 && chosen.status() == 404) {
                    chosen = a;
                }
            }
            shards.relay(ctx, chosen.status() == 404 ? chosen : named(chosen));
        });
    }

    /** Ready when every shard is; otherwise 503 naming the shards that are not. */
    private void ready(final RoutingContext ctx) {
        shards.sendToAll(ctx, null, HttpMethod.GET).onSuccess(answers -> {
            final JsonArray notReady = new JsonArray();
            for (final Answer a : answers) {
                final String expected = a.shard() + "/" + answers.size();
                final String actual = a.status() == 200 ? readyShard(a) : null;
                if (a.status() != 200 || !expected.equals(actual)) {
                    final JsonObject which = new JsonObject().put("shard", a.shard()).put("url",
                        config.shards().get(a.shard()).toString()).put("status", a.status());
                    notReady.add(actual == null ? which : which.put("problem", "its engine is " + actual + ", not "
                        + expected + ": list the shards in order"));
                }
            }
            if (notReady.isEmpty()) {
                Replies.json(ctx, 200, new JsonObject().put("status", "ready").put("shards", answers.size()));
            } else {
                Replies.json(ctx, 503, Replies.error("not_ready", notReady.size() + " of " + answers.size()
                    + " shards not ready").put("shards", notReady));
            }
        });
    }

    /** The shard a ready gateway names in its readiness answer ({@code 0/1}: a single engine). */
    private static String readyShard(final Answer ready) {
        try {
            return ready.body().toJsonObject().getString("shard", "0/1");
        } catch (final RuntimeException notJson) {
            return "not an ECAP gateway";
        }
    }

    private void toAll(final RoutingContext ctx, final Consumer<List<Answer>> then) {
        shards.sendToAll(ctx, ctx.body().buffer(), ctx.request().method()).onSuccess(then::accept);
    }

    /**
     * A change every shard must make (rules, models, lists, the catalogue): the first shard's answer when all took
     * it, otherwise the first refusal, naming its shard. Shards that took it keep it: send it again once the others
     * are back (each is idempotent).
     */
    private void sameEverywhere(final RoutingContext ctx, final List<Answer> answers) {
        for (final Answer a : answers) {
            if (!a.ok()) {
                shards.relay(ctx, named(a));
                return;
            }
        }
        shards.relay(ctx, answers.get(0));
    }

    /**
     * An erasure goes to every shard (a card, a device or an IP address may be on several): the records all erased,
     * and each shard's answer with its journal index.
     */
    private void erased(final RoutingContext ctx, final List<Answer> answers) {
        final JsonArray each = new JsonArray();
        int records = 0;
        for (final Answer a : answers) {
            if (!a.ok()) {
                shards.relay(ctx, named(a));
                return;
            }
            final JsonObject body = a.body().toJsonObject();
            records += body.getInteger("records", 0);
            each.add(body.put("shard", a.shard()));
        }
        Replies.json(ctx, 200, new JsonObject().put("kind", each.getJsonObject(0).getString("kind"))
            .put("records", records).put("shards", each));
    }

    /** A shard's error with {@code "shard"} added to its JSON body. */
    static Answer named(final Answer a) {
        try {
            return a.withBody(a.body().toJsonObject().put("shard", a.shard()).toBuffer());
        } catch (final RuntimeException notJson) {
            return a;
        }
    }
}
