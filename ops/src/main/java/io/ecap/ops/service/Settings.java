package io.ecap.ops.service;

import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.cases.CaseOptions;
import io.ecap.gateway.lists.ListOptions;
import io.ecap.gateway.kafka.KafkaOptions;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.JournalSync;
import io.ecap.hotpath.engine.EngineSettings;
import io.ecap.hotpath.engine.IdleStrategies;
import io.ecap.hotpath.engine.StatePlacement;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.shard.Shard;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place service settings are resolved: built-in defaults, then the configuration file
 * ({@code config/ecap.properties} lists every setting), then environment variables ({@code ECAP_GATEWAY_PORT} for
 * {@code gateway.port}), then command-line options. A bad value is reported with its setting's name; an unknown
 * setting in the file, or an unknown {@code ECAP_} variable, with the closest known one.
 */
public final class Settings {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry("data.dir", "data"), Map.entry("engine.entities", "65536"),
        Map.entry("engine.transactions", "1000000"), Map.entry("engine.idle", "backoff"),
        Map.entry("engine.retention-days.card", "400"), Map.entry("engine.retention-days.customer", "400"),
        Map.entry("engine.retention-days.device", "90"), Map.entry("engine.retention-days.ip", "30"),
        Map.entry("engine.retention-days.merchant", "0"), Map.entry("engine.state-dir", "auto"),
        Map.entry("engine.max-in-flight", "4096"), Map.entry("engine.journal-sync", "none"),
        Map.entry("engine.min-free-disk-mb", "512"), Map.entry("engine.shard", ""),
        Map.entry("engine.snapshot-minutes", "15"),
        Map.entry("engine.rules", ""), Map.entry("engine.model", ""), Map.entry("gateway.host", "127.0.0.1"),
        Map.entry("gateway.port", "8080"), Map.entry("gateway.instances", "0"),
        Map.entry("gateway.body-limit", "65536"), Map.entry("gateway.max-batch", "1000"),
        Map.entry("gateway.rate-per-second", "20000"), Map.entry("gateway.metrics-public", "true"),
        Map.entry("gateway.max-future-skew-ms", "600000"), Map.entry("gateway.stream-window", "1024"),
        Map.entry("gateway.read-timeout-ms", "5000"),
        Map.entry("gateway.tls.cert", ""), Map.entry("gateway.tls.key", ""), Map.entry("gateway.keys-file", ""),
        Map.entry("kafka.bootstrap-servers", ""), Map.entry("kafka.bridge", "true"), Map.entry("kafka.publish", "true"),
        Map.entry("kafka.create-topics", "true"), Map.entry("kafka.group-id", "ecap-bridge"),
        Map.entry("kafka.instance-id", ""), Map.entry("kafka.max-poll-records", "500"),
        Map.entry("kafka.commit-interval-ms", "100"), Map.entry("kafka.publish-batch", "2000"),
        Map.entry("cases.database-url", ""), Map.entry("cases.decisions", "REVIEW"),
        Map.entry("lists.redis-url", ""), Map.entry("log.format", "text"), Map.entry("log.level", "warn"),
        Map.entry("log.kafka-records", "false"), Map.entry("log.requests", "false"));

    /**
     * {@code ECAP_} variables that are not settings: read by the {@code ecap} launcher, the load tools, the
     * benchmarks and the tests. Any other {@code ECAP_} variable that names no setting is refused.
     */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("ECAP_JAVA_OPTS", "ECAP_DEMO_ONLY", "ECAP_API_KEY",
        "ECAP_REQUIRE_CHROMIUM", "ECAP_REQUIRE_PROMTOOL", "ECAP_REQUIRE_COMPOSE", "ECAP_CHROMIUM", "ECAP_CDNOW",
        "ECAP_CRASH_SEED", "ECAP_TEST_KAFKA", "ECAP_TEST_REDIS",
        "ECAP_BENCH_TMP", "ECAP_BENCH_OPTS");

    private final Properties values = new Properties();

    private Settings() {
        values.putAll(DEFAULTS);
    }

    /** Defaults, then {@code file} (if given or if {@code config/ecap.properties} exists), then the environment. */
    public static Settings load(final Path file, final Map<String, String> environment) throws IOException {
        final Settings settings = new Settings();
        final Path chosen = file != null ? file : Path.of("config", "ecap.properties");
        if (file != null && !Files.exists(file)) {
            throw new IllegalArgumentException("configuration file " + file + " does not exist");
        }
        if (Files.exists(chosen)) {
            final Properties fromFile = new Properties();
            try (Reader in = Files.newBufferedReader(chosen, StandardCharsets.UTF_8)) {
                fromFile.load(in);
            }
            for (final String key : fromFile.stringPropertyNames()) {
                if (!DEFAULTS.containsKey(key)) {
                    throw new IllegalArgumentException(chosen + ": unknown setting '" + key + "' (closest: "
                        + closest(key, DEFAULTS.keySet()) + ")");
                }
                settings.values.setProperty(key, fromFile.getProperty(key).trim());
            }
        }
        final Map<String, String> byVariable = new TreeMap<>();
        for (final String key : DEFAULTS.keySet()) {
            byVariable.put(variable(key), key);
        }
        for (final Map.Entry<String, String> env : new TreeMap<>(environment).entrySet()) {
            final String key = byVariable.get(env.getKey());
            if (key != null) {
                settings.values.setProperty(key, env.getValue().trim());
            } else if (env.getKey().startsWith("ECAP_") && !LAUNCHER_VARIABLES.contains(env.getKey())) {
                final String closest = closest(env.getKey(), byVariable.keySet());
                throw new IllegalArgumentException("environment variable " + env.getKey() + ": unknown setting "
                    + "(closest: " + closest + ", for " + byVariable.get(closest) + ")");
            }
        }
        return settings;
    }

    /** The environment variable of a setting: {@code gateway.port} → {@code ECAP_GATEWAY_PORT}. */
    static String variable(final String key) {
        return "ECAP_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The name among {@code known} with the fewest edits (insertions, deletions, substitutions) from {@code name}. */
    static String closest(final String name, final Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known) {
            final int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(final String a, final String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Sets a value from a command-line option. */
    public Settings set(final String key, final String value) {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "'");
        }
        values.setProperty(key, value);
        return this;
    }

    public String text(final String key) {
        return values.getProperty(key);
    }

    public Path path(final String key) {
        final String v = text(key);
        return v.isEmpty() ? null : Path.of(v);
    }

    public long number(final String key, final long min, final long max) {
        final String v = text(key);
        try {
            final long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": expected a whole number from " + min + " to " + max
            + ", found '" + v + "'");
    }

    public boolean flag(final String key) {
        final String v = text(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + ": expected true or false, found '" + v + "'");
        }
        return v.equals("true");
    }

    public Path dataDir() {
        return Path.of(text("data.dir"));
    }

    /**
     * Resolves every setting once, so that a start with a bad one stops, naming it, before anything is created.
     * Returns this.
     */
    public Settings validate() {
        engine();
        gateway();
        kafka();
        cases();
        lists();
        logFormat();
        logLevel();
        logKafkaRecords();
        logRequests();
        for (final String key : new String[] {"engine.rules", "engine.model", "gateway.tls.cert", "gateway.tls.key"}) {
            final Path file = path(key);
            final String problem = file == null ? null : FileChecks.unreadable(file);
            if (problem != null) {
                throw new IllegalArgumentException(key + ": " + file + ": " + problem);
            }
        }
        final String rules = io.ecap.hotpath.engine.LiveFiles.rulesProblem(path("engine.rules"));
        if (rules != null) {
            throw new IllegalArgumentException("engine.rules: " + path("engine.rules") + ": " + rules);
        }
        final String model = io.ecap.hotpath.engine.LiveFiles.modelProblem(path("engine.model"));
        if (model != null) {
            throw new IllegalArgumentException("engine.model: " + path("engine.model") + ": " + model);
        }
        final String stateDir = StatePlacement.problem(text("engine.state-dir"), dataDir());
        if (stateDir != null) {
            throw new IllegalArgumentException("engine.state-dir: " + stateDir);
        }
        host();
        return this;
    }

    /**
     * {@code gateway.host}: an IPv4 address (four numbers of 0 to 255), an IPv6 address, or a host name that
     * resolves.
     */
    private void host() {
        final String host = text("gateway.host");
        final boolean dotted = host.matches("[0-9.]+");
        boolean valid = !host.isEmpty();
        if (dotted) {
            final String[] parts = host.split("\\.", -1);
            valid = parts.length == 4;
            for (final String part : parts) {
                valid &= !part.isEmpty() && part.length() <= 3 && Integer.parseInt(part) <= 255;
            }
        } else if (valid) {
            try {
                InetAddress.getByName(host);
            } catch (final UnknownHostException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("gateway.host: '" + host + "' is not a valid address (expected an "
                + "IPv4 address such as 127.0.0.1 or 0.0.0.0, an IPv6 address, or a host name that resolves)");
        }
    }

    private String idle() {
        try {
            IdleStrategies.check(text("engine.idle"));
            return text("engine.idle");
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("engine.idle: " + e.getMessage(), e);
        }
    }

    public EngineConfig engine() {
        return EngineConfig.defaults(dataDir())
            .withEntries(number("engine.entities", 1000, 1L << 31), number("engine.transactions", 1000, 1L << 25))
            .withIdleStrategy(idle())
            .withMaxInFlight((int) number("engine.max-in-flight", 1, 65_536)).withRules(path("engine.rules"))
            .withModel(path("engine.model")).withSettings(engineSettings()).withStateDir(stateDir())
            .withJournalSync(journalSync())
            .withMinFreeDisk(number("engine.min-free-disk-mb", 0, 1L << 30) << 20).withShard(shard())
            .withSnapshotInterval(number("engine.snapshot-minutes", 0, 10_080) * 60_000L);
    }

    /** {@code engine.state-dir} resolved for this data folder: null for {@code data/maps} ({@link StatePlacement}). */
    private Path stateDir() {
        try {
            return StatePlacement.resolve(text("engine.state-dir"), dataDir());
        } catch (final IOException e) {
            throw new UncheckedIOException("engine.state-dir: " + e.getMessage(), e);
        }
    }

    /** {@code engine.shard}: empty for a single engine, or INDEX/COUNT (docs/SHARDS.md). */
    public Shard shard() {
        try {
            return Shard.parse(text("engine.shard"));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("engine.shard: " + e.getMessage(), e);
        }
    }

    /** {@code engine.journal-sync}: none, entry, or an interval in milliseconds. */
    public JournalSync journalSync() {
        try {
            return JournalSync.parse(text("engine.journal-sync"));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("engine.journal-sync: " + e.getMessage(), e);
        }
    }

    /** Retention per entity kind ({@code engine.retention-days.<kind>}, 0 = forever). */
    public EngineSettings engineSettings() {
        EngineSettings settings = EngineSettings.DEFAULTS;
        for (final EntityKind kind : EntityKind.ALL) {
            settings = settings.withRetention(kind, (int) number("engine.retention-days." + kind.prefix(), 0,
                EngineSettings.MAX_DAYS));
        }
        return settings;
    }

    public GatewayConfig gateway() {
        return new GatewayConfig(text("gateway.host"), (int) number("gateway.port", 0, 65_535),
            (int) number("gateway.instances", 0, 256), (int) number("gateway.body-limit", 1024, 16 << 20),
            (int) number("gateway.max-batch", 1, 100_000), (int) number("gateway.rate-per-second", 1, 10_000_000),
            flag("gateway.metrics-public"), path("gateway.tls.cert"), path("gateway.tls.key"),
            number("gateway.max-future-skew-ms", 0, 86_400_000), (int) number("gateway.stream-window", 1, 65_536),
            number("gateway.read-timeout-ms", 100, 3_600_000));
    }

    /** How to reach Kafka, or null when {@code kafka.bootstrap-servers} is empty (no bridge, no publisher). */
    public KafkaOptions kafka() {
        // every kafka.* setting is checked, also with Kafka off: a bad value is named before anyone relies on it
        final boolean bridge = flag("kafka.bridge");
        final boolean publish = flag("kafka.publish");
        final boolean createTopics = flag("kafka.create-topics");
        final int maxPollRecords = (int) number("kafka.max-poll-records", 1, 100_000);
        final long commitIntervalMs = number("kafka.commit-interval-ms", 10, 60_000);
        final int publishBatch = (int) number("kafka.publish-batch", 1, 100_000);
        final String servers = text("kafka.bootstrap-servers");
        if (servers.isEmpty()) {
            return null;
        }
        final String named = text("kafka.instance-id");
        final String instance = named.isEmpty() ? "ecap-" + hostName() : named;
        return new KafkaOptions(servers, bridge, publish, createTopics, text("kafka.group-id"), instance,
            maxPollRecords, commitIntervalMs, publishBatch, shard());
    }

    /**
     * Where review cases go, or null when {@code cases.database-url} is empty (cases off); {@code cases.decisions} is
     * checked either way.
     */
    public CaseOptions cases() {
        return CaseOptions.parse(text("cases.database-url"), text("cases.decisions"));
    }

    /** Where the block and allow lists are kept, or null when {@code lists.redis-url} is empty (lists off). */
    public ListOptions lists() {
        return ListOptions.parse(text("lists.redis-url"));
    }

    /** {@code log.format}: {@code text} (one line per event) or {@code json} (one JSON object per line). */
    public String logFormat() {
        return oneOf("log.format", "text", "json");
    }

    /** {@code log.level}: the lowest level logged, {@code error}, {@code warn}, {@code info} or {@code debug}. */
    public String logLevel() {
        return oneOf("log.level", "error", "warn", "info", "debug");
    }

    /**
     * {@code log.kafka-records}: {@code true} logs a line per Kafka input record at info, whatever {@code log.level}:
     * where it came from and the journal index it became, or why it went to its dead-letter topic.
     */
    public boolean logKafkaRecords() {
        return "true".equals(oneOf("log.kafka-records", "true", "false"));
    }

    /**
     * {@code log.requests}: {@code true} logs a line per HTTP request that reached the journal, at info, whatever
     * {@code log.level}: its {@code X-Request-Id} and the journal index it became (one per item of a batch).
     */
    public boolean logRequests() {
        return "true".equals(oneOf("log.requests", "true", "false"));
    }

    private String oneOf(final String key, final String... allowed) {
        final String value = text(key).toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Arrays.asList(allowed).contains(value)) {
            throw new IllegalArgumentException(key + ": expected " + String.join(", ", allowed) + ", found '"
                + text(key) + "'");
        }
        return value;
    }

    /** Where the Kafka publisher notes the last journal entry it published. */
    public Path publisherMark() {
        return dataDir().resolve("publisher").resolve("kafka.position");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "localhost";
        }
    }

    public Path keysFile() {
        final Path file = path("gateway.keys-file");
        return file != null ? file : dataDir().resolve("gateway").resolve("api-keys");
    }
}
