package io.ecap.gateway.cases;

import io.ecap.gateway.Gateway;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * A real engine behind a real gateway with the case API on a real PostgreSQL (or with cases off), the case writer
 * following the journal, and keys: {@link #analyst} (every merchant), {@link #limited} (merchant m-2 only),
 * {@link #scorer} (scope score only), {@link #analytics} (scope analytics only).
 */
public final class CaseApiFixture implements AutoCloseable {
    public final Vertx vertx = Gateway.newVertx();
    public final WebClient web = WebClient.create(vertx);
    public final EngineRunner engine;
    public final Gateway gateway;
    public final CaseWriter writer;
    public final String analyst;
    /** An analyst who is also an admin: sees the rule and model versions in the console. */
    public final String lead;
    public final String limited;
    public final String scorer;
    public final String analytics;

    /** With cases in {@code databaseUrl}, or off when it is null. */
    public CaseApiFixture(final Path dir, final String databaseUrl) throws Exception {
        this(dir, databaseUrl, null);
    }

    /** With cases in {@code databaseUrl} (or off when null), and lists and live figures in {@code redisUrl} too. */
    public CaseApiFixture(final Path dir, final String databaseUrl, final String redisUrl) throws Exception {
        final ApiKeys keys = ApiKeys.load(dir.resolve("api-keys"));
        analyst = keys.create("ann", EnumSet.of(Scope.ANALYST));
        limited = keys.create("lim", EnumSet.of(Scope.ANALYST), Set.of("m-2"));
        scorer = keys.create("scorer", EnumSet.of(Scope.SCORE));
        lead = keys.create("lead", EnumSet.of(Scope.ANALYST, Scope.ADMIN));
        analytics = keys.create("bi", EnumSet.of(Scope.ANALYTICS));
        final CaseOptions options = databaseUrl == null ? null
            : new CaseOptions(databaseUrl, EnumSet.of(Outcome.REVIEW, Outcome.DECLINE), 50);
        gateway = await(Gateway.start(vertx, GatewayConfig.defaults().withPort(0).withInstances(2), keys, options,
            redisUrl == null ? null : new io.ecap.gateway.lists.ListOptions(redisUrl)));
        engine = EngineRunner.start(EngineConfig.defaults(dir.resolve("data")).withEntries(10_000, 50_000),
            Throwable::printStackTrace);
        ScoringClient.loadRules(engine);
        gateway.engineReady(engine);
        writer = options == null ? null : CaseWriter.start(engine.journal().dir(), options, vertx,
            new SimpleMeterRegistry());
    }

    public static <T> T await(final Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public HttpResponse<Buffer> send(final HttpMethod method, final String path, final String key, final String body)
        throws Exception {
        return send(web, gateway.port(), method, path, key, body);
    }

    /** A request to a gateway on {@code port} with {@code key} (or none) and a JSON body (or none). */
    public static HttpResponse<Buffer> send(final WebClient web, final int port, final HttpMethod method,
        final String path, final String key, final String body) throws Exception {
        final var request = web.request(method, port, "127.0.0.1", path);
        if (key != null) {
            request.putHeader("X-API-Key", key);
        }
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }

    public HttpResponse<Buffer> get(final String path, final String key) throws Exception {
        return send(HttpMethod.GET, path, key, null);
    }

    public HttpResponse<Buffer> post(final String path, final String key, final String body) throws Exception {
        return send(HttpMethod.POST, path, key, body);
    }

    /** Scores one transaction through {@code POST /v1/score}; the decision. */
    public JsonObject score(final JsonObject txn) throws Exception {
        final HttpResponse<Buffer> response = post("/v1/score", scorer, txn.encode());
        if (response.statusCode() != 200) {
            throw new AssertionError("scoring answered " + response.statusCode() + ": " + response.bodyAsString());
        }
        return response.bodyAsJsonObject();
    }

    /** Waits until the case writer has written everything journaled so far. */
    public void awaitCases() throws InterruptedException {
        CaseWriterTest.awaitCaughtUp(writer, engine);
    }

    @Override
    public void close() throws Exception {
        await(gateway.stop());
        engine.close();
        if (writer != null) {
            writer.close();
        }
        await(vertx.close());
    }
}
