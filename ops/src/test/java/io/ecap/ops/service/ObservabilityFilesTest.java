package io.ecap.ops.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.LocalBroker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * The Prometheus alert rules and the Grafana dashboard of {@code deploy/} against a running service with Kafka,
 * cases and lists on: every metric a rule or a panel queries is one the service exports. With {@code promtool} on
 * the PATH (Debian package {@code prometheus}), the configuration, the rules and every dashboard query also parse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path ALERTS = DEPLOY.resolve("prometheus/alerts.yml");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/ecap.json");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
        "on", "ignoring", "group_left", "group_right", "inf", "nan");
    /** Made by Prometheus itself for every target, not by the service. */
    private static final Set<String> SYNTHETIC = Set.of("up");

    @TempDir
    static Path dir;

    private LocalBroker broker;
    private EmbeddedPostgres postgres;
    private RedisServer redis;
    private Service service;
    private Set<String> exported;

    @BeforeAll
    void start() throws Exception {
        broker = LocalBroker.start(dir.resolve("broker"));
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
        final int redisPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(redisPort).setting("bind 127.0.0.1").build();
        redis.start();
        final Settings settings = Settings.load(null, Map.of()).set("data.dir", dir.resolve("data").toString())
            .set("gateway.port", "0").set("engine.entities", "2000").set("engine.transactions", "100000")
            .set("kafka.bootstrap-servers", broker.bootstrapServers()).set("kafka.instance-id", "metrics-test")
            .set("cases.database-url", "postgresql://postgres:unused@localhost:" + postgres.getPort() + "/postgres")
            .set("lists.redis-url", "redis://127.0.0.1:" + redisPort);
        service = Service.start(settings, settings.gateway());
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            final String body = "{\"txnId\":\"m-" + i + "\",\"ts\":" + System.currentTimeMillis() + ",\"customerId\":"
                + "\"c-" + i % 3 + "\",\"cardId\":\"k-" + i % 3 + "\",\"merchantId\":\"mer-1\",\"amount\":\""
                + (10 + i * 400) + ".00\",\"currency\":\"USD\"}";
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + service.port() + "/v1/score")).header("X-API-Key", service.createdKey())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
        }
        // the GC pause timer appears with the first collection after the gateway bound it: one is asked for, and
        // /metrics read until the timer is there (at most 30 s; the assertions below say what is missing)
        System.gc();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String metrics;
        do {
            metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                + "/metrics")).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
            if (!metrics.contains("jvm_gc_pause_seconds_sum")) {
                System.gc();
                Thread.sleep(100);
            }
        } while (!metrics.contains("jvm_gc_pause_seconds_sum") && System.nanoTime() < deadline);
        exported = new TreeSet<>();
        for (final String line : metrics.split("\n")) {
            final Matcher m = NAME.matcher(line);
            if (!line.startsWith("#") && m.lookingAt()) {
                exported.add(m.group());
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (redis != null) {
            redis.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsExported() throws Exception {
        assertTrue(exported.contains("jvm_memory_used_bytes") && exported.contains("ecap_kafka_publish_lag")
            && exported.contains("ecap_cases_lag") && exported.contains("ecap_lists_redis_away"),
            "the JVM, Kafka, case and list meters are there: " + exported);
        final List<String> queries = new ArrayList<>(alertExpressions());
        queries.addAll(dashboardExpressions());
        assertTrue(queries.size() > 25, "found the queries: " + queries);
        for (final String query : queries) {
            final Set<String> names = metricNames(query);
            assertFalse(names.isEmpty(), "no metric in: " + query);
            for (final String name : names) {
                // the lake tailer's are checked against a running tailer by the lake-tailer's LakeTailerMetricsTest
                assertTrue(exported.contains(name) || SYNTHETIC.contains(name)
                    || name.startsWith("ecap_lake_tailer_"), name + " (in " + query + ") is not exported");
            }
        }
    }

    @Test
    void theNameCheckFindsAMetricTheServiceDoesNotExport() {
        // the check above would pass vacuously if metricNames found nothing or everything
        assertEquals(Set.of("ecap_engine_time_seconds_bucket"), metricNames("histogram_quantile(0.99, sum by "
            + "(instance, le) (rate(ecap_engine_time_seconds_bucket{code=~\"5..\"}[$__rate_interval])))"));
        assertFalse(exported.contains("ecap_engine_time_seconds_bucket_typo"));
    }

    @Test
    void promtoolAcceptsTheConfigurationTheRulesAndEveryDashboardQuery() throws Exception {
        final String promtool = onPath("promtool");
        final String missing = "promtool is not installed (Debian package prometheus): the configuration, rules and "
            + "dashboard queries were not parsed";
        assertFalse(promtool == null && "1".equals(System.getenv("ECAP_REQUIRE_PROMTOOL")), missing);
        Assumptions.assumeTrue(promtool != null, missing);
        promtool(promtool, "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString());
        promtool(promtool, "check", "rules", ALERTS.toString());
        final StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (final String query : dashboardExpressions()) {
            rules.append("      - record: dashboard:query:").append(n++).append("\n        expr: '")
                .append(grafanaVariablesReplaced(query).replace("'", "''")).append("'\n");
        }
        final Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        promtool(promtool, "check", "rules", file.toString());
    }

    /** The expressions of the alert rules ({@code expr:} on one line, or folded with {@code >} over the next). */
    private static List<String> alertExpressions() throws Exception {
        final List<String> found = new ArrayList<>();
        final List<String> lines = Files.readAllLines(ALERTS);
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (!line.startsWith("expr:")) {
                continue;
            }
            final String value = line.substring(5).strip();
            if (!value.equals(">")) {
                found.add(value);
                continue;
            }
            final StringBuilder folded = new StringBuilder();
            final int indent = lines.get(i).indexOf("expr:");
            while (i + 1 < lines.size() && leading(lines.get(i + 1)) > indent) {
                folded.append(lines.get(++i).strip()).append(' ');
            }
            found.add(folded.toString().strip());
        }
        return found;
    }

    private static int leading(final String line) {
        return line.isBlank() ? Integer.MAX_VALUE : line.length() - line.stripLeading().length();
    }

    /** Every panel query and the metric of every {@code label_values} variable of the dashboard. */
    private static List<String> dashboardExpressions() throws Exception {
        final JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        final List<String> found = new ArrayList<>();
        for (final Object panel : dashboard.getJsonArray("panels")) {
            for (final Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
                found.add(((JsonObject) target).getString("expr"));
            }
        }
        for (final Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
            final Matcher m = Pattern.compile("label_values\\(([^,]+),").matcher(((JsonObject) variable)
                .getString("query", ""));
            if (m.find()) {
                found.add(m.group(1).strip());
            }
        }
        return found;
    }

    /**
     * The metric names a PromQL query reads: identifiers outside strings, label matchers, ranges and grouping
     * clauses that are neither functions (followed by a parenthesis) nor keywords.
     */
    static Set<String> metricNames(final String query) {
        String q = query.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
        q = q.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\\$\\w+", " ");
        q = q.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        final Set<String> names = new TreeSet<>();
        final Matcher m = NAME.matcher(q);
        while (m.find()) {
            final String word = m.group();
            final boolean call = q.substring(m.end()).stripLeading().startsWith("(");
            final boolean number = m.start() > 0 && Character.isDigit(q.charAt(m.start() - 1));
            if (!call && !number && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /** Grafana's variables as Prometheus would see them after Grafana replaced them. */
    private static String grafanaVariablesReplaced(final String query) {
        return query.replace("$__rate_interval", "1m").replace("$instance", ".*");
    }

    private static String onPath(final String command) {
        for (final String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            final Path candidate = Path.of(folder, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private void promtool(final String... command) throws Exception {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + said);
    }
}
