package io.ecap.ops.service;

import io.ecap.gateway.Gateway;
import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.ecap.gateway.cases.CaseOptions;
import io.ecap.gateway.cases.CaseWriter;
import io.ecap.gateway.kafka.JournalPublisher;
import io.ecap.gateway.kafka.KafkaOptions;
import io.ecap.gateway.kafka.TopicSetup;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * The engine and the gateway in one process (and, with Kafka configured, the input bridge and the journal publisher;
 * with a case database, the case writer): the gateway listens (live) while the engine recovers, then becomes ready.
 * Closing stops consuming and taking requests, lets those in flight finish, drains the engine's ring, flushes the
 * journal, closes the maps cleanly, publishes the last decisions and writes the last cases.
 */
public final class Service implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;
    private final EngineRunner engine;
    private final ApiKeys keys;
    private final String createdKey;
    private final JournalPublisher publisher;
    private final CaseWriter cases;
    private boolean closed;

    private Service(final Vertx vertx, final Gateway gateway, final EngineRunner engine, final ApiKeys keys,
        final String createdKey, final JournalPublisher publisher, final CaseWriter cases) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.engine = engine;
        this.keys = keys;
        this.createdKey = createdKey;
        this.publisher = publisher;
        this.cases = cases;
    }

    /**
     * Starts the gateway, then the engine (recovery), then opens scoring; with Kafka configured, then the journal
     * publisher and the input bridge; with a case database, the case writer.
     */
    public static Service start(final Settings settings, final GatewayConfig gatewayConfig) throws Exception {
        final KafkaOptions kafka = settings.validate().kafka();
        final CaseOptions caseOptions = settings.cases();
        final ApiKeys keys = ApiKeys.load(settings.keysFile());
        final Vertx vertx = Gateway.newVertx();
        Gateway gateway = null;
        EngineRunner engine = null;
        JournalPublisher publisher = null;
        CaseWriter cases = null;
        try {
            gateway = await(Gateway.start(vertx, gatewayConfig, keys, caseOptions, settings.lists()));
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
            if (caseOptions != null) {
                cases = CaseWriter.start(engine.journal().dir(), caseOptions, vertx,
                    gateway.context().metrics().registry());
            }
            // the first key is made last: a start that fails leaves no key behind that was never shown; only where
            // there was no keys file (a new data folder): keys all revoked stay revoked
            final String created = keys.noFileAtLoad() ? keys.create("admin", EnumSet.allOf(Scope.class)) : null;
            return new Service(vertx, gateway, engine, keys, created, publisher, cases);
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
            if (cases != null) {
                cases.close();
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

    /** The case writer, or null when no case database is configured. */
    public CaseWriter cases() {
        return cases;
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
            if (cases != null) {
                cases.close();
            }
            await(vertx.close());
        }
    }
}
