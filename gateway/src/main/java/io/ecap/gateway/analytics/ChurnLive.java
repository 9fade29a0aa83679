package io.ecap.gateway.analytics;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payments each customer made after the published churn model's as-of day, read from the journal on a thread of
 * its own, so that {@code GET /v1/customers/{id}} can score the customer's churn risk as of now
 * ({@link LiveChurnScore}) rather than as of the last churn run: a customer who bought this morning is no longer at
 * risk.
 *
 * <p>It keeps nothing until it is told where the model's purchases end in the journal ({@link #since}: the newest
 * journal index the churn run read); then it reads the journal from its start and keeps every scored payment after
 * that index, whatever its event day (a payment later on the model's own day, or one that arrived late, was not in the
 * run either), with its decision, currency and amount: which of them count is the model's business. A later model
 * drops what it has read; an earlier one reads the journal again. Memory grows with the payments since the last churn
 * run, which a daily run keeps to about a day's.
 */
public final class ChurnLive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChurnLive.class);
    private static final long NONE = Long.MIN_VALUE;
    private static final long DAY_MS = 86_400_000L;

    /**
     * One payment: its journal index, event day (days since 1970-01-01), decision, ISO 4217 numeric currency and
     * minor units.
     */
    record Payment(long index, long day, Outcome outcome, int currency, long amountMinor) {
    }

    private final Journal journal;
    private final Map<String, Payment[]> payments = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile long wanted = NONE;
    private volatile long since = NONE;
    private volatile boolean caughtUp;
    private volatile long newestDay = NONE;
    private volatile boolean running = true;

    public ChurnLive(final Journal journal) {
        this.journal = journal;
        this.thread = new Thread(this::run, "ecap-churn-live");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The newest journal index the published model's purchases were read up to: keep the payments after it. Cheap
     * when it did not change; called on each customer read and by the service's periodic look at the publication.
     */
    public void since(final long journalIndex) {
        wanted = journalIndex;
    }

    /** Whether every payment after {@code journalIndex} that was journaled before this call is known. */
    boolean readyFor(final long journalIndex) {
        return since == journalIndex && caughtUp;
    }

    /** The event day of the newest payment journaled, or {@code Long.MIN_VALUE} before one is read. */
    long newestDay() {
        return newestDay;
    }

    /** The customer's payments after the index given to {@link #since}, in journal order. */
    List<Payment> paymentsOf(final String customerId) {
        final Payment[] of = payments.get(customerId);
        return of == null ? List.of() : List.of(of);
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, TimeUnit.MILLISECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(50));
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        JournalReader reader = null;
        try {
            while (running) {
                final long asked = wanted;
                if (asked != since) {
                    if (since == NONE || asked < since) {
                        payments.clear();
                        caughtUp = false;
                        if (reader != null) {
                            reader.close();
                        }
                        reader = journal.reader().after(0);
                        since = asked;
                    } else {
                        since = asked;
                        dropUpTo(asked);
                    }
                }
                if (reader == null || !reader.next()) {
                    caughtUp = reader != null;
                    idle.idle();
                    continue;
                }
                idle.reset();
                if (reader.type() == EntryType.SCORED) {
                    try {
                        keep(reader, entry, txn, decision);
                    } catch (final RuntimeException e) {
                        LOG.warn("live churn: journal entry {} skipped: {}", Long.toHexString(reader.index()),
                            e.toString());
                    }
                }
            }
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    private void keep(final JournalReader reader, final ScoredEntryFlyweight entry, final TransactionFlyweight txn,
        final DecisionFlyweight decision) {
        entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
        final long day = Math.floorDiv(txn.tsMs(), DAY_MS);
        if (day > newestDay) {
            newestDay = day;
        }
        final int length = txn.stringLength(TransactionFlyweight.CUSTOMER_ID);
        if (reader.index() <= since || length == 0) {
            return;
        }
        final String customer = txn.string(TransactionFlyweight.CUSTOMER_ID);
        final Payment payment = new Payment(reader.index(), day, decision.outcome(), txn.currency(),
            txn.amountMinor());
        payments.merge(customer, new Payment[] {payment}, (old, one) -> {
            final Payment[] more = Arrays.copyOf(old, old.length + 1);
            more[old.length] = payment;
            return more;
        });
    }

    private void dropUpTo(final long index) {
        for (final Map.Entry<String, Payment[]> customer : payments.entrySet()) {
            final Payment[] left = Arrays.stream(customer.getValue()).filter(p -> p.index() > index)
                .toArray(Payment[]::new);
            if (left.length == 0) {
                payments.remove(customer.getKey(), customer.getValue());
            } else {
                payments.replace(customer.getKey(), customer.getValue(), left);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
