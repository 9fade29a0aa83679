package io.ecap.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The platform's floor: a Vert.x HTTP server on the same machine, JVM flags and event loops as the gateway that
 * answers every POST with one fixed decision, without parsing, engine or journal. Load it with {@code ecap load}
 * side by side with the real gateway to see how much of the latency is the machine and the HTTP stack.
 *
 * <p>Usage: {@code EchoServer PORT [EVENT_LOOPS]}; prints {@code ECHO ready on http://127.0.0.1:PORT}.
 */
public final class EchoServer {
    /**
     * A decision the load tool reads as one, like the gateway's: every field valid (a version is never empty; the
     * gateway says "none" when no model is live), so the floor's run counts answers, not failures.
     */
    private static final Buffer DECISION = Buffer.buffer("{\"txnId\":\"echo\",\"decision\":\"APPROVE\",\"score\":0,"
        + "\"reasons\":[],\"ruleSetVersion\":\"echo\",\"modelVersion\":\"none\",\"engineNanos\":0,"
        + "\"journalIndex\":1}");

    private EchoServer() {
    }

    public static void main(final String[] args) throws Exception {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        final int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        for (int i = 0; i < loops; i++) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> request.body().onSuccess(body -> request.response()
                    .putHeader("content-type", "application/json").end(DECISION)))
                .listen().toCompletionStage().toCompletableFuture().get();
        }
        System.out.println("ECHO ready on http://127.0.0.1:" + port);
    }
}
