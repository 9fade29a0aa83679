package io.ecap.gateway;

import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.RateLimiter;
import io.ecap.hotpath.engine.EngineRunner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every event-loop verticle shares: settings, keys, rate limits, metrics, and the engine once it has recovered
 * (until then the gateway is live but not ready, and scoring answers 503).
 */
public final class GatewayContext {
    private final GatewayConfig config;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final GatewayMetrics metrics;
    private final AtomicReference<EngineRunner> engine = new AtomicReference<>();

    public GatewayContext(final GatewayConfig config, final ApiKeys keys, final GatewayMetrics metrics) {
        this.config = config;
        this.keys = keys;
        this.limiter = new RateLimiter(config.ratePerSecond());
        this.metrics = metrics;
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
