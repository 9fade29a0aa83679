package io.ecap.ops.service;

import io.ecap.gateway.Gateway;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.gateway.kafka.JournalPublisher;
import io.ecap.gateway.kafka.KafkaOptions;
import io.ecap.gateway.kafka.TopicSetup;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * The engine and the gateway in one process (and, with Kafka configured, the input bridge and the journal publisher):
 * the gateway listens (live) while the engine recovers, then becomes ready. Closing stops consuming and taking
 * requests, lets those in flight finish, drains the engine's ring, flushes the journal, closes the maps cleanly, and
 * publishes the last decisions.
 */
public final class Service implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;
    private final EngineRunner engine;
    private final ApiKeys keys;
    private final String createdKey;
    private final JournalPublisher publisher;
    private boolean closed;

    private Service(final Vertx vertx, final Gateway gateway, final EngineRunner engine, final ApiKeys keys,
        final String createdKey, final JournalPublisher publisher) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.engine = engine;
        this.keys = keys;
        this.createdKey = createdKey;
        this.publisher = publisher;
    }

    /**
     * Starts the gateway, then the engine (recovery), then opens scoring; with Kafka configured, then the journal
     * publisher and the input bridge.
     */
    public static Service start(final Settings settings, final GatewayConfig gatewayConfig) throws Exception {
        final KafkaOptions kafka = settings.validate().kafka();
        final ApiKeys keys = ApiKeys.load(settings.keysFile());
        final Vertx vertx = Gateway.newVertx();
        Gateway gateway = null;
        EngineRunner engine = null;
        JournalPublisher publisher = null;
        try {
            gateway = await(Gateway.start(vertx, gatewayConfig, keys));
            engine = EngineRunner.start(settings.engine(), Throwable::printStackTrace);
            gateway.engineReady(engine);
            if (kafka != null) {
                if (kafka.createTopics()) {
                    TopicSetup.ensure(kafka);
                }
                if (kafka.publish()) {
                    publisher = JournalPublisher.start(engine.journal().dir(), settings.publisherMark(), kafka,
                        gateway.context().metrics().registry());
                }
                if (kafka.bridge()) {
                    await(gateway.startBridge(kafka));
                }
            }
            // the first key is made last: a start that fails leaves no key behind that was never shown
            final String created = keys.isEmpty() ? keys.create("admin", EnumSet.allOf(Scope.class)) : null;
            return new Service(vertx, gateway, engine, keys, created, publisher);
        } catch (final Exception | Error e) {
            if (gateway != null) {
                await(gateway.stop());
            }
            if (engine != null) {
                engine.close();
            }
            if (publisher != null) {
                publisher.close();
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

    /** The Kafka journal publisher, or null when Kafka is not configured or publishing is off. */
    public JournalPublisher publisher() {
        return publisher;
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
            if (publisher != null) {
                publisher.close();
            }
            await(vertx.close());
        }
    }
}
