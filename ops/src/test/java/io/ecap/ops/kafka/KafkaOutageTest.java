package io.ecap.ops.kafka;

import static io.ecap.ops.kafka.TopicRecords.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.model.topic.Topics;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import io.ecap.testing.LocalBroker;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka taken away mid-run: the broker is killed (SIGKILL) while the service runs with its bridge and its journal
 * publisher, payments keep coming over HTTP and are answered, and the broker comes back on its data folder and
 * address. Every decision, those made while it was away included, must then reach the decisions topic exactly once,
 * and the bridge must take the input records sent after it came back.
 */
class KafkaOutageTest {
    private static final String TXN = "{\"txnId\":\"%s\",\"ts\":%d,\"customerId\":\"c-%d\",\"cardId\":\"k-%d\","
        + "\"merchantId\":\"m-%d\",\"amount\":\"%d.25\",\"currency\":\"USD\"}";
    private static final long T0 = 1_793_577_600_000L;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void scoringGoesOnWhileKafkaIsAwayAndEveryDecisionIsPublishedOnceAfter() throws Exception {
        final LocalBroker broker = LocalBroker.startOwn(dir.resolve("broker"));
        Service service = null;
        try {
            final Settings settings = Settings.load(null, Map.of()).set("data.dir", dir.resolve("data").toString())
                .set("gateway.port", "0").set("engine.entities", "2000").set("engine.transactions", "100000")
                .set("kafka.bootstrap-servers", broker.bootstrapServers()).set("kafka.instance-id", "outage-test")
                .set("kafka.group-id", "outage-test");
            service = Service.start(settings, settings.gateway());
            final Set<String> before = send(broker, "k-before-", 0, 200);
            awaitPublished(broker, before);

            broker.kill();
            final Set<String> away = new LinkedHashSet<>();
            for (int i = 0; i < 100; i++) {
                final String txnId = "h-away-" + i;
                final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.port() + "/v1/score")).header("X-API-Key", service.createdKey())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        txn(txnId, 1000 + i))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), "scored while Kafka is away: " + answer.body());
                away.add(txnId);
            }

            broker.restart();
            final Set<String> after = send(broker, "k-after-", 2000, 200);
            final Set<String> all = new LinkedHashSet<>(before);
            all.addAll(away);
            all.addAll(after);
            final List<ConsumerRecord<byte[], byte[]>> published = awaitPublished(broker, all);
            final Map<String, Integer> times = new HashMap<>();
            for (final ConsumerRecord<byte[], byte[]> r : published) {
                times.merge(new JsonObject(value(r)).getJsonObject("decision").getString("txnId"), 1, Integer::sum);
            }
            assertEquals(all, times.keySet(), "every decision published, and nothing else");
            times.forEach((txnId, n) -> assertEquals(1, n, txnId + " published " + n + " times"));
        } finally {
            if (service != null) {
                service.close();
            }
            broker.close();
        }
    }

    private static String txn(final String txnId, final int i) {
        return TXN.formatted(txnId, T0 + i * 1_000L, i % 50, i % 50, i % 7, 10 + i % 90);
    }

    /** Sends {@code count} transactions to the input topic and waits for the broker's acknowledgements. */
    private static Set<String> send(final LocalBroker broker, final String prefix, final int from, final int count)
        throws Exception {
        final Set<String> ids = new LinkedHashSet<>();
        final List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            final String txnId = prefix + i;
            ids.add(txnId);
            records.add(new ProducerRecord<>(Topics.TRANSACTIONS, "c-" + i % 50, txn(txnId, i)));
        }
        try (KafkaProducer<String, String> producer = TopicRecords.producer(broker.bootstrapServers())) {
            TopicRecords.sendAll(producer, records);
        }
        return ids;
    }

    /** The decisions topic's records once every one of {@code txnIds} has a decision there (at most 3 minutes). */
    private static List<ConsumerRecord<byte[], byte[]>> awaitPublished(final LocalBroker broker,
        final Set<String> txnIds) throws InterruptedException {
        return TopicRecords.awaitRecords(broker.bootstrapServers(), Topics.DECISIONS, records -> {
            final Set<String> seen = new LinkedHashSet<>();
            records.forEach(r -> seen.add(new JsonObject(value(r)).getJsonObject("decision").getString("txnId")));
            return seen.containsAll(txnIds);
        }, 180);
    }
}
