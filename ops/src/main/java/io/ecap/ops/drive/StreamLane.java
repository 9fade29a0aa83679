package io.ecap.ops.drive;

import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.Scenario;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends transactions over one {@code /v1/stream} WebSocket from one event loop. The server answers in order, so the
 * n-th answer belongs to the n-th message; its latency counts from that message's intended send time.
 */
final class StreamLane implements Lane {
    private record Sent(long intendedNs, Scenario truth) {
    }

    private final Context context;
    private final WebSocketClient client;
    private final WebSocket socket;
    private final Tally tally;
    private final AtomicLong inFlight;
    private final ArrayDeque<Sent> outstanding = new ArrayDeque<>();

    StreamLane(final Vertx vertx, final Target target, final Tally tally, final AtomicLong inFlight)
        throws Exception {
        this.tally = tally;
        this.inFlight = inFlight;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(target.tls())
            .setTrustAll(target.trustAll()).setVerifyHost(!target.trustAll()).setConnectTimeout(10_000)
            .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
        this.socket = client.connect(new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
            .setSsl(target.tls()).setURI("/v1/stream").addHeader("X-API-Key", target.key()))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        this.context = vertx.getOrCreateContext();
        socket.textMessageHandler(this::answered);
        socket.closeHandler(ignored -> context.runOnContext(v -> lost("the server closed the stream")));
        socket.exceptionHandler(e -> tally.failure("stream: " + e.getClass().getSimpleName() + " " + e.getMessage()));
    }

    @Override
    public void send(final GeneratedEvent event, final long intendedNs) {
        synchronized (outstanding) {
            outstanding.add(new Sent(intendedNs, event.scenario()));
        }
        socket.writeTextMessage(event.json()).onFailure(e -> tally.failure("stream write: " + e.getMessage()));
    }

    private void answered(final String text) {
        final long now = System.nanoTime();
        final Sent sent;
        synchronized (outstanding) {
            sent = outstanding.poll();
        }
        if (sent == null) {
            tally.failure("stream: an answer to nothing sent");
            return;
        }
        inFlight.decrementAndGet();
        if (text.startsWith("{\"txnId\"")) {
            tally.decision(text.getBytes(StandardCharsets.UTF_8), sent.truth(), now - sent.intendedNs());
        } else {
            tally.failure(Lane.describe(0, text).replaceFirst("^0 ", "stream "));
        }
    }

    private void lost(final String why) {
        synchronized (outstanding) {
            while (outstanding.poll() != null) {
                inFlight.decrementAndGet();
                tally.failure("stream: " + why + " with answers outstanding");
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        client.close();
    }
}
