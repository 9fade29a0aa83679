package io.ecap.bench;

import io.ecap.model.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor of the Kafka path: a plain exactly-once copy of {@code transactions} into {@value #TOPIC}, with the same
 * client settings as the service's bridge and publisher (read_committed consumer of {@code kafka.max-poll-records}
 * 500 unless told otherwise; transactional, idempotent producer, acks all, linger 2 ms, 256 KiB batches, lz4). Each
 * poll's records are copied and the consumer's offsets committed in one producer transaction: the standard
 * consume-transform-produce loop, with no transform. What ECAP does on top (parse, score, journal, publish from the
 * journal) is the difference. Runs on its own thread until closed.
 */
final class KafkaPassthrough implements Runnable, AutoCloseable {
    static final String TOPIC = "passthrough";

    private final String bootstrap;
    private final boolean fromEnd;
    private final int maxPollRecords;
    private final Thread thread = new Thread(this, "kafka-passthrough");
    private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param fromEnd copy only what is sent from now on (a new group starting at the end), not what is there
     * @param maxPollRecords records a poll takes at most, hence a transaction (the service's bridge: 500)
     */
    KafkaPassthrough(final String bootstrap, final boolean fromEnd, final int maxPollRecords) {
        this.bootstrap = bootstrap;
        this.fromEnd = fromEnd;
        this.maxPollRecords = maxPollRecords;
    }

    /** Makes the output topic when it is missing, with as many partitions as {@code decisions}. */
    static void createTopic(final String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            final int partitions = Topics.all().stream().filter(t -> t.name().equals(Topics.DECISIONS)).findFirst()
                .orElseThrow().partitions();
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
            }
        }
    }

    /** Starts copying, and waits until it has its partitions. */
    KafkaPassthrough start() throws Exception {
        createTopic(bootstrap);
        thread.start();
        if (!assigned.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the passthrough got no partitions of " + Topics.TRANSACTIONS + " in 60 s"
                + (failure == null ? "" : ": " + failure));
        }
        return this;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig())) {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.TRANSACTIONS));
            while (running) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                if (assigned.getCount() > 0 && !consumer.assignment().isEmpty()) {
                    consumer.assignment().forEach(consumer::position); // where it starts, fixed before senders send
                    assigned.countDown();
                }
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (final ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(TOPIC, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            }
        } catch (final RuntimeException e) {
            failure = e;
        }
    }

    private Map<String, Object> consumerConfig() {
        final Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "passthrough");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromEnd ? "latest" : "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    private Map<String, Object> producerConfig() {
        final Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "passthrough-1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        if (failure != null) {
            throw new IllegalStateException("the passthrough failed: " + failure, failure);
        }
    }
}
