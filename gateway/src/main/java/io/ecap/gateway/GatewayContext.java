package io.ecap.gateway;

import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.RateLimiter;
import io.ecap.gateway.cases.CaseDatabase;
import io.ecap.gateway.lists.ListStore;
import io.ecap.gateway.console.ConsoleSessions;
import io.ecap.hotpath.engine.EngineRunner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every event-loop verticle shares: settings, keys, rate limits, metrics, the case database (with cases on), the
 * web console's sessions, and the engine once it has recovered
 * (until then the gateway is live but not ready, and scoring answers 503).
 */
public final class GatewayContext {
    private final GatewayConfig config;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final GatewayMetrics metrics;
    private final CaseDatabase cases;
    private ListStore lists;
    private io.ecap.gateway.live.LiveFigures live;
    private volatile io.ecap.gateway.analytics.ChurnLive churnLive;
    private final ConsoleSessions sessions = new ConsoleSessions();
    private final AtomicReference<EngineRunner> engine = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger alertListeners =
        new java.util.concurrent.atomic.AtomicInteger();

    public GatewayContext(final GatewayConfig config, final ApiKeys keys, final GatewayMetrics metrics) {
        this(config, keys, metrics, null);
    }

    /** With the case database of the case API, or null when cases are off. */
    public GatewayContext(final GatewayConfig config, final ApiKeys keys, final GatewayMetrics metrics,
        final CaseDatabase cases) {
        this.config = config;
        this.keys = keys;
        this.limiter = new RateLimiter(config.ratePerSecond());
        this.metrics = metrics;
        this.cases = cases;
    }

    /** WebSockets following the alerts now: the alert feed writes no alert while there are none. */
    public java.util.concurrent.atomic.AtomicInteger alertListeners() {
        return alertListeners;
    }

    /** The case database the case API reads and changes, or null when cases are off. */
    public CaseDatabase cases() {
        return cases;
    }

    /** The payments since the published churn model's day, or null before the engine is ready or without cases. */
    public io.ecap.gateway.analytics.ChurnLive churnLive() {
        return churnLive;
    }

    void churnLive(final io.ecap.gateway.analytics.ChurnLive follower) {
        this.churnLive = follower;
    }

    /** The live figures in the lists' Redis, or null when no Redis is configured. */
    public io.ecap.gateway.live.LiveFigures live() {
        return live;
    }

    void live(final io.ecap.gateway.live.LiveFigures figures) {
        this.live = figures;
    }

    /** The list store the list API reads and changes, or null when lists are off. */
    public ListStore lists() {
        return lists;
    }

    /** Set once, before the verticles are deployed. */
    void lists(final ListStore store) {
        this.lists = store;
    }

    /** The web console's logins. */
    public ConsoleSessions sessions() {
        return sessions;
    }

    public GatewayConfig config() {
        return config;
    }

    public ApiKeys keys() {
        return keys;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The engine, or null while it is still recovering. */
    public EngineRunner engine() {
        return engine.get();
    }

    /** Marks the gateway ready: the engine has recovered and takes commands. */
    public void engineReady(final EngineRunner runner) {
        engine.set(runner);
        metrics.bind(runner);
    }

    public boolean isReady() {
        return engine.get() != null;
    }
}
