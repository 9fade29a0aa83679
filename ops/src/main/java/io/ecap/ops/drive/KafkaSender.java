package io.ecap.ops.drive;

import io.ecap.ops.generate.GeneratedEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends generated events to their Kafka input topics, keyed by {@link GeneratedEvent#key()}, with an idempotent
 * producer acknowledged by all replicas. The first failed send stops the next {@link #send} with its error.
 */
public final class KafkaSender implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final Map<String, AtomicLong> perTopic = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaSender(final String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--kafka: expected host:port[,host:port...]");
        }
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producer = new KafkaProducer<>(config);
    }

    public void send(final GeneratedEvent event) {
        final Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("sending to Kafka failed: " + failed.getMessage(), failed);
        }
        final String topic = event.kind().topic();
        producer.send(new ProducerRecord<>(topic, event.key(), event.json()), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
                perTopic.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
            } else {
                failure.compareAndSet(null, error);
            }
        });
    }

    /** Waits until every record sent is acknowledged (or failed). */
    public void flush() {
        producer.flush();
        final Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("sending to Kafka failed: " + failed.getMessage(), failed);
        }
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Acknowledged records per topic, by topic name. */
    public Map<String, Long> perTopic() {
        final Map<String, Long> counts = new TreeMap<>();
        perTopic.forEach((topic, n) -> counts.put(topic, n.get()));
        return counts;
    }

    @Override
    public void close() {
        producer.close();
    }
}
