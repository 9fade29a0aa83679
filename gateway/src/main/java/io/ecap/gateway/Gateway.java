package io.ecap.gateway;

import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.cases.CaseDatabase;
import io.ecap.gateway.cases.CaseOptions;
import io.ecap.gateway.kafka.BridgeMetrics;
import io.ecap.gateway.kafka.InputBridge;
import io.ecap.gateway.kafka.KafkaOptions;
import io.ecap.gateway.lists.ListFollower;
import io.ecap.gateway.lists.ListOptions;
import io.ecap.gateway.lists.ListStore;
import io.ecap.gateway.analytics.ChurnLive;
import io.ecap.gateway.journal.VersionMetrics;
import io.ecap.gateway.ws.AlertFeed;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The HTTP and WebSocket gateway: {@link GatewayConfig#verticles()} event-loop verticles sharing one port, live as
 * soon as it starts, ready once {@link #engineReady} hands it the recovered engine.
 */
public final class Gateway {
    private final Vertx vertx;
    private final GatewayContext context;
    private final String deploymentId;
    private final int port;
    private AlertFeed alerts;
    private String bridgeId;
    private ListFollower listFollower;
    private volatile String listFollowerId;

    private Gateway(final Vertx vertx, final GatewayContext context, final String deploymentId, final int port,
        final long keyTimer) {
        this.vertx = vertx;
        this.keyTimer = keyTimer;
        this.context = context;
        this.deploymentId = deploymentId;
        this.port = port;
    }

    /**
     * A Vert.x instance with the Prometheus metrics the gateway publishes: the HTTP server's (requests, times,
     * connections) and the gateway's own. Vert.x's other domains are off: each costs a meter lookup per event and
     * says nothing about scoring.
     */
    public static Vertx newVertx() {
        final MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true);
        for (final MetricsDomain domain : MetricsDomain.values()) {
            if (domain != MetricsDomain.HTTP_SERVER) {
                metrics.addDisabledMetricsCategory(domain);
            }
        }
        return Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics)).build();
    }

    /** Deploys the gateway; with port 0 a free port is chosen first, so that every verticle shares it. */
    public static Future<Gateway> start(final Vertx vertx, final GatewayConfig config, final ApiKeys keys) {
        return start(vertx, config, keys, null);
    }

    /**
     * As {@link #start(Vertx, GatewayConfig, ApiKeys)}, with the case API served from the database of {@code cases}
     * (null: cases off, the case routes answer 503). The database is not reached before the first case request.
     */
    public static Future<Gateway> start(final Vertx vertx, final GatewayConfig config, final ApiKeys keys,
        final CaseOptions cases) {
        return start(vertx, config, keys, cases, null);
    }

    /**
     * As {@link #start(Vertx, GatewayConfig, ApiKeys, CaseOptions)}, with block and allow lists kept in the Redis of
     * {@code lists} (null: lists off, the list routes answer 503). Once the engine is ready a {@link ListFollower}
     * follows the lists' change stream into it.
     */
    public static Future<Gateway> start(final Vertx vertx, final GatewayConfig config, final ApiKeys keys,
        final CaseOptions cases, final ListOptions lists) {
        final int port = config.port() == 0 ? freePort(config.host()) : config.port();
        final GatewayConfig resolved = config.withPort(port);
        final CaseDatabase database = cases == null ? null : CaseDatabase.open(vertx, cases);
        final GatewayContext context = new GatewayContext(resolved, keys,
            new GatewayMetrics(BackendRegistries.getDefaultNow()), database);
        if (database != null) {
            io.ecap.gateway.analytics.LakeFigures.start(vertx, database, context.metrics().registry());
        }
        if (lists != null) {
            context.lists(ListStore.open(vertx, lists));
            context.live(io.ecap.gateway.live.LiveFigures.open(vertx, lists));
        }
        return vertx.deployVerticle(() -> new ApiVerticle(context),
                new DeploymentOptions().setInstances(resolved.verticles()))
            .map(id -> new Gateway(vertx, context, id, port,
                io.ecap.gateway.auth.KeyWatch.start(vertx, keys, context.sessions())))
            .onFailure(e -> {
                if (database != null) {
                    database.close();
                }
                if (context.lists() != null) {
                    context.lists().close();
                    context.live().close();
                }
            });
    }

    /**
     * The engine has recovered: scoring opens, the alert feed starts following the journal and, with lists on, the
     * list follower the lists' change stream.
     */
    public void engineReady(final EngineRunner engine) {
        alerts = new AlertFeed(engine.journal(), vertx.eventBus(), context.alertListeners(), context.live(),
            new VersionMetrics(context.metrics().registry()));
        context.engineReady(engine);
        if (context.lists() != null) {
            listFollower = new ListFollower(context.lists().options(), engine);
            vertx.deployVerticle(listFollower).onSuccess(id -> listFollowerId = id);
            io.micrometer.core.instrument.Gauge.builder("ecap.lists.redis.away", listFollower, f -> f.away() ? 1 : 0)
                .description("1 while the lists' Redis is unreachable (the engine keeps deciding with its last lists)")
                .register(context.metrics().registry());
        }
        if (context.cases() != null) {
            final ChurnLive churn = new ChurnLive(engine.journal());
            context.churnLive(churn);
            churnTimer = vertx.setPeriodic(1_000, CHURN_CHECK_MS, id -> lookAtChurnModel(churn));
        }
        final StateWatch watch = new StateWatch(engine);
        watch.check();
        stateTimer = vertx.setPeriodic(STATE_CHECK_MS, id -> vertx.executeBlocking(() -> {
            watch.check();
            return null;
        }));
    }

    /**
     * Tells the live churn scores the published churn model's day, so that they read the payments since before the
     * first customer is asked for (a publication without one, or none yet, changes nothing).
     */
    private void lookAtChurnModel(final ChurnLive churn) {
        context.cases().run(pool -> pool.query("SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = "
            + "'analytics_churn_model'").execute().compose(tables -> tables.size() == 0 ? Future.succeededFuture(null)
                : pool.query("SELECT coalesce(through_journal_index, " + Long.MAX_VALUE + ") FROM "
                    + "analytics_churn_model").execute()
                    .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0))))
            .onSuccess(through -> {
                if (through != null) {
                    churn.since(through);
                }
            });
    }

    /** How often the live churn scores look for a new churn model. */
    private static final long CHURN_CHECK_MS = 30_000;
    private long churnTimer = -1;

    /** How often the state and the disk are looked at (a refusal of new work is logged within this). */
    private static final long STATE_CHECK_MS = 1_000;
    private long stateTimer = -1;
    /** The {@link io.ecap.gateway.auth.KeyWatch}'s timer. */
    private final long keyTimer;

    /**
     * Starts the Kafka input bridge on an event loop of its own (the engine must be ready): it consumes the input
     * topics into the engine.
     */
    public Future<Void> startBridge(final KafkaOptions options) {
        final InputBridge bridge = new InputBridge(context, options, new BridgeMetrics(context.metrics().registry()));
        return vertx.deployVerticle(bridge).map(id -> {
            bridgeId = id;
            return null;
        });
    }

    /** The list follower, or null when lists are off or the engine is not ready. */
    public ListFollower listFollower() {
        return listFollower;
    }

    public int port() {
        return port;
    }

    public GatewayContext context() {
        return context;
    }

    /**
     * Stops consuming from Kafka and taking requests, lets those in flight finish, stops the alert feed, closes the
     * case API's connections. The engine is closed by its owner.
     */
    public Future<Void> stop() {
        if (stateTimer >= 0) {
            vertx.cancelTimer(stateTimer);
        }
        if (churnTimer >= 0) {
            vertx.cancelTimer(churnTimer);
        }
        vertx.cancelTimer(keyTimer);
        final Future<Void> bridgeStopped = bridgeId == null ? Future.succeededFuture() : vertx.undeploy(bridgeId);
        final Future<Void> followerStopped = listFollowerId == null ? Future.succeededFuture()
            : vertx.undeploy(listFollowerId).otherwiseEmpty();
        final Future<Void> before = Future.join(bridgeStopped, followerStopped).mapEmpty();
        return before.transform(ignored -> vertx.undeploy(deploymentId)).andThen(ignored -> {
            if (alerts != null) {
                alerts.close();
            }
            if (context.churnLive() != null) {
                context.churnLive().close();
            }
        }).transform(ignored -> context.cases() == null ? Future.<Void>succeededFuture()
            : context.cases().close().otherwiseEmpty())
            .transform(ignored -> context.live() == null ? Future.<Void>succeededFuture()
                : context.live().close().otherwiseEmpty())
            .transform(ignored -> context.lists() == null ? Future.<Void>succeededFuture()
                : context.lists().close().otherwiseEmpty());
    }

    private static int freePort(final String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ": " + e.getMessage(), e);
        }
    }
}
