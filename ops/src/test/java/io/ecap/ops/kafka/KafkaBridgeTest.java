package io.ecap.ops.kafka;

import static io.ecap.ops.kafka.TopicRecords.header;
import static io.ecap.ops.kafka.TopicRecords.longHeader;
import static io.ecap.ops.kafka.TopicRecords.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.topic.Topics;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import io.ecap.testing.LocalBroker;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka bridge and the journal publisher in the service, against a real broker: inputs from the four topics to
 * the engine, decisions and alerts out exactly once, bad records to the dead-letter topics, pauses when the engine is
 * saturated (the service runs with at most 8 commands in flight per client, so the bridge is held back all the time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBridgeTest {
    private static final String GROUP = "ecap-bridge";

    @TempDir
    static Path dir;

    private LocalBroker broker;
    private Service service;
    private KafkaProducer<String, String> producer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        broker = LocalBroker.start(dir.resolve("broker"));
        final Settings settings = Settings.load(null, Map.of()).set("data.dir", dir.resolve("data").toString())
            .set("gateway.port", "0").set("engine.entities", "2000").set("engine.transactions", "100000")
            .set("engine.max-in-flight", "8").set("kafka.bootstrap-servers", broker.bootstrapServers())
            .set("kafka.instance-id", "bridge-test").set("kafka.group-id", GROUP);
        service = Service.start(settings, settings.gateway());
        producer = TopicRecords.producer(broker.bootstrapServers());
    }

    @AfterAll
    void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyInputIsJournaledAndEveryDecisionPublishedOnceEvenWhenRecordsComeTwice() throws Exception {
        final Traffic traffic = new Traffic(Traffic.Settings.defaults(new WorkloadGenerator.Settings(42, 300, 20,
            1_793_577_600_000L, 20_000, 0.02)));
        final Map<String, JsonObject> sent = new HashMap<>();
        final Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        final List<ProducerRecord<String, String>> records = new ArrayList<>();
        while (sent.size() < 1_000) {
            final GeneratedEvent event = traffic.next();
            kinds.merge(event.kind(), 1, Integer::sum);
            if (event.kind() == Kind.TRANSACTION) {
                sent.put(event.txnId(), new JsonObject(event.json()));
            }
            records.add(new ProducerRecord<>(event.kind().topic(), event.key(), event.json()));
        }
        // the first 2 000 inputs again, as after a rebalance or a producer retry
        records.addAll(new ArrayList<>(records.subList(0, 2_000)));
        TopicRecords.sendAll(producer, records);
        awaitConsumed();

        final Map<String, ConsumerRecord<byte[], byte[]>> decisions = new HashMap<>();
        final Set<String> alerted = new HashSet<>();
        final List<ConsumerRecord<byte[], byte[]>> published = TopicRecords.awaitRecords(broker.bootstrapServers(),
            Topics.DECISIONS, rs -> ofTxns(rs, sent.keySet()).size() >= sent.size(), 60);
        for (final ConsumerRecord<byte[], byte[]> r : ofTxns(published, sent.keySet())) {
            final JsonObject decision = new JsonObject(value(r)).getJsonObject("decision");
            final String txnId = decision.getString("txnId");
            assertEquals(null, decisions.put(txnId, r), "a second decision for " + txnId);
            final JsonObject txn = sent.get(txnId);
            assertEquals(txn.getString("customerId"), new String(r.key(), StandardCharsets.UTF_8), "key");
            assertEquals(decision.getLong("journalIndex"), longHeader(r, Topics.JOURNAL_INDEX_HEADER));
            assertEquals(txn.getString("amount"), new JsonObject(value(r)).getJsonObject("transaction")
                .getString("amount"), "the transaction rides along");
            if (!decision.getString("decision").equals("APPROVE")) {
                alerted.add(txnId);
            }
        }
        assertEquals(sent.keySet(), decisions.keySet());
        assertTrue(!alerted.isEmpty() && alerted.size() < sent.size(), "alerts: " + alerted.size());

        final Map<String, Long> alertIndexes = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> r : ofTxns(TopicRecords.readAll(broker.bootstrapServers(),
            Topics.FRAUD_ALERTS), sent.keySet())) {
            final String txnId = new JsonObject(value(r)).getJsonObject("decision").getString("txnId");
            assertEquals(null, alertIndexes.put(txnId, longHeader(r, Topics.JOURNAL_INDEX_HEADER)),
                "a second alert for " + txnId);
        }
        assertEquals(alerted, alertIndexes.keySet(), "exactly the REVIEW and DECLINE decisions are alerts");
        alertIndexes.forEach((txnId, index) -> assertEquals(longHeader(decisions.get(txnId),
            Topics.JOURNAL_INDEX_HEADER), index));

        final String metrics = metrics();
        assertTrue(metric(metrics, "ecap_kafka_bridge_pauses_total") > 0, "the bridge was held back by the engine");
        for (final Kind kind : kinds.keySet()) {
            assertTrue(metric(metrics, "ecap_kafka_records_total{result=\"journaled\",topic=\"" + kind.topic()
                + "\"}") >= kinds.get(kind), kind + " records journaled");
        }
        awaitMetric("ecap_kafka_publish_lag", 0);
    }

    @Test
    void malformedRecordsGoToTheirDeadLetterTopicWithWhyAndWhereAndConsumptionGoesOn() throws Exception {
        final String good = "{\"txnId\":\"dlt-good-1\",\"ts\":\"2026-11-02T10:00:00Z\",\"amount\":\"12.50\","
            + "\"currency\":\"EUR\",\"customerId\":\"c-dlt\",\"cardId\":\"card-dlt\",\"merchantId\":\"m-dlt\","
            + "\"channel\":\"WEB\"}";
        final List<ProducerRecord<String, String>> bad = List.of(
            new ProducerRecord<>(Topics.TRANSACTIONS, "k1", "{not json"),
            new ProducerRecord<>(Topics.TRANSACTIONS, "k2", good.replace("\"amount\":\"12.50\",", "")
                .replace("dlt-good-1", "dlt-bad-2")),
            new ProducerRecord<>(Topics.TRANSACTIONS, "k3", ""),
            new ProducerRecord<>(Topics.LABELS, "k4", "{\"txnId\":\"x\",\"label\":\"maybe\"}"),
            new ProducerRecord<>(Topics.TRANSACTIONS, "k5-4111 1111 1111 1111", good.replace("card-dlt",
                "4111111111111111").replace("dlt-good-1", "dlt-pan-5")));
        TopicRecords.sendAll(producer, bad);
        TopicRecords.sendAll(producer, List.of(new ProducerRecord<>(Topics.TRANSACTIONS, "c-dlt", good)));
        // the same txnId again with another amount, after it in the same partition: refused as an idempotency
        // conflict, the first decision stands
        TopicRecords.sendAll(producer, List.of(new ProducerRecord<>(Topics.TRANSACTIONS, "c-dlt",
            good.replace("12.50", "99.00"))));

        final List<ConsumerRecord<byte[], byte[]>> letters = TopicRecords.awaitRecords(broker.bootstrapServers(),
            Topics.deadLetter(Topics.TRANSACTIONS), rs -> rs.size() >= 5, 60);
        assertEquals(5, letters.size());
        final Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        letters.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
        assertEquals("{not json", value(byKey.get("k1")), "the record goes as it came");
        assertEquals("amount", header(byKey.get("k2"), Topics.DLT_FIELD_HEADER));
        assertEquals("value", header(byKey.get("k3"), Topics.DLT_FIELD_HEADER));
        assertEquals("txnId", header(byKey.get("c-dlt"), Topics.DLT_FIELD_HEADER));
        assertTrue(header(byKey.get("c-dlt"), Topics.DLT_REASON_HEADER).startsWith("idempotency conflict"));
        final ConsumerRecord<byte[], byte[]> pan = byKey.get("k5-**** **** **** 1111");
        assertEquals("cardId", header(pan, Topics.DLT_FIELD_HEADER), "the card number is masked in the key: " + byKey);
        assertTrue(value(pan).contains("\"cardId\":\"************1111\""), value(pan));
        for (final ConsumerRecord<byte[], byte[]> r : letters) {
            assertNotNull(header(r, Topics.DLT_REASON_HEADER));
            assertEquals(Topics.TRANSACTIONS, header(r, Topics.DLT_TOPIC_HEADER));
            assertNotNull(Integer.valueOf(header(r, Topics.DLT_PARTITION_HEADER)));
            assertNotNull(Long.valueOf(header(r, Topics.DLT_OFFSET_HEADER)));
        }
        final List<ConsumerRecord<byte[], byte[]>> labelLetters = TopicRecords.awaitRecords(
            broker.bootstrapServers(), Topics.deadLetter(Topics.LABELS), rs -> rs.size() >= 1, 60);
        assertNotNull(header(labelLetters.get(0), Topics.DLT_FIELD_HEADER));

        TopicRecords.awaitRecords(broker.bootstrapServers(), Topics.DECISIONS,
            rs -> ofTxns(rs, Set.of("dlt-good-1")).size() == 1, 60);
        assertTrue(ofTxns(TopicRecords.readAll(broker.bootstrapServers(), Topics.DECISIONS), Set.of("dlt-bad-2"))
            .isEmpty());
        awaitConsumed();
    }

    @Test
    void customerProfilesOnTheirTopicAreJournaledAndBadOnesGoToTheirDeadLetterTopic() throws Exception {
        final String profile = "{\"customerId\":\"c-profile\",\"ts\":\"2026-11-30T23:59:59Z\",\"segment\":\"At Risk\","
            + "\"churnRisk\":0.7}";
        // log.kafka-records: a line per record, naming it and the journal index it became, or where it went
        final java.io.PrintStream err = System.err;
        final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        final List<ConsumerRecord<byte[], byte[]>> letters;
        io.ecap.ops.service.Logs.kafkaRecords(true);
        System.setErr(new java.io.PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            TopicRecords.sendAll(producer, List.of(
                new ProducerRecord<>(Topics.CUSTOMER_PROFILES, "c-profile", profile),
                new ProducerRecord<>(Topics.CUSTOMER_PROFILES, "c-vip", profile.replace("At Risk", "VIP")),
                new ProducerRecord<>(Topics.CUSTOMER_PROFILES, "c-later",
                    profile.replace("2026-11-30", "2099-11-30"))));
            letters = TopicRecords.awaitRecords(broker.bootstrapServers(),
                Topics.deadLetter(Topics.CUSTOMER_PROFILES), rs -> rs.size() >= 2, 60);
            awaitConsumed();
        } finally {
            System.setErr(err);
            io.ecap.ops.service.Logs.kafkaRecords(false);
        }
        final String lines = logged.toString(StandardCharsets.UTF_8);
        assertTrue(lines.matches("(?s).*Kafka record customer-profiles-\\d+@\\d+ journaled at index \\d+.*"), lines);
        assertTrue(lines.matches("(?s).*Kafka record customer-profiles-\\d+@\\d+ sent to customer-profiles\\.dlt: "
            + "segment: .*"), lines);
        final Map<String, String> fields = new HashMap<>();
        letters.forEach(r -> fields.put(new String(r.key(), StandardCharsets.UTF_8), header(r,
            Topics.DLT_FIELD_HEADER)));
        assertEquals(Map.of("c-vip", "segment", "c-later", "ts"), fields);
        awaitConsumed();
        assertEquals(1.0, metric(metrics(), "ecap_engine_customer_profiles_total"), "the good one is the customer's");
    }

    private static List<ConsumerRecord<byte[], byte[]>> ofTxns(final List<ConsumerRecord<byte[], byte[]>> records,
        final Set<String> txnIds) {
        final List<ConsumerRecord<byte[], byte[]>> mine = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> r : records) {
            if (txnIds.contains(new JsonObject(value(r)).getJsonObject("decision").getString("txnId"))) {
                mine.add(r);
            }
        }
        return mine;
    }

    /** Waits until the bridge's committed offsets reach the end of every input topic. */
    private void awaitConsumed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()))) {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (final String topic : Topics.INPUTS) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            final long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                final Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
                final boolean done = ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() == e.getValue());
                if (done) {
                    return;
                }
                assertTrue(System.currentTimeMillis() < deadline, "not consumed in 60 s: ends " + ends
                    + ", committed " + committed);
                Thread.sleep(200);
            }
        }
    }

    private String metrics() throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + service.port() + "/metrics")).timeout(java.time.Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private void awaitMetric(final String name, final double expected) throws Exception {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (metric(metrics(), name) != expected) {
            assertTrue(System.currentTimeMillis() < deadline, name + " did not reach " + expected);
            Thread.sleep(200);
        }
    }

    private static double metric(final String metrics, final String name) {
        final Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
        assertTrue(m.find(), name + " not in /metrics");
        return Double.parseDouble(m.group(1));
    }
}
