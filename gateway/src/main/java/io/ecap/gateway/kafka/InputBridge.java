package io.ecap.gateway.kafka;

import io.ecap.gateway.GatewayContext;
import io.ecap.gateway.http.Gate;
import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.shard.Shard;
import io.ecap.model.topic.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Kafka input bridge, on one event loop: consumes {@code transactions}, {@code user-events},
 * {@code product-updates} and {@code labels}, checks each record as the HTTP API would, and hands it to the engine.
 *
 * <ul>
 *   <li>Offsets are committed only for records that are in the journal (the engine answered) or in their dead-letter
 *   topic (the broker acknowledged), and only over a finished prefix of each partition ({@link PartitionProgress}):
 *   a crash replays records, never skips one. Replayed transactions are not scored twice: the engine answers a
 *   known {@code txnId} with its first decision and journals nothing.</li>
 *   <li>A record that fails validation, or that the engine refuses, goes to {@code <topic>.dlt} as it came (card
 *   numbers masked), with headers saying why (reason, field) and where it came from (topic, partition, offset);
 *   consumption goes on ({@link DeadLetter}).</li>
 *   <li>When the engine is saturated the bridge pauses its partitions (the consumer keeps polling, so it stays in its
 *   group), keeps the records it already holds in order, retries every millisecond, and resumes once they are all
 *   in. No record is dropped.</li>
 * </ul>
 */
