package io.ecap.ops.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test access to a topic: a string producer, and reading every committed record. */
public final class TopicRecords {
    private TopicRecords() {
    }

    public static KafkaProducer<String, String> producer(final String bootstrap) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    /** Sends and waits for every acknowledgement. */
    public static void sendAll(final KafkaProducer<String, String> producer, final List<ProducerRecord<String,
        String>> records) throws Exception {
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (final ProducerRecord<String, String> r : records) {
            acks.add(producer.send(r));
        }
        for (final Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    /** Every committed record of {@code topic}, from the start to its end now. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(final String bootstrap, final String topic) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            final long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Reads {@code topic} until {@code done} holds for its records, or fails after {@code seconds}. */
    public static List<ConsumerRecord<byte[], byte[]>> awaitRecords(final String bootstrap, final String topic,
        final Predicate<List<ConsumerRecord<byte[], byte[]>>> done, final int seconds) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            final List<ConsumerRecord<byte[], byte[]>> records = readAll(bootstrap, topic);
            if (done.test(records)) {
                return records;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(topic + ": condition not met within " + seconds + " s ("
                    + records.size() + " records)");
            }
            Thread.sleep(250);
        }
    }

    public static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static long longHeader(final ConsumerRecord<byte[], byte[]> record, final String name) {
        return ByteBuffer.wrap(record.headers().lastHeader(name).value()).getLong();
    }

    public static String value(final ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
