package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.testing.ChildJvm;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
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
    private final List<ChildJvm> started = new ArrayList<>();

    /** A failed check leaves no service running behind the build. */
    @AfterEach
    void killLeftovers() {
        started.forEach(c -> c.process().toHandle().destroyForcibly());
    }

    /** A running {@code ecap run} child and what it printed. */
    private record Child(ChildJvm jvm, int port, String createdKey) {
        Process process() {
            return jvm.process();
        }
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
        assertTrue(second.jvm().seen().contains("state: recovered after an unclean stop"), "one line says what "
            + "start found: " + second.jvm().seen());
        assertTrue(warnings(second.jvm().seen()).isEmpty(), "no warnings on a recovery: " + second.jvm().seen());
        int resent = 0;
        for (final Map.Entry<String, JsonObject> e : acknowledged.entrySet()) {
            final HttpResponse<String> found = http.send(HttpRequest.newBuilder(uri(second.port(),
                "/v1/decisions/" + e.getKey())).header("X-API-Key", key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), e.getKey() + ": " + found.body());
            assertSameDecision(e.getValue(), new JsonObject(found.body()));
            if (resent++ < 200) {
                final HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri(second.port(), "/v1/score"))
                    .header("X-API-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(sentJson.get(e.getKey())))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, again.statusCode(), again.body());
                assertSameDecision(e.getValue(), new JsonObject(again.body()));
            }
        }
        stop(second);
    }

    /**
     * Warning lines other than Chronicle Queue's own note that it released the journal's write lock of the killed
     * process: a kill that lands inside an append leaves that lock held, and the queue says so when it takes it over.
     */
    private static List<String> warnings(final String output) {
        return output.lines().filter(line -> line.contains("WARN"))
            .filter(line -> !(line.contains("TableStoreWriteLock - Forced unlocking") && line.contains("now dead")))
            .toList();
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
        final ChildJvm child = ChildJvm.start(dir, System.getProperty("java.class.path"), List.of("-Xmx512m"),
            Ecap.class.getName(), List.of("run", "--data", data.toString(), "--port", "0"));
        started.add(child);
        final int port = Integer.parseInt(child.await(READY, 90).group(1));
        String createdKey = null;
        for (final String line : child.seen().split("\n")) {
            final Matcher key = KEY.matcher(line);
            if (key.matches()) {
                createdKey = key.group(1);
            }
        }
        return new Child(child, port, createdKey);
    }

    /** SIGTERM: the service drains, says it stopped cleanly and ends with status 0 (a clean stop is no failure). */
    private static void stop(final Child child) throws Exception {
        final List<String> rest = child.jvm().terminate();
        assertTrue(rest.contains("ECAP stopped cleanly."), "after SIGTERM: " + rest);
        assertEquals(0, child.jvm().process().exitValue(), "exit status after SIGTERM");
    }
}
