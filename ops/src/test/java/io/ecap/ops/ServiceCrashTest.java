package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@code ecap run} in a child JVM, generated traffic over HTTP, {@code kill -9} while requests are in
 * flight, a restart on the same data folder, and every decision acknowledged before the kill is still there: the
 * same decision under the same journal index, by lookup and by sending the transaction again.
 */
class ServiceCrashTest {
    private static final Pattern READY = Pattern.compile("ECAP ready on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern KEY = Pattern.compile("^\\s+(ecap_[0-9a-f]{64})$");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A running {@code ecap run} child and what it printed. */
    private record Child(Process process, int port, String createdKey, BlockingQueue<String> lines) {
    }

    @Test
    void shouldKeepEveryAcknowledgedDecisionAcrossKillNine() throws Exception {
        final Path data = dir.resolve("data");
        final Child first = start(data);
        assertNotNull(first.createdKey(), "the first start creates and prints a key");
        final String key = first.createdKey();
        final Map<String, JsonObject> acknowledged = new ConcurrentHashMap<>();
        final Map<String, String> sentJson = new ConcurrentHashMap<>();
        final Traffic traffic = new Traffic(Traffic.Settings.defaults(new WorkloadGenerator.Settings(
            System.nanoTime() & 0xFFFF, 5_000, 100, 1_793_577_600_000L, 20_000, 0.01))
            .withKinds(EnumSet.allOf(Kind.class)));
        final Semaphore window = new Semaphore(32);
        final List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int requests = 0; acknowledged.size() < 1_500; requests++) {
            assertTrue(requests < 300_000 && first.process().isAlive(), "the service stopped answering");
            window.acquire();
            final GeneratedEvent event = traffic.next();
            if (event.kind() == Kind.TRANSACTION) {
                sentJson.put(event.txnId(), event.json());
            }
            sent.add(http.sendAsync(post(first.port(), key, event), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    window.release();
                    if (error == null && response.statusCode() == 200 && event.kind() == Kind.TRANSACTION) {
                        acknowledged.put(event.txnId(), new JsonObject(response.body()));
                    }
                }));
        }
        // kill -9 with up to 32 requests in flight; what they got back (if anything) is checked like the rest
        first.process().toHandle().destroyForcibly();
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(60,
            TimeUnit.SECONDS);
        assertTrue(acknowledged.size() >= 1_500, "acknowledged " + acknowledged.size());

        final Child second = start(data);
        assertEquals(null, second.createdKey(), "keys survive the restart; no new one is made");
        int resent = 0;
        for (final Map.Entry<String, JsonObject> e : acknowledged.entrySet()) {
            final HttpResponse<String> found = http.send(HttpRequest.newBuilder(uri(second.port(),
                "/v1/decisions/" + e.getKey())).header("X-API-Key", key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), e.getKey() + ": " + found.body());
            assertSameDecision(e.getValue(), new JsonObject(found.body()));
            if (resent++ < 200) {
                final HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri(second.port(), "/v1/score"))
                    .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(sentJson.get(e.getKey())))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, again.statusCode(), again.body());
                assertSameDecision(e.getValue(), new JsonObject(again.body()));
            }
        }
        stop(second);
    }

    private static void assertSameDecision(final JsonObject before, final JsonObject after) {
        for (final String field : List.of("txnId", "decision", "score", "journalIndex", "ruleSetVersion",
            "reasons")) {
            assertEquals(before.getValue(field), after.getValue(field), field + " of " + before.getString("txnId"));
        }
    }

    private static HttpRequest post(final int port, final String key, final GeneratedEvent event) {
        return HttpRequest.newBuilder(uri(port, event.kind().path())).header("X-API-Key", key)
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(event.json())).build();
    }

    private static URI uri(final int port, final String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Child start(final Path data) throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path flags = Path.of(System.getProperty("ecap.root"), "config", "jvm.flags");
        final Process process = new ProcessBuilder(java.toString(), "@" + flags, "-Xmx512m", "-cp",
            System.getProperty("java.class.path"), Ecap.class.getName(), "run", "--data", data.toString(),
            "--port", "0").directory(dir.toFile()).redirectErrorStream(true).start();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (final java.io.IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        final StringBuilder seen = new StringBuilder();
        String createdKey = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            final String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                assertTrue(process.isAlive(), "ecap run exited:\n" + seen);
                continue;
            }
            seen.append(line).append('\n');
            final Matcher key = KEY.matcher(line);
            if (key.matches()) {
                createdKey = key.group(1);
            }
            final Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return new Child(process, Integer.parseInt(ready.group(1)), createdKey, lines);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("ecap run did not become ready in 90 s:\n" + seen);
    }

    /**
     * SIGTERM through the process handle (Process.destroy would also close the output pipe): the service drains
     * and says it stopped cleanly.
     */
    private static void stop(final Child child) throws Exception {
        child.process().toHandle().destroy();
        assertTrue(child.process().waitFor(60, TimeUnit.SECONDS), "ecap run did not stop on SIGTERM");
        final List<String> rest = new ArrayList<>();
        for (String line = child.lines().poll(5, TimeUnit.SECONDS); line != null;
             line = child.lines().poll(1, TimeUnit.SECONDS)) {
            rest.add(line);
        }
        assertTrue(rest.contains("ECAP stopped cleanly."), "after SIGTERM: " + rest);
    }
}
