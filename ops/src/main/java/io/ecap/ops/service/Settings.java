package io.ecap.ops.service;

import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.kafka.KafkaOptions;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineSettings;
import io.ecap.hotpath.engine.IdleStrategies;
import io.ecap.hotpath.state.EntityKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The one place service settings are resolved: built-in defaults, then the configuration file
 * ({@code config/ecap.properties} lists every setting), then environment variables ({@code ECAP_GATEWAY_PORT} for
 * {@code gateway.port}), then command-line options. A bad value is reported with its setting's name.
 */
public final class Settings {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry("data.dir", "data"), Map.entry("engine.entities", "65536"),
        Map.entry("engine.transactions", "1000000"), Map.entry("engine.idle", "backoff"),
        Map.entry("engine.retention-days.card", "400"), Map.entry("engine.retention-days.customer", "400"),
        Map.entry("engine.retention-days.device", "90"), Map.entry("engine.retention-days.ip", "30"),
        Map.entry("engine.retention-days.merchant", "0"), Map.entry("engine.state-dir", ""),
        Map.entry("engine.max-in-flight", "4096"),
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
        Map.entry("kafka.commit-interval-ms", "100"), Map.entry("kafka.publish-batch", "2000"));

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
                    throw new IllegalArgumentException(chosen + ": unknown setting '" + key + "'");
                }
                settings.values.setProperty(key, fromFile.getProperty(key).trim());
            }
        }
        for (final String key : DEFAULTS.keySet()) {
            final String env = environment.get("ECAP_" + key.toUpperCase(Locale.ROOT).replace('.', '_')
                .replace('-', '_'));
            if (env != null) {
                settings.values.setProperty(key, env.trim());
            }
        }
        return settings;
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
        return this;
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
            .withModel(path("engine.model")).withSettings(engineSettings()).withStateDir(path("engine.state-dir"));
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
        final String servers = text("kafka.bootstrap-servers");
        if (servers.isEmpty()) {
            return null;
        }
        final String named = text("kafka.instance-id");
        final String instance = named.isEmpty() ? "ecap-" + hostName() : named;
        return new KafkaOptions(servers, flag("kafka.bridge"), flag("kafka.publish"), flag("kafka.create-topics"),
            text("kafka.group-id"), instance, (int) number("kafka.max-poll-records", 1, 100_000),
            number("kafka.commit-interval-ms", 10, 60_000), (int) number("kafka.publish-batch", 1, 100_000));
    }

    /** Where the Kafka publisher notes the last journal entry it published. */
    public Path publisherMark() {
        return dataDir().resolve("publisher").resolve("kafka.position");
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (final java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    public Path keysFile() {
        final Path file = path("gateway.keys-file");
        return file != null ? file : dataDir().resolve("gateway").resolve("api-keys");
    }
}
