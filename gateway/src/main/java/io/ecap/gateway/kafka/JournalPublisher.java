package io.ecap.gateway.kafka;

import io.ecap.gateway.journal.ScoredView;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.model.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the journal and publishes every decision to {@code decisions} and every REVIEW or DECLINE to
 * {@code fraud-alerts}, keyed by customer, with the journal index in the {@value Topics#JOURNAL_INDEX_HEADER} header,
 * exactly once.
 *
 * <p>Entries are published in journal order in Kafka transactions of up to {@link KafkaOptions#publishBatch()}
 * decisions. On start the transactional producer fences any earlier instance and aborts what it left open; the
 * publisher then resumes after the later of two committed positions: the one Kafka holds
 * ({@link PublishedPosition}) and its local mark ({@link PublishMark}, written after each commit). Either alone is
 * enough: losing the local file loses nothing, and the mark keeps the position if the topic's records expire. After a
 * failed transaction it aborts, goes back to the last committed entry and tries again. Runs on its own thread, with
 * its own read-only view of the journal.
 */
public final class JournalPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalPublisher.class);
    private static final long RETRY_MS = 1_000;
    private static final long LAG_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final KafkaOptions options;
    private final Journal journal;
    private final KafkaProducer<byte[], byte[]> producer;
    private final PublishMark mark;
    private final Thread thread;
    private final Counter decisions;
    private final Counter alerts;
    private final Counter transactions;
    private final Counter failures;
    private final Timer commitTime;
    private volatile long publishedIndex;
    private volatile long lag;
    private volatile boolean stopping;
    private volatile Throwable fatal;

    private JournalPublisher(final KafkaOptions options, final Journal journal,
        final KafkaProducer<byte[], byte[]> producer, final PublishMark mark, final long resumeAfter,
        final MeterRegistry registry) {
        this.options = options;
        this.journal = journal;
        this.producer = producer;
        this.mark = mark;
        this.publishedIndex = resumeAfter;
        this.decisions = Counter.builder("ecap.kafka.published").tag("topic", Topics.DECISIONS)
            .description("records published from the journal").register(registry);
        this.alerts = Counter.builder("ecap.kafka.published").tag("topic", Topics.FRAUD_ALERTS)
            .description("records published from the journal").register(registry);
        this.transactions = Counter.builder("ecap.kafka.publish.transactions")
            .description("Kafka transactions committed by the publisher").register(registry);
        this.failures = Counter.builder("ecap.kafka.publish.failures")
            .description("publisher transactions aborted and retried").register(registry);
        this.commitTime = Timer.builder("ecap.kafka.publish.commit.time")
            .description("time to commit one publisher transaction").publishPercentileHistogram().register(registry);
        Gauge.builder("ecap.kafka.publish.index", this, p -> p.publishedIndex)
            .description("journal index of the last entry published").register(registry);
        Gauge.builder("ecap.kafka.publish.lag", this, p -> p.lag)
            .description("journal entries not yet published (publication lag)").register(registry);
        this.thread = new Thread(this::run, "ecap-kafka-publisher");
        thread.setDaemon(true);
    }

    /**
     * Fences earlier instances, finds where publishing stopped, and starts following the journal in
     * {@code journalDir}; {@code markFile} keeps the local position.
     */
    public static JournalPublisher start(final File journalDir, final Path markFile, final KafkaOptions options,
        final MeterRegistry registry) {
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(options.publisherProducer());
        Journal journal = null;
        PublishMark mark = null;
        try {
            producer.initTransactions();
            final long inKafka = PublishedPosition.recover(options);
            mark = new PublishMark(markFile);
            final long resumeAfter = Math.max(inKafka, mark.get());
            journal = Journal.openReadOnly(journalDir);
            if (resumeAfter > journal.lastIndex()) {
                throw new IllegalStateException("the decisions topic (or " + markFile + ") says journal entry "
                    + Long.toHexString(resumeAfter) + " was published, but this journal ends at "
                    + Long.toHexString(journal.lastIndex()) + ": is this service pointed at another service's topics?");
            }
            LOG.info("Kafka publisher: resuming after journal index {} (Kafka: {}, local mark: {})",
                Long.toHexString(resumeAfter), Long.toHexString(inKafka), Long.toHexString(mark.get()));
            final JournalPublisher publisher = new JournalPublisher(options, journal, producer, mark, resumeAfter,
                registry);
            publisher.thread.start();
            return publisher;
        } catch (final RuntimeException e) {
            producer.close();
            if (mark != null) {
                mark.close();
            }
            if (journal != null) {
                journal.close();
            }
            throw e;
        }
    }

    /** Journal index of the last entry published (all entries up to it are in Kafka). */
    public long publishedIndex() {
        return publishedIndex;
    }

    /** The error that stopped the publisher (fenced by another instance, not authorised), or null. */
    public Throwable failure() {
        return fatal;
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        final ScoredView view = new ScoredView();
        JournalReader reader = open(publishedIndex);
        long lagAt = 0;
        while (true) {
            final boolean last = stopping;
            try {
                final int published = publishBatch(reader, view);
                if (published == 0) {
                    if (last) {
                        break; // caught up with everything journaled before close
                    }
                    idle.idle();
                } else {
                    idle.reset();
                }
            } catch (final ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
                fatal = e;
                LOG.error("Kafka publisher stopped: {} (another instance with kafka.instance-id={} took over, or "
                    + "the producer is not allowed to write)", e.toString(), options.instanceId());
                break;
            } catch (final KafkaException e) {
                failures.increment();
                LOG.warn("Kafka publisher: transaction failed ({}); retrying from journal index {}", e.toString(),
                    Long.toHexString(publishedIndex));
                abortQuietly();
                reader.close();
                pause(RETRY_MS);
                reader = open(publishedIndex);
            }
            final long now = System.nanoTime();
            if (now - lagAt > LAG_EVERY_NS) {
                lagAt = now;
                lag = journal.entriesAfter(Math.max(reader.index(), publishedIndex));
            }
        }
        reader.close();
    }

    /** Publishes the next entries, up to a batch of decisions, in one transaction; returns the decisions published. */
    private int publishBatch(final JournalReader reader, final ScoredView view) {
        int count = 0;
        int alertCount = 0;
        long lastIndex = 0;
        while (count < options.publishBatch() && reader.next()) {
            if (reader.type() != EntryType.SCORED) {
                continue;
            }
            if (count == 0) {
                producer.beginTransaction();
            }
            view.wrap(reader);
            final byte[] key = view.customerKey();
            final byte[] value = view.jsonBytes();
            final RecordHeaders headers = new RecordHeaders();
            headers.add(Topics.JOURNAL_INDEX_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(reader.index()).array());
            producer.send(new ProducerRecord<>(Topics.DECISIONS, null, key, value, headers));
            if (view.isAlert()) {
                producer.send(new ProducerRecord<>(Topics.FRAUD_ALERTS, null, key, value, headers));
                alertCount++;
            }
            lastIndex = reader.index();
            count++;
        }
        if (count > 0) {
            final long commitStart = System.nanoTime();
            producer.commitTransaction();
            commitTime.record(System.nanoTime() - commitStart, TimeUnit.NANOSECONDS);
            mark.set(lastIndex);
            publishedIndex = lastIndex;
            decisions.increment(count);
            alerts.increment(alertCount);
            transactions.increment();
        }
        return count;
    }

    private JournalReader open(final long afterIndex) {
        // it steps over a damaged entry header as recovery does, so that a power loss cannot stop the publishing
        final JournalReader reader = journal.reader().hoppingGaps();
        return afterIndex == 0 ? reader : reader.after(afterIndex);
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (final KafkaException e) {
            LOG.warn("Kafka publisher: abort failed ({})", e.toString());
        }
    }

    private static void pause(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Publishes what the journal holds now (call after the engine has stopped, to leave nothing behind), then closes
     * the producer and the journal view.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(30_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
        mark.close();
        journal.close();
    }
}
