package io.ecap.gateway;

import java.nio.file.Path;

/**
 * Settings of the HTTP and WebSocket gateway. The service configuration ({@code ecap run}) resolves them from the
 * configuration file and environment; tests build them directly.
 *
 * @param instances          event-loop verticles (0: one per core beside the writer's, at least one)
 * @param bodyLimitBytes     largest request body accepted (413 beyond)
 * @param maxBatch           most transactions in one batch request
 * @param ratePerSecond      requests per second per API key (429 beyond), with a burst of as many
 * @param metricsPublic      whether /metrics needs no key
 * @param tlsCert            PEM certificate chain, or null for plain HTTP
 * @param tlsKey             PEM private key, or null
 * @param maxFutureSkewMs    how far in the future a transaction's time may be, by the gateway's clock
 * @param streamWindow       answers a WebSocket stream may have outstanding before it stops reading
 * @param readTimeoutMs      how long a connection may take to deliver a whole request, headers and body, counted
 *                           from its opening or from the previous answer (so also how long a kept-alive connection
 *                           may stay idle); then it is closed ({@link io.ecap.gateway.http.ReadTimeout})
 */
public record GatewayConfig(String host, int port, int instances, int bodyLimitBytes, int maxBatch,
    int ratePerSecond, boolean metricsPublic, Path tlsCert, Path tlsKey, long maxFutureSkewMs, int streamWindow,
    long readTimeoutMs) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_READ_TIMEOUT_MS = 5_000;

    public GatewayConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        if (bodyLimitBytes < 1024 || maxBatch < 1 || ratePerSecond < 1 || instances < 0 || streamWindow < 1) {
            throw new IllegalArgumentException("body limit at least 1024, batch, rate and stream window at least 1, "
                + "instances 0+");
        }
        if (readTimeoutMs < 100) {
            throw new IllegalArgumentException("read timeout at least 100 ms, was " + readTimeoutMs);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key");
        }
    }

    /**
     * Loopback, port 8080, one verticle per core, 64 KB bodies, batches of 1000, 20 000 requests/s per key, 5 s to
     * send a request.
     */
    public static GatewayConfig defaults() {
        return new GatewayConfig("127.0.0.1", DEFAULT_PORT, 0, 64 * 1024, 1000, 20_000, true, null, null,
            600_000, 1024, DEFAULT_READ_TIMEOUT_MS);
    }

    public GatewayConfig withPort(final int newPort) {
        return new GatewayConfig(host, newPort, instances, bodyLimitBytes, maxBatch, ratePerSecond, metricsPublic,
            tlsCert, tlsKey, maxFutureSkewMs, streamWindow, readTimeoutMs);
    }

    public GatewayConfig withRate(final int perSecond) {
        return new GatewayConfig(host, port, instances, bodyLimitBytes, maxBatch, perSecond, metricsPublic, tlsCert,
            tlsKey, maxFutureSkewMs, streamWindow, readTimeoutMs);
    }

    public GatewayConfig withMetricsPublic(final boolean open) {
        return new GatewayConfig(host, port, instances, bodyLimitBytes, maxBatch, ratePerSecond, open, tlsCert,
            tlsKey, maxFutureSkewMs, streamWindow, readTimeoutMs);
    }

    public GatewayConfig withTls(final Path cert, final Path key) {
        return new GatewayConfig(host, port, instances, bodyLimitBytes, maxBatch, ratePerSecond, metricsPublic, cert,
            key, maxFutureSkewMs, streamWindow, readTimeoutMs);
    }

    public GatewayConfig withInstances(final int count) {
        return new GatewayConfig(host, port, count, bodyLimitBytes, maxBatch, ratePerSecond, metricsPublic, tlsCert,
            tlsKey, maxFutureSkewMs, streamWindow, readTimeoutMs);
    }

    public GatewayConfig withStreamWindow(final int answers) {
        return new GatewayConfig(host, port, instances, bodyLimitBytes, maxBatch, ratePerSecond, metricsPublic,
            tlsCert, tlsKey, maxFutureSkewMs, answers, readTimeoutMs);
    }

    public GatewayConfig withReadTimeoutMs(final long ms) {
        return new GatewayConfig(host, port, instances, bodyLimitBytes, maxBatch, ratePerSecond, metricsPublic,
            tlsCert, tlsKey, maxFutureSkewMs, streamWindow, ms);
    }

    /**
     * The body limit of the routes that take a rule set or a model file, live or in the shadow: a model of a few
     * hundred trees is megabytes, far over the limit a transaction needs. At least 16 MiB, whatever
     * {@code bodyLimitBytes} is.
     */
    public static final int MODEL_BODY_LIMIT_BYTES = io.ecap.model.scoring.ConfigText.MAX_BYTES;

    /** The body limit of a path: {@link #MODEL_BODY_LIMIT_BYTES} for rule set and model uploads, else the setting. */
    public static int bodyLimitOf(final String path, final int bodyLimitBytes) {
        return path != null && MODEL_UPLOADS.matcher(path).matches()
            ? Math.max(bodyLimitBytes, MODEL_BODY_LIMIT_BYTES) : bodyLimitBytes;
    }

    /** The routes that take a rule set or a model file (and their rollbacks). */
    public static final java.util.regex.Pattern MODEL_UPLOADS =
        java.util.regex.Pattern.compile("/v1/admin/(shadow/)?(rules|models)(/.*)?");

    /**
     * The largest WebSocket frame read: four times the body limit, so that a message a little over the limit, sent as
     * one frame as browsers do, is still read and answered as too large in its place; a longer frame ends the stream
     * (1009). Derived, not a setting of its own.
     */
    public int frameLimitBytes() {
        return (int) Math.min(Integer.MAX_VALUE, 4L * bodyLimitBytes);
    }

    /**
     * The number of verticles to deploy: {@code instances}, or by default one per core but the one the engine's writer
     * keeps busy. On two cores one event loop answered 28,000-29,000 requests/s where two answered 23,000-23,700, the
     * same minutes (docs/PERFORMANCE.md): a second loop only competes with the writer for its core, and every hand-over
     * between them is a context switch.
     */
    public int verticles() {
        return instances > 0 ? instances : defaultVerticles(Runtime.getRuntime().availableProcessors());
    }

    static int defaultVerticles(final int cores) {
        return Math.max(1, cores - 1);
    }
}
