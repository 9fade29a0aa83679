package io.ecap.gateway.router;

import io.ecap.gateway.http.Replies;
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
    /** Headers of one connection, not of the request: never forwarded either way. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
        "keep-alive", "upgrade", "te", "trailer", "proxy-connection");

    /** What one shard answered (or the router's answer for a shard that did not). */
    record Answer(int shard, int status, MultiMap headers, Buffer body) {
        boolean ok() {
            return status >= 200 && status < 300;
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
        final URI target = config.shards().get(shard);
        final RequestOptions options = new RequestOptions().setMethod(ctx.request().method())
            .setHost(target.getHost()).setPort(target.getPort()).setURI(ctx.request().uri())
            .setIdleTimeout(config.timeoutMs());
        ctx.request().headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                options.addHeader(name, value);
            }
        });
        final boolean withBody = body != null && ctx.request().method() != HttpMethod.GET
            && ctx.request().method() != HttpMethod.HEAD;
        return client.request(options)
            .compose(request -> withBody ? request.send(body) : request.send())
            .compose(response -> response.body().map(b -> new Answer(shard, response.statusCode(),
                response.headers(), b)))
            .recover(e -> Future.succeededFuture(unanswered(shard, e)));
    }

    /** Sends the same request to every shard; the answers come in shard order. */
    Future<List<Answer>> sendToAll(final RoutingContext ctx, final Buffer body) {
        final List<Future<Answer>> answers = new ArrayList<>();
        for (int shard = 0; shard < shards(); shard++) {
            answers.add(send(shard, ctx, body));
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
            + "; a payment sent may have been scored: send it again with the same txnId to get its decision";
        final JsonObject body = Replies.error(timeout ? "shard_timeout" : "shard_unavailable", message)
            .put("shard", shard);
        return new Answer(shard, timeout ? 504 : 502, MultiMap.caseInsensitiveMultiMap()
            .add("content-type", "application/json"), body.toBuffer());
    }

    /** Answers the client with a shard's answer: its status, headers and body, and which shard it was. */
    static void relay(final RoutingContext ctx, final Answer answer) {
        final HttpServerResponse response = ctx.response().setStatusCode(answer.status());
        answer.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                response.headers().add(name, value);
            }
        });
        response.putHeader("X-ECAP-Shard", Integer.toString(answer.shard()));
        response.end(answer.body());
    }

    void close() {
        client.close();
    }
}
