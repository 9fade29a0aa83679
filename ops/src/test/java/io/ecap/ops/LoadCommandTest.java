package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap load} against a stand-in server: its exit code says whether every request was answered as asked. */
class LoadCommandTest {
    private static final String DECISION = "{\"txnId\":\"x\",\"decision\":\"APPROVE\",\"score\":0,\"reasons\":[],"
        + "\"ruleSetVersion\":\"default@2\",\"modelVersion\":\"none\",\"engineNanos\":1,\"journalIndex\":1}";

    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A server that answers every request with this status and body; returns its port. */
    private int server(final int status, final String body) throws Exception {
        final HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(
            ignored -> request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body)));
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
            .actualPort();
    }

    /** Runs a short load against the port; returns the exit code and what was printed on standard output. */
    private Object[] load(final int port) {
        final PrintStream out = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            final int code = Ecap.run("load", "--url", "http://127.0.0.1:" + port, "--key", "k", "--rate", "40",
                "--seconds", "1", "--warmup", "0", "--connections", "2", "--seed", "7", "--out", dir.toString());
            return new Object[] {code, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void shouldExitZeroWhenEveryRequestGotADecision() throws Exception {
        final Object[] run = load(server(200, DECISION));
        assertEquals(0, run[0], (String) run[1]);
        assertTrue(!((String) run[1]).contains("The run failed"), (String) run[1]);
    }

    @Test
    void shouldExitOneWithTheCountsWhenRequestsFailed() throws Exception {
        final Object[] run = load(server(503, "{\"error\":\"saturated\",\"message\":\"busy\"}"));
        assertEquals(1, run[0], (String) run[1]);
        assertTrue(((String) run[1]).matches("(?s).*The run failed: (\\d+) of \\1 requests failed.*"), (String) run[1]);
    }

    @Test
    void shouldCountAnAnswerThatIsNotADecisionAsAFailure() throws Exception {
        final Object[] run = load(server(200, DECISION.replace("\"none\"", "\"\"")));
        assertEquals(1, run[0], (String) run[1]);
        assertTrue(((String) run[1]).contains("unreadable decision: modelVersion"), (String) run[1]);
    }
}
