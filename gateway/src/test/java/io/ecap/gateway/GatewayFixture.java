package io.ecap.gateway;

import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/** A real engine behind a real gateway on a free loopback port, with one key per scope, for tests. */
final class GatewayFixture {
    static final long T0 = 1_795_500_000_000L;

    final Vertx vertx = Gateway.newVertx();
    final WebClient web = WebClient.create(vertx);
    final EngineRunner engine;
    final Gateway gateway;
    final String scoreKey;
    final String labelKey;
    final String adminKey;
    final String allKey;
    private final Path dir;

    GatewayFixture(final Path dir, final GatewayConfig config) throws Exception {
        this(dir, config, c -> c);
    }

    /** A fixture whose engine settings are the test defaults changed by {@code engineConfig}. */
    GatewayFixture(final Path dir, final GatewayConfig config,
        final java.util.function.UnaryOperator<EngineConfig> engineConfig) throws Exception {
        this.dir = dir;
        final ApiKeys keys = ApiKeys.load(dir.resolve("api-keys"));
        scoreKey = keys.create("scorer", EnumSet.of(Scope.SCORE));
        labelKey = keys.create("analyst", EnumSet.of(Scope.LABEL));
        adminKey = keys.create("alice", EnumSet.of(Scope.ADMIN));
        allKey = keys.create("all", EnumSet.allOf(Scope.class));
        gateway = await(Gateway.start(vertx, config.withPort(0).withInstances(2), keys));
        engine = EngineRunner.start(engineConfig.apply(EngineConfig.defaults(dir.resolve("data"))
            .withEntries(10_000, 50_000)), Throwable::printStackTrace);
        gateway.engineReady(engine);
    }

    static GatewayFixture start(final Path dir) throws Exception {
        return new GatewayFixture(dir, GatewayConfig.defaults());
    }

    static <T> T await(final Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * A request with a key (or none) and a body (or none), with the media type the route reads (a rule or model file
     * is text, everything else JSON); waits for the response.
     */
    HttpResponse<Buffer> send(final HttpMethod method, final String path, final String key, final String body)
        throws Exception {
        final boolean file = path.matches("/v1/admin/(shadow/)?(rules|models)");
        return send(method, path, key, body, body == null ? null : file ? "text/plain" : "application/json");
    }

    /** A request with this Content-Type (or none). */
    HttpResponse<Buffer> send(final HttpMethod method, final String path, final String key, final String body,
        final String contentType) throws Exception {
        final var request = web.request(method, gateway.port(), "127.0.0.1", path);
        if (key != null) {
            request.putHeader("X-API-Key", key);
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }

    HttpResponse<Buffer> post(final String path, final String key, final String body) throws Exception {
        return send(HttpMethod.POST, path, key, body);
    }

    HttpResponse<Buffer> get(final String path, final String key) throws Exception {
        return send(HttpMethod.GET, path, key, null);
    }

    static String txn(final String id, final long ts, final String customer, final String card,
        final String amount) {
        return "{\"txnId\":\"" + id + "\",\"ts\":" + ts + ",\"customerId\":\"" + customer + "\",\"cardId\":\""
            + card + "\",\"merchantId\":\"m-1\",\"amount\":\"" + amount + "\",\"currency\":\"USD\"}";
    }

    static MultiMap headers(final HttpResponse<Buffer> response) {
        return response.headers();
    }

    void close() throws Exception {
        await(gateway.stop());
        engine.close();
        await(vertx.close());
    }

    /**
     * {@link #close}, then deletes the fixture's folder: for a folder the test made itself (jqwik has no
     * {@code @TempDir}; a run left about 50 MB of journal and state behind for each).
     */
    void closeAndDelete() throws Exception {
        close();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (final Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(file);
            }
        }
    }
}
