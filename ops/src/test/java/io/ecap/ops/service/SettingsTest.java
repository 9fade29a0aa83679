package io.ecap.ops.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void shouldTakeDefaultsThenTheFileThenTheEnvironmentThenOptions() throws Exception {
        final Path file = dir.resolve("ecap.properties");
        Files.writeString(file, "gateway.port=9000\ngateway.max-batch=50\ndata.dir=from-file\n");
        final Settings settings = Settings.load(file, Map.of("ECAP_GATEWAY_MAX_BATCH", "70", "OTHER", "x",
            "ECAP_ENGINE_ENTITIES", "5000"));
        settings.set("data.dir", "from-option");
        final GatewayConfig gateway = settings.gateway();
        assertEquals(9000, gateway.port());
        assertEquals(70, gateway.maxBatch());
        assertEquals(5000, settings.engine().entityEntries());
        assertEquals(Path.of("from-option"), settings.dataDir());
        assertEquals(Path.of("from-option", "gateway", "api-keys"), settings.keysFile());
        assertEquals("127.0.0.1", gateway.host());
    }

    @Test
    void shouldNameTheSettingThatIsWrong() throws Exception {
        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, "gateway.prot=9000\n");
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> Settings.load(file, Map.of()));
        assertTrue(unknown.getMessage().contains("unknown setting 'gateway.prot'"), unknown.getMessage());

        final Settings settings = Settings.load(null, Map.of("ECAP_GATEWAY_PORT", "eighty"));
        final IllegalArgumentException port = assertThrows(IllegalArgumentException.class, settings::gateway);
        assertTrue(port.getMessage().startsWith("gateway.port: expected a whole number"), port.getMessage());

        final Settings sync = Settings.load(null, Map.of("ECAP_ENGINE_JOURNAL_SYNC", "always"));
        assertTrue(assertThrows(IllegalArgumentException.class, sync::engine).getMessage()
            .startsWith("engine.journal-sync: expected none, entry, or a sync interval"));
        assertEquals("250ms", Settings.load(null, Map.of("ECAP_ENGINE_JOURNAL_SYNC", "250")).engine().journalSync()
            .toString());

        final Settings flag = Settings.load(null, Map.of("ECAP_GATEWAY_METRICS_PUBLIC", "yes"));
        assertTrue(assertThrows(IllegalArgumentException.class, flag::gateway).getMessage()
            .startsWith("gateway.metrics-public: expected true or false"));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.load(dir.resolve("missing"),
            Map.of())).getMessage().contains("does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.load(null, Map.of())
            .set("nope", "1")).getMessage().contains("unknown setting 'nope'"));
    }

    @Test
    void shouldRefuseAnUnknownEcapVariableNamingTheClosestSetting() throws Exception {
        final IllegalArgumentException bogus = assertThrows(IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("ECAP_GATEWAY_BOGUS", "1")));
        assertTrue(bogus.getMessage().startsWith("environment variable ECAP_GATEWAY_BOGUS: unknown setting"),
            bogus.getMessage());
        final IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("ECAP_GATEWAY_PROT", "9000")));
        assertTrue(typo.getMessage().contains("closest: ECAP_GATEWAY_PORT, for gateway.port"), typo.getMessage());
        final Path file = dir.resolve("typo.properties");
        Files.writeString(file, "gateway.prot=9000\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Settings.load(file, Map.of())).getMessage()
            .contains("(closest: gateway.port)"));

        final Settings launcher = Settings.load(null, Map.of("ECAP_JAVA_OPTS", "-Xmx2g", "ECAP_API_KEY", "k",
            "ECAP_REQUIRE_CHROMIUM", "1", "ECAP_DEMO_ONLY", "1", "ECAPX", "y"));
        assertEquals(8080, launcher.gateway().port(), "variables the launcher and the tools use are left alone");
    }

    @Test
    void shouldShipAFileThatListsEverySetting() throws Exception {
        final Path shipped = Path.of(System.getProperty("ecap.root"), "config", "ecap.properties");
        final Settings settings = Settings.load(shipped, Map.of());
        assertEquals(8080, settings.gateway().port());
        assertEquals(Path.of("data"), settings.dataDir());
        assertEquals(GatewayConfig.DEFAULT_READ_TIMEOUT_MS, settings.gateway().readTimeoutMs());
        assertEquals(250, Settings.load(shipped, Map.of("ECAP_GATEWAY_READ_TIMEOUT_MS", "250")).gateway()
            .readTimeoutMs());
    }

    @Test
    void aShardIsReadAndCheckedAndNamesItsKafkaClients() throws Exception {
        assertEquals("1/3", Settings.load(null, Map.of("ECAP_ENGINE_SHARD", "1/3")).validate().engine().shard()
            .toString());
        assertEquals(false, Settings.load(null, Map.of()).engine().shard().sharded());
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("ECAP_ENGINE_SHARD", "3/3")).validate());
        assertTrue(bad.getMessage().startsWith("engine.shard: "), bad.getMessage());
        // each shard consumes and publishes under names of its own, even when both are given the same instance id
        final var kafka = Settings.load(null, Map.of("ECAP_ENGINE_SHARD", "1/2", "ECAP_KAFKA_BOOTSTRAP_SERVERS",
            "127.0.0.1:9092", "ECAP_KAFKA_INSTANCE_ID", "eu")).validate().kafka();
        assertEquals("ecap-bridge-shard-1-of-2", kafka.groupId());
        assertEquals("eu-shard-1-of-2", kafka.instanceId());
        assertEquals("1/2", kafka.shard().toString());
    }

    @Test
    void kafkaIsOffUntilItsServersAreSetAndItsSettingsAreChecked() throws Exception {
        final Settings settings = Settings.load(null, Map.of());
        assertEquals(null, settings.kafka(), "no bootstrap servers: no Kafka");
        final Settings on = Settings.load(null, Map.of("ECAP_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "ECAP_KAFKA_INSTANCE_ID", "eu-1", "ECAP_KAFKA_PUBLISH", "false"));
        final var kafka = on.kafka();
        assertEquals("127.0.0.1:9092", kafka.bootstrapServers());
        assertEquals("eu-1", kafka.consumer().get("group.instance.id"));
        assertEquals("ecap-publisher-eu-1", kafka.publisherProducer().get("transactional.id"));
        assertTrue(kafka.bridge() && !kafka.publish());
        on.set("kafka.publish-batch", "0");
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, on::kafka);
        assertTrue(bad.getMessage().startsWith("kafka.publish-batch: expected a whole number"), bad.getMessage());
        on.set("kafka.publish-batch", "10").set("kafka.group-id", " ");
        assertTrue(assertThrows(IllegalArgumentException.class, on::kafka).getMessage().startsWith("kafka.group-id"));
        on.set("kafka.group-id", "g");
        for (final String servers : new String[] {"nohost", "a:9092,b", "a:0", "a:70000", ":9092", "a:x", "::1:9092"}) {
            on.set("kafka.bootstrap-servers", servers);
            final String message = assertThrows(IllegalArgumentException.class, on::kafka).getMessage();
            assertTrue(message.startsWith("kafka.bootstrap-servers: expected host:port[,host:port...], found '"
                + servers + "'"), message);
        }
        on.set("kafka.bootstrap-servers", "a:9092, [::1]:9093");
        assertEquals("a:9092, [::1]:9093", on.kafka().bootstrapServers());
        on.kafka().checkResolvable(); // [::1] has an address
        on.set("kafka.bootstrap-servers", "no-such-host.invalid:9092");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> on.kafka().checkResolvable()).getMessage()
            .startsWith("kafka.bootstrap-servers: no address for any of 'no-such-host.invalid:9092'"));
        // with Kafka off its settings are still checked: a bad one is named before anyone relies on it
        for (final String[] setting : new String[][] {{"kafka.commit-interval-ms", "0"}, {"kafka.publish-batch", "-5"},
            {"kafka.max-poll-records", "abc"}}) {
            final Settings off = Settings.load(null, Map.of()).set(setting[0], setting[1]);
            assertTrue(assertThrows(IllegalArgumentException.class, off::validate).getMessage()
                .startsWith(setting[0] + ": "), setting[0]);
        }
    }

    @Test
    void casesAreOffUntilTheirDatabaseIsSetAndTheirSettingsAreChecked() throws Exception {
        final Settings settings = Settings.load(null, Map.of());
        assertEquals(null, settings.cases(), "no database URL: no cases");
        settings.set("cases.decisions", "APPROVE");
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, settings::validate);
        assertEquals("cases.decisions: expected REVIEW or REVIEW,DECLINE, found 'APPROVE'", bad.getMessage(),
            "checked even with cases off");
        final Settings on = Settings.load(null, Map.of("ECAP_CASES_DATABASE_URL",
            "postgresql://ecap:s3cret@db.example:5433/fraud", "ECAP_CASES_DECISIONS", "review, decline"));
        assertEquals("REVIEW and DECLINE", on.cases().describeDecisions());
        assertEquals("db.example", on.cases().connectOptions().getHost());
        on.set("cases.database-url", "mysql://ecap:s3cret@db.example/fraud");
        final String message = assertThrows(IllegalArgumentException.class, on::cases).getMessage();
        assertTrue(message.startsWith("cases.database-url: expected postgresql://"), message);
        assertTrue(!message.contains("s3cret"), "the password is never shown: " + message);
    }
}
