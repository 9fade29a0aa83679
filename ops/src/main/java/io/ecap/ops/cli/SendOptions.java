package io.ecap.ops.cli;

import io.ecap.ops.drive.Driver;
import io.ecap.ops.drive.Target;
import picocli.CommandLine.Option;

/** Where and how fast traffic is sent to a running server, shared by generate and load. */
public final class SendOptions {
    @Option(names = "--url", paramLabel = "URL", description = "the server, e.g. http://127.0.0.1:8080")
    String url;

    @Option(names = "--key", paramLabel = "KEY", defaultValue = "${env:ECAP_API_KEY}",
        description = "API key with the scopes the traffic needs (default: $ECAP_API_KEY)")
    String key;

    @Option(names = "--connections", defaultValue = "16",
        description = "HTTP connections, or WebSocket streams with --ws (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--ws", description = "send transactions over the /v1/stream WebSocket instead of POST /v1/score")
    boolean webSocket;

    @Option(names = "--trust-all", description = "accept any TLS certificate (a self-signed test server)")
    boolean trustAll;

    @Option(names = "--event-loops", defaultValue = "2",
        description = "client event loops (threads) (default: ${DEFAULT-VALUE})")
    int eventLoops;

    Target target() {
        return Target.parse(url, key, trustAll);
    }

    /**
     * The plan: {@code rate} requests a second (0: as fast as the in-flight limit allows). The in-flight limit is
     * one second of traffic at the offered rate (at least 10 000): beyond that the server is not keeping up.
     */
    Driver.Plan plan(final double rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("--rate: expected 0 (as fast as possible) or more, found " + rate);
        }
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("--connections: expected 1 to 10000, found " + connections);
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("--event-loops: expected 1 to 64, found " + eventLoops);
        }
        final int inFlight = rate == 0 ? connections * (webSocket ? 64 : 1) : (int) Math.max(10_000, rate);
        return new Driver.Plan(rate, connections, webSocket, inFlight, eventLoops);
    }
}
