package io.ecap.gateway.router;

import io.ecap.gateway.ApiRouter;
import io.ecap.gateway.http.Replies;
import io.ecap.gateway.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The router's way to the shards: keep-alive connections to each, a request forwarded with the client's headers
 * (its API key among them), and every outcome turned into an {@link Answer}: a shard that does not answer becomes a
 * 502 {@code shard_unavailable} or 504 {@code shard_timeout} naming it, never a failed future.
 */
final class ShardClient {
    /** On every answer of the router: the shard that made it (a batch: the shards, comma-separated). */
    static final String SHARD_HEADER = "X-ECAP-Shard";
    /** Headers of one connection, not of the request: never forwarded either way. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
        "keep-alive", "upgrade", "te", "trailer", "proxy-connection");

    /** What one shard answered ({@code fromShard}), or the router's answer for a shard that did not. */
    record Answer(int shard, int status, MultiMap headers, Buffer body, boolean fromShard) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        Answer withBody(final Buffer other) {
            return new Answer(shard, status, headers, other, fromShard);
        }
    }

    private final RouterConfig config;
    private final HttpClientAgent client;

    ShardClient(final Vertx vertx, final RouterConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(-1));
    }

    int shards() {
        return config.shards().size();
    }

    /** Sends the client's request (its method, path and headers) with {@code body} to {@code shard}. */
    Future<Answer> send(final int shard, final RoutingContext ctx, final Buffer body) {
        return send(shard, ctx, body, ctx.request().method());
    }

    /** Sends the client's request with another method (readiness is asked with GET also for a HEAD). */
    Future<Answer> send(final int shard, final RoutingContext ctx, final Buffer body, final HttpMethod method) {
        final URI target = config.shards().get(shard);
        final RequestOptions options = new RequestOptions().setMethod(method)
            .setHost(target.getHost()).setPort(target.getPort()).setURI(ctx.request().uri())
            .setIdleTimeout(config.timeoutMs());
        ctx.request().headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                options.addHeader(name, value);
            }
        });
        options.putHeader(RequestIds.HEADER, RequestIds.of(ctx)); // the shard logs it under the router's id
        final boolean withBody = body != null && method != HttpMethod.GET && method != HttpMethod.HEAD;
        return client.request(options)
            .compose(request -> withBody ? request.send(body) : request.send())
            .compose(response -> response.body().map(b -> new Answer(shard, response.statusCode(),
                response.headers(), b, true)))
            .recover(e -> Future.succeededFuture(unanswered(shard, e)));
    }

    /** Sends the same request to every shard; the answers come in shard order. */
    Future<List<Answer>> sendToAll(final RoutingContext ctx, final Buffer body, final HttpMethod method) {
        final List<Future<Answer>> answers = new ArrayList<>();
        for (int shard = 0; shard < shards(); shard++) {
            answers.add(send(shard, ctx, body, method));
        }
        return Future.all(answers).map(all -> {
            final List<Answer> list = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                list.add(all.resultAt(i));
            }
            return list;
        });
    }

    private Answer unanswered(final int shard, final Throwable e) {
        final boolean timeout = e instanceof java.util.concurrent.TimeoutException
            || e.getClass().getSimpleName().contains("Timeout");
        final String message = "shard " + shard + " (" + config.shards().get(shard) + ") "
            + (timeout ? "did not answer within " + config.timeoutMs() + " ms" : "cannot be reached: " + e.getMessage())
            + "; what was sent may have reached it (sending a payment again is safe: a repeat gets its first "
            + "decision)";
        return routerAnswer(shard, timeout ? 504 : 502, Replies.error(timeout ? "shard_timeout" : "shard_unavailable",
            message).put("shard", shard));
    }

    private static Answer routerAnswer(final int shard, final int status, final JsonObject body) {
        return new Answer(shard, status, MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"),
            body.toBuffer(), false);
    }

    /**
     * Answers the client with a shard's answer: its status, headers and body, and which shard it was. An answer from
     * a gateway whose engine is not the shard the router has at that place (its {@code X-ECAP-Engine-Shard}; none:
     * a single engine) becomes a 502 {@code shard_mismatch}: the router's {@code --shard} list is out of order.
     */
    void relay(final RoutingContext ctx, final Answer given) {
        final Answer answer = checked(given);
        final HttpServerResponse response = ctx.response().setStatusCode(answer.status());
        answer.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !RequestIds.HEADER.equalsIgnoreCase(name)) {
                response.headers().add(name, value);
            }
        });
        response.putHeader(SHARD_HEADER, Integer.toString(answer.shard()));
        response.end(answer.body());
    }

    /** The answer, or a 502 {@code shard_mismatch} when it came from an engine of another shard. */
    Answer checked(final Answer answer) {
        final String expected = answer.shard() + "/" + shards();
        final String actual = engineShard(answer);
        if (!answer.fromShard() || answer.status() == 503 || expected.equals(actual)) {
            return answer;
        }
        return routerAnswer(answer.shard(), 502, Replies.error("shard_mismatch", "the gateway at "
            + config.shards().get(answer.shard()) + " runs " + (actual.equals("0/1") ? "a single engine" : "shard "
            + actual) + ", but it is --shard number " + (answer.shard() + 1) + " of the router, which makes it "
            + expected + ": list the shards in order (docs/SHARDS.md)").put("shard", answer.shard()));
    }

    /** The shard a gateway's engine says it is ({@code 0/1}: a single engine). */
    static String engineShard(final Answer answer) {
        final String said = answer.headers().get(ApiRouter.ENGINE_SHARD_HEADER);
        return said == null ? "0/1" : said;
    }

    void close() {
        client.close();
    }
}
