package io.ecap.hotpath.replay;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.util.concurrent.locks.LockSupport;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Reads a journal on a thread of its own, a ring of entries ahead of the one thread that takes them: that thread
 * gets each entry copied and checked and, for a scored entry, with its features already decoded. Reading and
 * decoding are about half of what a backtest does per entry; on two cores the two halves overlap.
 *
 * <p>One reading thread, one taking thread ({@link #take}, then {@link #release} before the next). Entries come in
 * journal order.
 */
final class EntryPipeline implements AutoCloseable {
    private static final int SLOTS = 1024;
    /** Entries published, and slots handed back, at a time: the two threads touch each other's counts rarely. */
    private static final int BATCH = 32;
    private static final int SPINS_BEFORE_PARK = 1_000;
    private static final long PARK_NS = 20_000;

    /** One entry as the reader left it. */
    static final class Slot {
        final ExpandableDirectByteBuffer bytes = new ExpandableDirectByteBuffer(1024);
        final double[] features = new double[FeatureCatalog.size()];
        int type;
        int length;
        long index;
        /** For a scored entry: where its transaction and decision are, and whether {@link #features} holds them. */
        int txnOffset;
        int txnLength;
        int decisionOffset;
        int decisionLength;
        int featureVersion;
        boolean featuresDecoded;
    }

    private final JournalReader source;
    private final Slot[] slots = new Slot[SLOTS];
    private final Thread reader;
    private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    /** Entries the reader published. */
    private volatile long published;
    /** Set once the reader published its last entry (or failed). */
    private volatile boolean ended;
    private volatile boolean stopped;
    /** What stopped the reader before the end, thrown to the taker: never a silent short read. */
    private volatile Throwable failure;
    /** Entries the taker released: their slots are free again. */
    private volatile long released;
    /** The taker's own: entries taken, and what it last saw of {@link #published}. */
    private long taken;
    private long available;

    /** Starts reading {@code source}, positioned where reading begins, on a thread of its own. */
    EntryPipeline(final JournalReader source) {
        this.source = source;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
        reader = new Thread(this::read, "ecap-journal-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        source.handOverToCurrentThread();
        long next = 0;
        try {
            long free = SLOTS;
            int spins = 0;
            while (!stopped) {
                while (next >= free) {
                    free = released + SLOTS;
                    if (stopped) {
                        return;
                    }
                    spins = pause(spins);
                }
                final Slot slot = slots[(int) (next % SLOTS)];
                if (!source.into(slot.bytes).next()) {
                    break;
                }
                fill(slot);
                next++;
                if ((next & (BATCH - 1)) == 0) {
                    published = next;
                }
            }
        } catch (final RuntimeException | Error e) {
            failure = e;
        } finally {
            published = next;
            ended = true;
        }
    }

    private void fill(final Slot slot) {
        slot.type = source.type();
        slot.length = source.length();
        slot.index = source.index();
        slot.featuresDecoded = false;
        if (slot.type != EntryType.SCORED) {
            return;
        }
        slot.featuresDecoded = ScoredEntryFlyweight.featureCount(slot.bytes, 0, slot.length) == slot.features.length;
        scored.wrapForDecode(slot.bytes, 0, slot.length, txn, decision, slot.featuresDecoded ? slot.features : null);
        slot.featureVersion = scored.featureVersion();
        slot.txnOffset = scored.transactionOffset();
        slot.txnLength = txn.encodedLength();
        slot.decisionOffset = scored.decisionOffset();
        slot.decisionLength = decision.encodedLength();
    }

    /** The next entry, or null after the last one; waits for the reader. A reading failure is thrown here. */
    Slot take() {
        int spins = 0;
        while (taken >= available) {
            final boolean last = ended;
            available = published;
            if (taken < available) {
                break;
            }
            if (last) {
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                return null;
            }
            spins = pause(spins);
        }
        return slots[(int) (taken % SLOTS)];
    }

    /** Gives the slot {@link #take} returned back to the reader. */
    void release() {
        if ((++taken & (BATCH - 1)) == 0) {
            released = taken;
        }
    }

    /** Damaged entries the reader skipped; once {@link #take} returned null. */
    long damaged() {
        return source.damaged();
    }

    private static int pause(final int spins) {
        if (spins < SPINS_BEFORE_PARK) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(PARK_NS);
        }
        return spins + 1;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            reader.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.handOverToCurrentThread();
    }
}
