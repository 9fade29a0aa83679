package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.journal.Journal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer's {@code /metrics} while it follows a journal: what it loaded, how far behind it is, and every
 * {@code ecap_lake_tailer_*} metric the alert rules and the dashboard in {@code deploy/} query is one it exports.
 */
class LakeTailerMetricsTest {
    private static final Pattern TAILER_METRIC = Pattern.compile("ecap_lake_tailer_[a-z_]+");
    private static final Path DEPLOY = Path.of(System.getProperty("ecap.root", ".."), "deploy");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesWhatItLoadedAndHowFarBehindItIs() throws Exception {
        final Path data = dir.resolve("data");
        ScoredJournal.write(data, 40);
        final long journaled;
        try (Journal journal = Journal.openReadOnly(data.resolve("journal").toFile())) {
            journaled = journal.entriesAfter(0);
        }
        final AtomicBoolean stop = new AtomicBoolean();
        try (LakeTailer tailer = new LakeTailer(data.resolve("journal"), dir.resolve("lake").toString(),
            dir.resolve("state"), 1000, new BronzeCommitter(DefaultEngine.create(new Configuration())), (t, v) -> { });
             MetricsServer metrics = MetricsServer.start("127.0.0.1", 0, tailer.stats())) {
            final Thread follower = ScoredJournal.follow(tailer, stop);
            String text = "";
            final long deadline = System.currentTimeMillis() + 60_000;
            while (!text.contains("ecap_lake_tailer_entries_total " + journaled + "\n")
                || !text.contains("ecap_lake_tailer_behind_entries 0\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "not loaded in 60 s: " + text);
                Thread.sleep(50);
                text = get(metrics.port(), "/metrics").body();
            }
            assertTrue(text.contains("ecap_lake_tailer_rows_total{table=\"decisions\"} 40\n"), text);
            assertTrue(text.contains("# TYPE ecap_lake_tailer_entries_total counter"), text);
            final double caughtUp = value(text, "ecap_lake_tailer_caught_up_timestamp_seconds");
            assertTrue(Math.abs(caughtUp - System.currentTimeMillis() / 1e3) < 60, text);
            assertEquals(404, get(metrics.port(), "/other").statusCode());

            final Set<String> exported = new TreeSet<>();
            for (final String line : text.split("\n")) {
                final Matcher m = TAILER_METRIC.matcher(line);
                if (!line.startsWith("#") && m.lookingAt()) {
                    exported.add(m.group());
                }
            }
            final Set<String> queried = new TreeSet<>();
            for (final Path file : new Path[] {DEPLOY.resolve("prometheus/alerts.yml"),
                DEPLOY.resolve("grafana/dashboards/ecap.json")}) {
                final Matcher m = TAILER_METRIC.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    queried.add(m.group());
                }
            }
            assertTrue(queried.contains("ecap_lake_tailer_caught_up_timestamp_seconds"), "found: " + queried);
            assertTrue(exported.containsAll(queried), "queried " + queried + ", exported " + exported);
            stop.set(true);
            follower.join(10_000);
        }
    }

    private HttpResponse<String> get(final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static double value(final String text, final String name) {
        for (final String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " not in " + text);
    }
}
