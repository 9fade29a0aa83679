package io.ecap.ops.kafka;

import static io.ecap.ops.kafka.TopicRecords.longHeader;
import static io.ecap.ops.kafka.TopicRecords.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.shard.Shard;
import io.ecap.model.topic.Topics;
import io.ecap.ops.generate.GeneratedTransaction;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import io.ecap.testing.LocalBroker;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two shards on one broker: each scores exactly its customers' payments from {@code transactions} (keyed by
 * customer), and every decision is published once, in the partitions of its customer's shard, also after a shard
 * restarts while the other has published further than it (its publisher must recover from its own partitions).
 */
class KafkaShardTest {
    @TempDir
    Path dir;

    @Test
    void eachShardScoresItsCustomersAndPublishesEachDecisionOnce() throws Exception {
        try (LocalBroker broker = LocalBroker.start(dir.resolve("broker"));
             KafkaProducer<String, String> producer = TopicRecords.producer(broker.bootstrapServers())) {
            final Service[] shards = {start(broker, 0), start(broker, 1)};
            try {
                final WorkloadGenerator generator = new WorkloadGenerator(new WorkloadGenerator.Settings(7, 400, 20,
                    1_793_577_600_000L, 20_000, 0.0));
                final Set<String> sent = new HashSet<>();
                // every customer, then more of shard 0's: shard 0 publishes further than shard 1
                send(producer, generator, 300, -1, sent);
                send(producer, generator, 200, 0, sent);
                awaitDecisions(broker, sent);
                shards[1].close();
                shards[1] = start(broker, 1);
                send(producer, generator, 100, 1, sent);
                final List<ConsumerRecord<byte[], byte[]>> decisions = awaitDecisions(broker, sent);
                final Map<String, ConsumerRecord<byte[], byte[]>> byTxn = new HashMap<>();
                for (final ConsumerRecord<byte[], byte[]> r : decisions) {
                    final JsonObject published = new JsonObject(value(r));
                    final String txnId = published.getJsonObject("decision").getString("txnId");
                    assertEquals(null, byTxn.put(txnId, r), "a second decision for " + txnId);
                    final String customer = published.getJsonObject("transaction").getString("customerId");
                    assertEquals(customer, new String(r.key(), StandardCharsets.UTF_8));
                    assertEquals(Shard.of(customer, 2), r.partition() % 2, txnId + " published outside its shard");
                    assertEquals(published.getJsonObject("decision").getLong("journalIndex"),
                        longHeader(r, Topics.JOURNAL_INDEX_HEADER));
                }
                assertEquals(sent, byTxn.keySet());
                assertTrue(TopicRecords.readAll(broker.bootstrapServers(), Topics.deadLetter(Topics.TRANSACTIONS))
                    .isEmpty(), "no payment reached a shard that does not own its customer");
            } finally {
                for (final Service s : shards) {
                    s.close();
                }
            }
        }
    }

    private Service start(final LocalBroker broker, final int shard) throws Exception {
        final Settings settings = Settings.load(null, Map.of()).set("data.dir", dir.resolve("shard" + shard)
            .toString()).set("gateway.port", "0").set("engine.entities", "2000").set("engine.transactions", "100000")
            .set("engine.shard", shard + "/2").set("kafka.bootstrap-servers", broker.bootstrapServers())
            .set("kafka.instance-id", "shard-test"); // the same name for both: each shard adds its own suffix
        return Service.start(settings, settings.gateway());
    }

    /** Sends {@code count} generated payments keyed by customer; of shard {@code only}'s customers unless it is -1. */
    private static void send(final KafkaProducer<String, String> producer, final WorkloadGenerator generator,
        final int count, final int only, final Set<String> sent) throws Exception {
        final List<ProducerRecord<String, String>> records = new ArrayList<>();
        while (records.size() < count) {
            final GeneratedTransaction t = generator.next();
            if (only < 0 || Shard.of(t.customerId(), 2) == only) {
                records.add(new ProducerRecord<>(Topics.TRANSACTIONS, t.customerId(), t.json()));
                sent.add(t.txnId());
            }
        }
        TopicRecords.sendAll(producer, records);
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitDecisions(final LocalBroker broker,
        final Set<String> sent) throws Exception {
        return TopicRecords.awaitRecords(broker.bootstrapServers(), Topics.DECISIONS, rs -> {
            final Set<String> seen = new HashSet<>();
            rs.forEach(r -> seen.add(new JsonObject(value(r)).getJsonObject("decision").getString("txnId")));
            return seen.containsAll(sent);
        }, 90);
    }
}
