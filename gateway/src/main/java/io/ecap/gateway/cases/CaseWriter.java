package io.ecap.gateway.cases;

import io.ecap.gateway.journal.ScoredView;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.binary.TransactionFlyweight;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the journal and opens a review case in PostgreSQL for every REVIEW decision (and DECLINE when configured),
 * exactly once; an erasure entry deletes its customer's cases ({@code ecap_erasures} records it).
 *
 * <p>It is a named tailer ({@value #TAILER}) whose position lives in the database next to the cases: each batch of up
 * to {@link CaseOptions#batch()} journal entries is one transaction that inserts its cases and moves the position to
 * the batch's last entry, whether or not that entry opened a case. A case is keyed by its journal index and inserted
 * with {@code ON CONFLICT DO NOTHING}, so even a transaction whose commit was lost in transit cannot write one twice.
 * When the database fails (down, unreachable, a timeout) the writer logs the problem once, waits 1 s (doubling up to
 * 10 s), reconnects and resumes after the position the database holds: an outage delays cases, the journal keeps them,
 * none is lost. Runs on its own thread, with its own read-only view of the journal, and blocks on the database there,
 * never on an event loop.
 */
public final class CaseWriter implements AutoCloseable {
    /** The tailer's name in {@code ecap_tailer_position}. */
    public static final String TAILER = "cases";

    private static final Logger LOG = LoggerFactory.getLogger(CaseWriter.class);
    private static final long FIRST_RETRY_MS = 1_000;
    private static final long MAX_RETRY_MS = 10_000;
    private static final long LAG_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long CLOSE_WAIT_MS = 2 * CaseStore.TIMEOUT.toMillis();

    private final CaseOptions options;
    private final Vertx vertx;
    private final Journal journal;
    private final Thread thread;
    private final Counter opened;
    private final Counter failures;
    private final Counter duplicates;
    private volatile long position;
    private volatile long lag;
    private volatile boolean connected;
    private volatile boolean stopping;
    private volatile Throwable fatal;

    private CaseWriter(final CaseOptions options, final Vertx vertx, final Journal journal,
        final MeterRegistry registry) {
        this.options = options;
        this.vertx = vertx;
        this.journal = journal;
        this.opened = Counter.builder("ecap.cases.opened")
            .description("review cases written to the database").register(registry);
        this.failures = Counter.builder("ecap.cases.failures")
            .description("case database failures (each followed by a wait and a reconnection)").register(registry);
        this.duplicates = Counter.builder("ecap.cases.duplicates")
            .description("cases found already written (after a commit whose answer was lost), not written again")
            .register(registry);
        Gauge.builder("ecap.cases.index", this, w -> w.position)
            .description("journal index of the last entry the case writer committed").register(registry);
        Gauge.builder("ecap.cases.lag", this, w -> w.lag)
            .description("journal entries the case writer has not committed yet").register(registry);
        this.thread = new Thread(this::run, "ecap-case-writer");
        thread.setDaemon(true);
    }

    /**
     * Starts following the journal in {@code journalDir}. It does not wait for the database: the writer connects on
     * its own thread, so a database that is down at start only delays the cases.
     */
    public static CaseWriter start(final File journalDir, final CaseOptions options, final Vertx vertx,
        final MeterRegistry registry) {
        final Journal journal = Journal.openReadOnly(journalDir);
        try {
            final CaseWriter writer = new CaseWriter(options, vertx, journal, registry);
            writer.thread.start();
            return writer;
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** Journal index of the last entry committed with its case (if it opened one); 0 before the first. */
    public long position() {
        return position;
    }

    /** Whether the writer holds a working connection (false while it waits for the database). */
    public boolean connected() {
        return connected;
    }

    /** The error that stopped the writer (the database belongs to another journal, an unreadable journal), or null. */
    public Throwable failure() {
        return fatal;
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        final ScoredView view = new ScoredView();
        final List<Tuple> cases = new ArrayList<>(options.batch());
        CaseStore store = null;
        JournalReader reader = null;
        long retryMs = FIRST_RETRY_MS;
        String problem = null;
        long lagAt = 0;
        while (true) {
            final boolean last = stopping;
            try {
                if (store == null) {
                    store = CaseStore.open(vertx, options);
                    reader = resume(store);
                    connected = true;
                    LOG.info("Cases: {} {}, resuming after journal index {}", problem == null ? "writing to"
                        : "database back at", options.redactedUrl(), Long.toHexString(position));
                    problem = null;
                    retryMs = FIRST_RETRY_MS;
                }
                if (writeBatch(store, reader, view, cases) == 0) {
                    if (last) {
                        break; // caught up with everything journaled before close
                    }
                    idle.idle();
                } else {
                    idle.reset();
                }
            } catch (final CaseStoreException e) {
                failures.increment();
                connected = false;
                final String cause = e.getCause() == null ? e.getMessage() : String.valueOf(e.getCause().getMessage());
                if (!cause.equals(problem)) { // one line per outage, not one per attempt
                    LOG.warn("Cases: database failed ({}); cases after journal index {} wait in the journal, "
                        + "retrying in {} s", e.getMessage(), Long.toHexString(position), retryMs / 1000);
                    problem = cause;
                }
                reader = closeQuietly(reader);
                store = closeQuietly(store);
                if (stopping) {
                    LOG.warn("Cases: stopping without the database; cases after journal index {} are written after "
                        + "the next start", Long.toHexString(position));
                    break;
                }
                pause(retryMs);
                retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
            } catch (final RuntimeException e) {
                // not the database: this journal and that database do not belong together, or the journal cannot
                // be read; retrying would not help, and guessing could write cases that were never decided
                fatal = e;
                LOG.error("Cases: stopped: {}", e.toString());
                break;
            }
            final long now = System.nanoTime();
            if (now - lagAt > LAG_EVERY_NS) {
                lagAt = now;
                lag = journal.entriesAfter(position);
            }
        }
        connected = false;
        closeQuietly(reader);
        closeQuietly(store);
    }

    /** Reads the position the database holds and opens a journal reader after it. */
    private JournalReader resume(final CaseStore store) {
        final long stored = store.position(TAILER);
        if (stored > journal.lastIndex()) {
            throw new IllegalStateException("the case database says journal entry " + Long.toHexString(stored)
                + " was written, but this journal ends at " + Long.toHexString(journal.lastIndex())
                + ": is cases.database-url another service's database?");
        }
        position = stored;
        // it steps over a damaged entry header as recovery does, so that a power loss cannot stop the cases
        final JournalReader reader = journal.reader().hoppingGaps();
        return stored == 0 ? reader : reader.after(stored);
    }

    /** Reads up to a batch of the entries available and commits their cases and the position; returns entries read. */
    private int writeBatch(final CaseStore store, final JournalReader reader, final ScoredView view,
        final List<Tuple> cases) {
        cases.clear();
        int count = 0;
        long lastIndex = 0;
        Erasure erasure = null;
        while (erasure == null && count < options.batch() && reader.next()) {
            lastIndex = reader.index();
            count++;
            if (reader.type() == EntryType.SCORED) {
                view.wrap(reader);
                if (options.decisions().contains(view.outcome())) {
                    cases.add(Tuple.of(lastIndex, view.json(), view.idHash(TransactionFlyweight.CUSTOMER_ID),
                        view.idHash(TransactionFlyweight.CARD_ID), view.idHash(TransactionFlyweight.DEVICE_ID),
                        view.idHash(TransactionFlyweight.IP), view.idHash(TransactionFlyweight.MERCHANT_ID)));
                }
            } else if (reader.type() == EntryType.ERASURE) {
                // the batch ends with it: the cases before it are written first, then it deletes
                erasure = ErasureEntryFlyweight.decode(reader.buffer(), reader.length());
            }
        }
        if (count > 0) {
            final int inserted = erasure == null ? store.write(cases, TAILER, lastIndex)
                : store.writeThenErase(cases, TAILER, lastIndex, erasure);
            opened.increment(inserted);
            duplicates.increment(cases.size() - inserted);
            position = lastIndex;
        }
        return count;
    }

    private void pause(final long ms) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!stopping && deadline - System.nanoTime() > 0) {
            try {
                Thread.sleep(20);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static <T extends AutoCloseable> T closeQuietly(final T resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (final Exception e) {
                LOG.debug("Cases: closing {} failed", resource, e);
            }
        }
        return null;
    }

    /**
     * Writes the cases of what the journal holds now (call after the engine has stopped, to leave nothing behind),
     * unless the database is unavailable, then closes the journal view.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }
}
