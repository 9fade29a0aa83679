package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        return load(port, "0");
    }

    /** The same with a warm-up; also returns what was printed on standard error (the progress lines). */
    private Object[] load(final int port, final String warmup) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            final int code = Ecap.run("load", "--url", "http://127.0.0.1:" + port, "--key", "k", "--rate", "40",
                "--seconds", "1", "--warmup", warmup, "--connections", "2", "--seed", "7", "--out", dir.toString());
            return new Object[] {code, captured.toString(StandardCharsets.UTF_8),
                progress.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void shouldExitOneWhenRequestsFailedDuringTheWarmUpAndShowNoNegativeRate() throws Exception {
        final AtomicInteger requests = new AtomicInteger();
        final HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(
            ignored -> {
                final boolean fail = requests.incrementAndGet() <= 5;
                request.response().setStatusCode(fail ? 503 : 200).putHeader("content-type", "application/json")
                    .end(fail ? "{\"error\":\"saturated\",\"message\":\"busy\"}" : DECISION);
            }));
        final int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS).actualPort();
        final Object[] run = load(port, "3");
        final String report = run[1] + "\n" + run[2];
        assertEquals(1, run[0], report);
        assertTrue(((String) run[1]).contains("5 of 60 requests failed during the warm-up"), report);
        assertTrue(((String) run[1]).contains("Warm-up (not measured): 60 sent, 5 failed"), report);
        assertFalse(((String) run[2]).contains("(-"), report);
    }

    @Test
    void shouldExitZeroWhenEveryRequestGotADecision() throws Exception {
        final Object[] run = load(server(200, DECISION));
        assertEquals(0, run[0], (String) run[1]);
        assertTrue(!((String) run[1]).contains("The run failed"), (String) run[1]);
        assertTrue(((String) run[1]).matches("(?s).*This tool's own stalls.*\n  p99 [0-9.,]+ [mu]s  p99\\.9 .* max .*"),
            (String) run[1]);
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
