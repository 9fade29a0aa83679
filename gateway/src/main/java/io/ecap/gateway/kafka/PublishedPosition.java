package io.ecap.gateway.kafka;

import io.ecap.model.topic.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Finds, in Kafka itself, the journal index of the last decision the publisher committed: the largest
 * {@value Topics#JOURNAL_INDEX_HEADER} header among the last committed record of each partition of
 * {@code decisions}. Every decision of a journal entry is published in the same Kafka transaction as its alert, and
 * entries in journal order, so everything up to that index is in both topics and nothing after it is. A shard's
 * decisions are keyed by its own customers and land in its own partitions: it looks there only.
 *
 * <p>Reads backwards in growing windows from each partition's last stable offset, so that transaction markers and
 * aborted batches (skipped under {@code read_committed}) do not hide the last committed record.
 */
final class PublishedPosition {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long TIMEOUT_MS = 60_000;

    private PublishedPosition() {
    }

    /** The last published journal index, or 0 if {@code decisions} holds no committed record. */
    static long recover(final KafkaOptions options) {
        final Map<String, Object> config = options.reader("ecap-publisher-recovery-" + options.instanceId());
        config.put("max.poll.records", 1000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            final List<TopicPartition> partitions = new ArrayList<>();
            final List<PartitionInfo> all = consumer.partitionsFor(Topics.DECISIONS, Duration.ofSeconds(30));
            if (all.size() % options.shard().count() != 0) {
                throw new IllegalStateException("Kafka topic " + Topics.DECISIONS + " has " + all.size()
                    + " partitions, not a multiple of the " + options.shard().count() + " shards (docs/SHARDS.md)");
            }
            for (final PartitionInfo p : all) {
                if (options.shard().ownsPartition(p.partition())) { // a shard's decisions go to its partitions only
                    partitions.add(new TopicPartition(p.topic(), p.partition()));
                }
            }
            long last = 0;
            for (final TopicPartition tp : partitions) {
                last = Math.max(last, lastIndexIn(consumer, tp));
            }
            return last;
        }
    }

    private static long lastIndexIn(final KafkaConsumer<byte[], byte[]> consumer, final TopicPartition tp) {
        consumer.assign(List.of(tp));
        final long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
        final long end = consumer.endOffsets(List.of(tp)).get(tp);
        long window = 16;
        while (true) {
            final long from = Math.max(begin, end - window);
            final long found = maxIndexBetween(consumer, tp, from, end);
            if (found > 0 || from == begin) {
                return found;
            }
            window *= 8;
        }
    }

    private static long maxIndexBetween(final KafkaConsumer<byte[], byte[]> consumer, final TopicPartition tp,
        final long from, final long end) {
        consumer.seek(tp, from);
        long max = 0;
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (consumer.position(tp) < end) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("could not read " + tp + " up to offset " + end + " within "
                    + TIMEOUT_MS / 1000 + " s");
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() >= end) {
                    break;
                }
                max = Math.max(max, journalIndex(record));
            }
        }
        return max;
    }

    static long journalIndex(final ConsumerRecord<byte[], byte[]> record) {
        final Header header = record.headers().lastHeader(Topics.JOURNAL_INDEX_HEADER);
        if (header == null || header.value().length != Long.BYTES) {
            throw new IllegalStateException(record.topic() + "-" + record.partition() + " offset " + record.offset()
                + ": no " + Topics.JOURNAL_INDEX_HEADER + " header; is another producer writing to this topic?");
        }
        return ByteBuffer.wrap(header.value()).getLong();
    }
}
