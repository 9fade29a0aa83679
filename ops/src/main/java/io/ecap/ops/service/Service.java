package io.ecap.ops.service;

import io.ecap.gateway.Gateway;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * The engine and the gateway in one process: the gateway listens (live) while the engine recovers, then becomes
 * ready. Closing stops taking requests, lets those in flight finish, drains the engine's ring, flushes the journal
 * and closes the maps cleanly.
 */
public final class Service implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;
    private final EngineRunner engine;
    private final ApiKeys keys;
    private final String createdKey;
    private boolean closed;

    private Service(final Vertx vertx, final Gateway gateway, final EngineRunner engine, final ApiKeys keys,
        final String createdKey) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.engine = engine;
        this.keys = keys;
        this.createdKey = createdKey;
    }

    /** Starts the gateway, then the engine (recovery), then opens scoring. */
    public static Service start(final Settings settings, final GatewayConfig gatewayConfig) throws Exception {
        final ApiKeys keys = ApiKeys.load(settings.keysFile());
        final String created = keys.isEmpty() ? keys.create("admin", EnumSet.allOf(Scope.class)) : null;
        final Vertx vertx = Gateway.newVertx();
        Gateway gateway = null;
        try {
            gateway = await(Gateway.start(vertx, gatewayConfig, keys));
            final EngineRunner engine = EngineRunner.start(settings.engine(), Throwable::printStackTrace);
            gateway.engineReady(engine);
            return new Service(vertx, gateway, engine, keys, created);
        } catch (final Exception | Error e) {
            if (gateway != null) {
                await(gateway.stop());
            }
            await(vertx.close());
            throw e;
        }
    }

    static <T> T await(final Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public int port() {
        return gateway.port();
    }

    public EngineRunner engine() {
        return engine;
    }

    public ApiKeys keys() {
        return keys;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The key created because there was none (shown once), or null. */
    public String createdKey() {
        return createdKey;
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            await(gateway.stop());
        } finally {
            engine.close();
            await(vertx.close());
        }
    }
}
