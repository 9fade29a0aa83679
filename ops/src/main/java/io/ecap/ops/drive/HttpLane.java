package io.ecap.ops.drive;

import io.ecap.ops.generate.GeneratedEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests over keep-alive HTTP/1.1 connections from one event loop. Each answer is recorded with the time
 * from its intended send time, so a slow server shows as latency rather than as fewer requests sent.
 */
final class HttpLane implements Lane {
    private final Context context;
    private final HttpClientAgent client;
    private final Tally tally;
    private final AtomicLong inFlight;
    private final Map<GeneratedEvent.Kind, RequestOptions> routes = new EnumMap<>(GeneratedEvent.Kind.class);

    HttpLane(final Vertx vertx, final Target target, final int connections, final Tally tally,
        final AtomicLong inFlight) {
        this.context = vertx.getOrCreateContext();
        this.tally = tally;
        this.inFlight = inFlight;
        // idle connections are dropped here before the server drops them (gateway.read-timeout-ms, 5 s by default):
        // a request sent on a connection the server is closing gets no answer
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(2)
            .setSsl(target.tls()).setTrustAll(target.trustAll()).setVerifyHost(!target.trustAll())
            .setConnectTimeout(10_000),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        for (final GeneratedEvent.Kind kind : GeneratedEvent.Kind.values()) {
            routes.put(kind, new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setURI(kind.path()).putHeader("X-API-Key", target.key())
                .putHeader("Content-Type", "application/json"));
        }
    }

    @Override
    public void send(final GeneratedEvent event, final long intendedNs) {
        context.runOnContext(ignored -> request(event, intendedNs));
    }

    private void request(final GeneratedEvent event, final long intendedNs) {
        request(event, intendedNs, true);
    }

    /**
     * A payment whose connection closed before its answer is sent once more, on another connection: the server
     * answers a repeated transaction id with the first decision, so nothing is scored twice. Other kinds are not
     * repeated (a label or an event sent twice would count twice).
     */
    private void request(final GeneratedEvent event, final long intendedNs, final boolean mayRepeat) {
        client.request(routes.get(event.kind()))
            .compose(request -> request.send(Buffer.buffer(event.json())))
            .compose(response -> response.body().map(body -> answered(event, intendedNs, response.statusCode(),
                body)))
            .onFailure(e -> {
                if (mayRepeat && event.kind() == GeneratedEvent.Kind.TRANSACTION
                    && e instanceof io.vertx.core.http.HttpClosedException) {
                    request(event, intendedNs, false);
                    return;
                }
                inFlight.decrementAndGet();
                tally.failure("connection: " + e.getClass().getSimpleName() + " " + e.getMessage());
            });
    }

    private Void answered(final GeneratedEvent event, final long intendedNs, final int status, final Buffer body) {
        final long latencyNs = System.nanoTime() - intendedNs;
        inFlight.decrementAndGet();
        if (status == 200 && event.kind() == GeneratedEvent.Kind.TRANSACTION) {
            tally.decision(body.getBytes(), event.scenario(), latencyNs);
        } else if (status == 200 || status == 202) {
            tally.accepted(event.kind(), latencyNs);
        } else {
            tally.failure(Lane.describe(status, body.toString()));
        }
        return null;
    }

    @Override
    public void close() {
        client.close();
    }
}