public final class InputBridge extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(InputBridge.class);
    /** A line per input record when {@code log.kafka-records} is on (off by default: never per transaction). */
    private static final Logger RECORDS = LoggerFactory.getLogger("io.ecap.gateway.kafka.Records");
    private static final long RETRY_DEAD_LETTER_MS = 1_000;
    /**
     * How long one poll may wait for records. Pausing and resuming partitions queue behind a poll on the consumer's
     * thread, so this bounds how late a resume takes effect.
     */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

    private final GatewayContext gateway;
    private final KafkaOptions options;
    private final BridgeMetrics metrics;
    private final InputTopic.Parsers parsers = new InputTopic.Parsers();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(TransactionFlyweight.MAX_LENGTH);
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    private KafkaReadStream<byte[], byte[]> consumer;
    private KafkaWriteStream<byte[], byte[]> deadLetters;
    private Gate gate;
    private long commitTimer;
    private boolean paused;
    private boolean retryScheduled;
    private boolean stopping;

    public InputBridge(final GatewayContext gateway, final KafkaOptions options, final BridgeMetrics metrics) {
        this.gateway = gateway;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        gate = new Gate(gateway, context);
        deadLetters = KafkaWriteStream.create(vertx, options.deadLetterProducer());
        consumer = KafkaReadStream.create(vertx, options.consumer());
        consumer.partitionsAssignedHandler(this::assigned);
        consumer.partitionsRevokedHandler(this::revoked);
        consumer.exceptionHandler(e -> LOG.warn("Kafka consumer: {}", PanMask.mask(e.toString())));
        consumer.batchHandler(this::onRecords);
        consumer.pollTimeout(POLL_TIMEOUT);
        commitTimer = vertx.setPeriodic(options.commitIntervalMs(), ignored -> commit());
        final Set<String> topics = new LinkedHashSet<>(Topics.INPUTS);
        return options.shard().sharded() ? assignShare(List.copyOf(topics)) : consumer.subscribe(topics);
    }

    /**
     * A shard takes its partitions of the topics keyed by customer ({@code p % count == index}: the partitions its
     * customers' records go to, since a customer's shard is its Kafka partition modulo the shards) and every
     * partition of the others (labels, the catalogue: each shard journals them). Refuses a topic keyed by customer
     * whose partitions are not a multiple of the shards: its records would not follow the customers.
     */
    private Future<?> assignShare(final List<String> topics) {
        final List<Future<List<PartitionInfo>>> found = new ArrayList<>();
        for (final String topic : topics) {
            found.add(consumer.partitionsFor(topic));
        }
        return Future.all(found).compose(all -> {
            final Shard shard = options.shard();
            final Set<TopicPartition> mine = new HashSet<>();
            for (int i = 0; i < topics.size(); i++) {
                final String topic = topics.get(i);
                final List<PartitionInfo> partitions = all.resultAt(i);
                final boolean byCustomer = Topics.KEYED_BY_CUSTOMER.contains(topic);
                if (partitions == null || partitions.isEmpty()) {
                    return Future.failedFuture(new IllegalStateException("Kafka topic " + topic + " does not exist "
                        + "(kafka.create-topics=true creates it)"));
                }
                if (byCustomer && partitions.size() % shard.count() != 0) {
                    return Future.failedFuture(new IllegalStateException("Kafka topic " + topic + " has "
                        + partitions.size() + " partitions, not a multiple of the " + shard.count() + " shards: its "
                        + "records would not follow their customers' shards (docs/SHARDS.md)"));
                }
                for (final PartitionInfo p : partitions) {
                    if (!byCustomer || shard.ownsPartition(p.partition())) {
                        mine.add(new TopicPartition(topic, p.partition()));
                    }
                }
            }
            return consumer.assign(mine).onSuccess(ignored -> assigned(mine));
        });
    }

    /**
     * Stops taking records, waits (up to 10 seconds) for the engine's answers and the dead-letter acknowledgements of
     * those already taken, commits, and closes the clients.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(commitTimer);
        final Promise<Void> drained = Promise.promise();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        awaitDrained(drained, deadline);
        return drained.future()
            .compose(ignored -> commit())
            .eventually(() -> consumer.close())
            .eventually(() -> deadLetters.close());
    }

    private void awaitDrained(final Promise<Void> drained, final long deadline) {
        if (pendingRecords() == 0 || System.nanoTime() > deadline) {
            drained.complete();
        } else {
            vertx.setTimer(5, ignored -> awaitDrained(drained, deadline));
        }
    }

    private int pendingRecords() {
        int pending = 0;
        for (final PartitionProgress p : progress.values()) {
            pending += p.pending();
        }
        return pending - waiting.size();
    }

    private void assigned(final Set<TopicPartition> partitions) {
        for (final TopicPartition tp : partitions) {
            progress.putIfAbsent(tp, new PartitionProgress());
        }
        if (paused) {
            consumer.pause(partitions);
        }
        LOG.info("Kafka bridge: assigned {}", partitions);
    }

    /** Partitions taken away (rebalance): their waiting records are left for the new owner to read. */
    private void revoked(final Set<TopicPartition> partitions) {
        commit();
        for (final TopicPartition tp : partitions) {
            progress.remove(tp);
        }
        waiting.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        LOG.info("Kafka bridge: revoked {}", partitions);
    }

    private void onRecords(final ConsumerRecords<byte[], byte[]> records) {
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            final PartitionProgress partition = progress.get(new TopicPartition(record.topic(), record.partition()));
            if (partition == null || stopping) {
                continue; // not ours any more, or shutting down: read again by whoever owns it next
            }
            partition.taken(record.offset());
            if (!waiting.isEmpty() || !offer(record, partition)) {
                waiting.add(record);
                pause();
            }
        }
    }

    /** Checks a record and hands it to the engine; false only when the engine is saturated (nothing was sent). */
    private boolean offer(final ConsumerRecord<byte[], byte[]> record, final PartitionProgress partition) {
        final InputTopic input = InputTopic.of(record.topic());
        final int length;
        try {
            length = parsers.parse(input, record.value(), message);
            if (input == InputTopic.TRANSACTIONS) {
                gate.checkTime(message.getLong(TransactionFlyweight.TS_OFFSET, ByteOrder.LITTLE_ENDIAN));
            } else if (input == InputTopic.CUSTOMER_PROFILES) {
                gate.checkTime(message.getLong(CustomerProfileFlyweight.TS_OFFSET, ByteOrder.LITTLE_ENDIAN));
            }
        } catch (final ValidationException e) {
            deadLetter(record, partition, input, e.field(), e.problem());
            return true;
        }
        return gate.submit(input.command(), message, 0, length,
            (type, journalIndex, buffer, offset, size) -> answered(record, partition, input, type, journalIndex, buffer,
                offset, size));
    }

    private void answered(final ConsumerRecord<byte[], byte[]> record, final PartitionProgress partition,
        final InputTopic input, final int type, final long journalIndex, final DirectBuffer buffer, final int offset,
        final int size) {
        if (type == Commands.RESPONSE_CONFLICT) {
            deadLetter(record, partition, input, "txnId", "idempotency conflict: this txnId was scored before with "
                + "other content (journal index " + journalIndex + "); the first decision stands");
        } else if (type == Commands.RESPONSE_REJECTED) {
            deadLetter(record, partition, input, "engine", buffer.getStringWithoutLengthAscii(offset, size));
        } else if (type == Commands.RESPONSE_FAILED) {
            deadLetter(record, partition, input, "engine", "the engine could not process this record");
        } else {
            metrics.consumed(input, record.timestamp());
            partition.finished(record.offset());
            if (RECORDS.isInfoEnabled()) {
                logRecord(record, journalIndex, "journaled at index " + journalIndex);
            }
        }
        if (!waiting.isEmpty()) {
            offerWaiting(); // an answer made room
        }
    }

    /** The record's line, with its place (and journal index, when it has one) in the MDC as well. */
    private static void logRecord(final ConsumerRecord<byte[], byte[]> record, final long journalIndex,
        final String what) {
        final String place = record.topic() + "-" + record.partition() + "@" + record.offset();
        MDC.put("kafka_record", place);
        if (journalIndex > 0) {
            MDC.put("journal_index", Long.toString(journalIndex));
        }
        try {
            RECORDS.info("Kafka record {} {}", place, what);
        } finally {
            MDC.remove("kafka_record");
            MDC.remove("journal_index");
        }
    }

    private void deadLetter(final ConsumerRecord<byte[], byte[]> record, final PartitionProgress partition,
        final InputTopic input, final String field, final String reason) {
        if (RECORDS.isInfoEnabled()) {
            logRecord(record, 0, "sent to " + input.deadLetterTopic() + ": " + PanMask.mask(field + ": " + reason));
        }
        sendDeadLetter(DeadLetter.of(record, input.deadLetterTopic(), field, reason), record.offset(), partition,
            input);
    }

    /** Sends until the broker acknowledges: the record's offset is not committed before. */
    private void sendDeadLetter(final ProducerRecord<byte[], byte[]> letter, final long offset,
        final PartitionProgress partition, final InputTopic input) {
        deadLetters.send(letter).onComplete((metadata, failure) -> {
            if (failure == null) {
                metrics.deadLettered(input);
                partition.finished(offset);
            } else {
                LOG.warn("Kafka bridge: dead letter to {} failed ({}); retrying", letter.topic(), failure.toString());
                vertx.setTimer(RETRY_DEAD_LETTER_MS, ignored -> sendDeadLetter(letter, offset, partition, input));
            }
        });
    }

    private void pause() {
        if (!paused) {
            paused = true;
            metrics.paused();
            consumer.pause(new HashSet<>(progress.keySet()));
            retryLater();
        }
    }

    /**
     * Offers the waiting records in order; resumes the partitions once they are all in the engine. Called when an
     * answer makes room, and every millisecond while records wait (the ring may be full of other clients' commands).
     */
    private void offerWaiting() {
        while (!waiting.isEmpty()) {
            final ConsumerRecord<byte[], byte[]> record = waiting.peek();
            final PartitionProgress partition = progress.get(new TopicPartition(record.topic(), record.partition()));
            if (partition != null && !offer(record, partition)) {
                retryLater();
                return;
            }
            waiting.poll();
        }
        if (paused) {
            paused = false;
            consumer.resume(new HashSet<>(progress.keySet()));
        }
    }

    private void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            vertx.setTimer(1, ignored -> {
                retryScheduled = false;
                offerWaiting();
            });
        }
    }

    private Future<?> commit() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final Map.Entry<TopicPartition, PartitionProgress> e : progress.entrySet()) {
            final PartitionProgress p = e.getValue();
            if (p.hasNewCommit()) {
                offsets.put(e.getKey(), new OffsetAndMetadata(p.commitOffset()));
                p.committed();
            }
        }
        if (offsets.isEmpty()) {
            return Future.succeededFuture();
        }
        return consumer.commit(offsets).onFailure(e -> {
            LOG.warn("Kafka bridge: commit failed ({}); trying again at the next commit", e.toString());
            for (final TopicPartition tp : offsets.keySet()) {
                final PartitionProgress p = progress.get(tp);
                if (p != null) {
                    p.commitFailed();
                }
            }
        });
    }

    /** Records held because the engine was saturated. */
    int waiting() {
        return waiting.size();
    }
}
