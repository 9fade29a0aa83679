package io.ecap.ops.kafka;

import static io.ecap.ops.kafka.TopicRecords.longHeader;
import static io.ecap.ops.kafka.TopicRecords.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.topic.Topics;
import io.ecap.ops.Ecap;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.testing.ChildJvm;
import io.ecap.testing.LocalBroker;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service ({@code ecap run} in a child JVM) consumes {@code transactions} from a real broker while a producer
 * keeps sending; it is killed with SIGKILL at random points, 10 times, and restarted on the same data folder (twice
 * with the publisher's local position file deleted, so the position must come from Kafka). At the end every
 * transaction sent has exactly one decision in {@code decisions}, and every REVIEW or DECLINE exactly one alert.
 * Set {@code ECAP_CRASH_SEED} to repeat a run; the seed is printed.
 */
class KafkaCrashTest {
    private static final Pattern READY = Pattern.compile("ECAP ready on http://127\\.0\\.0\\.1:(\\d+)");
    private static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void everyTransactionHasExactlyOneDecisionAfterRepeatedKillNine() throws Exception {
        final String seedText = System.getenv("ECAP_CRASH_SEED");
        final long seed = seedText != null ? Long.parseLong(seedText) : System.nanoTime() & 0xFFFFFF;
        System.out.println("KafkaCrashTest seed " + seed + " (ECAP_CRASH_SEED=" + seed + " repeats it)");
        final SplittableRandom random = new SplittableRandom(seed);
        try (LocalBroker broker = LocalBroker.start(dir.resolve("broker"))) {
            final Path config = writeConfig(broker.bootstrapServers());
            final Map<String, String> sent = new ConcurrentHashMap<>();
            final Set<String> attempted = ConcurrentHashMap.newKeySet();
            final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            Thread producer = null;

            final Set<Integer> markLost = Set.of(3 + random.nextInt(3), 7 + random.nextInt(3));
            for (int kill = 1; kill <= KILLS; kill++) {
                if (markLost.contains(kill)) {
                    Files.deleteIfExists(dir.resolve("data").resolve("publisher").resolve("kafka.position"));
                }
                final ChildJvm service = start(config);
                if (producer == null) {
                    producer = startProducer(broker.bootstrapServers(), seed, sent, attempted, producerFailure);
                }
                Thread.sleep(200 + random.nextInt(2_000));
                service.kill();
            }
            producer.interrupt();
            producer.join(30_000);
            if (producerFailure.get() != null) {
                System.out.println("KafkaCrashTest: some sends reported " + producerFailure.get());
            }
            assertTrue(sent.size() > 1_000, "sent only " + sent.size());

            final ChildJvm last = start(config);
            final List<ConsumerRecord<byte[], byte[]>> decisions = TopicRecords.awaitRecords(
                broker.bootstrapServers(), Topics.DECISIONS, rs -> rs.size() >= sent.size(), 120);
            // give a duplicate, if the publisher were to write one, the time to show up
            Thread.sleep(2_000);
            final List<String> stopped = last.terminate();
            assertTrue(stopped.contains("ECAP stopped cleanly."), "after SIGTERM: " + stopped);

            final Map<String, Long> decided = new HashMap<>();
            int alertsExpected = 0;
            for (final ConsumerRecord<byte[], byte[]> r : TopicRecords.readAll(broker.bootstrapServers(),
                Topics.DECISIONS)) {
                final JsonObject decision = new JsonObject(value(r)).getJsonObject("decision");
                final String txnId = decision.getString("txnId");
                assertTrue(attempted.contains(txnId), "a decision for a transaction never sent: " + txnId);
                assertEquals(null, decided.put(txnId, longHeader(r, Topics.JOURNAL_INDEX_HEADER)),
                    "seed " + seed + ": a second decision for " + txnId);
                if (!decision.getString("decision").equals("APPROVE")) {
                    alertsExpected++;
                }
            }
            assertTrue(decided.keySet().containsAll(sent.keySet()), "seed " + seed + ": every transaction "
                + "acknowledged by Kafka is decided (once, checked above)");
            final Map<String, Long> alerted = new HashMap<>();
            for (final ConsumerRecord<byte[], byte[]> r : TopicRecords.readAll(broker.bootstrapServers(),
                Topics.FRAUD_ALERTS)) {
                final String txnId = new JsonObject(value(r)).getJsonObject("decision").getString("txnId");
                assertEquals(null, alerted.put(txnId, longHeader(r, Topics.JOURNAL_INDEX_HEADER)),
                    "seed " + seed + ": a second alert for " + txnId);
                assertEquals(decided.get(txnId), alerted.get(txnId), "alert and decision share the journal index");
            }
            assertEquals(alertsExpected, alerted.size(), "seed " + seed + ": one alert per REVIEW or DECLINE");
        }
    }

    private Path writeConfig(final String bootstrap) throws Exception {
        final Path config = dir.resolve("ecap.properties");
        Files.writeString(config, String.join("\n",
            "data.dir=" + dir.resolve("data"),
            "gateway.port=0",
            "engine.entities=20000",
            "engine.transactions=200000",
            "kafka.bootstrap-servers=" + bootstrap,
            "kafka.instance-id=crash-test",
            ""), StandardCharsets.UTF_8);
        return config;
    }

    private ChildJvm start(final Path config) throws Exception {
        final ChildJvm child = ChildJvm.start(dir, System.getProperty("java.class.path"), List.of("-Xmx512m"),
            Ecap.class.getName(), List.of("run", "--config", config.toString()));
        child.await(READY, 120);
        return child;
    }

    /**
     * Sends generated transactions, about 2 000 a second, until interrupted; notes each one sent and each one
     * acknowledged (a send that reports an error may still have been written, so decisions are checked against
     * what was sent, and what was acknowledged must be decided).
     */
    private static Thread startProducer(final String bootstrap, final long seed, final Map<String, String> sent,
        final Set<String> attempted, final AtomicReference<Throwable> failure) {
        final Thread thread = new Thread(() -> {
            final Traffic traffic = new Traffic(Traffic.Settings.defaults(new WorkloadGenerator.Settings(seed, 2_000,
                50, 1_793_577_600_000L, 20_000, 0.02)).withKinds(EnumSet.of(Kind.TRANSACTION)));
            try (KafkaProducer<String, String> producer = TopicRecords.producer(bootstrap)) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < 20; i++) {
                        final GeneratedEvent event = traffic.next();
                        final String txnId = event.txnId();
                        attempted.add(txnId);
                        producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, event.key(), event.json()),
                            (metadata, error) -> {
                                if (error == null) {
                                    sent.put(txnId, event.json());
                                } else {
                                    failure.compareAndSet(null, error);
                                }
                            });
                    }
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (final RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }, "crash-test-producer");
        thread.start();
        return thread;
    }
}
