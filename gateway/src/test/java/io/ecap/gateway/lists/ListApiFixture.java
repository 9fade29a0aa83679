package io.ecap.gateway.lists;

import io.ecap.gateway.Gateway;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.gateway.cases.CaseApiFixture;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real engine behind a real gateway with lists in a real Redis, and keys: {@link #analyst} (every merchant),
 * {@link #limited} (merchant m-2 only), {@link #scorer} (scope score only). {@link #engine} is started but the gateway
 * is made ready (and the list follower started) only by {@link #ready()}, so that a test can look at the engine as
 * its start left it.
 */
final class ListApiFixture implements AutoCloseable {
    static final long T0 = 1_795_500_000_000L;
    final Vertx vertx = Gateway.newVertx();
    final WebClient web = WebClient.create(vertx);
    final EngineRunner engine;
    final Gateway gateway;
    final String analyst;
    final String limited;
    final String scorer;

    /** On {@code dir}; {@code run} tells the keys of one start from those of another. */
    ListApiFixture(final Path dir, final String redisUrl, final int run) throws Exception {
        final ApiKeys keys = ApiKeys.load(dir.resolve("api-keys"));
        analyst = keys.create("ann" + run, EnumSet.of(Scope.ANALYST));
        limited = keys.create("lim" + run, EnumSet.of(Scope.ANALYST), Set.of("m-2"));
        scorer = keys.create("scorer" + run, EnumSet.of(Scope.SCORE));
        gateway = await(Gateway.start(vertx, GatewayConfig.defaults().withPort(0).withInstances(2), keys, null,
            new ListOptions(redisUrl)));
        engine = EngineRunner.start(EngineConfig.defaults(dir.resolve("data")).withEntries(10_000, 50_000),
            Throwable::printStackTrace);
    }

    ListApiFixture ready() {
        gateway.engineReady(engine);
        return this;
    }

    static <T> T await(final Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    HttpResponse<Buffer> send(final HttpMethod method, final String path, final String key, final String body)
        throws Exception {
        return CaseApiFixture.send(web, gateway.port(), method, path, key, body);
    }

    /** Scores one transaction through {@code POST /v1/score} with {@code key}; the decision. */
    JsonObject score(final String key, final int i, final String customer, final String card) throws Exception {
        final JsonObject txn = new JsonObject().put("txnId", "t-" + i).put("ts", T0 + i * 60_000L)
            .put("customerId", customer).put("cardId", card).put("merchantId", "m-1").put("amount", "12.00")
            .put("currency", "EUR");
        final HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/score", key, txn.encode());
        if (response.statusCode() != 200) {
            throw new AssertionError("scoring answered " + response.statusCode() + ": " + response.bodyAsString());
        }
        return response.bodyAsJsonObject();
    }

    /** The first reason's code of a decision, or "". */
    static String firstReason(final JsonObject decision) {
        return decision.getJsonArray("reasons").isEmpty() ? ""
            : decision.getJsonArray("reasons").getJsonObject(0).getString("code");
    }

    @Override
    public void close() throws Exception {
        await(gateway.stop());
        engine.close();
        await(vertx.close());
    }
}
