package io.ecap.hotpath.state;

import io.ecap.model.field.IdHash;
import java.io.File;
import java.io.IOException;
import org.agrona.AsciiSequenceView;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

/**
 * Transaction id to the journal index of the entry that scored it, plus whether a FRAUD label was applied: what makes
 * scoring and labels idempotent and lets anyone find a decision by id. Written only by the single writer; read by any
 * thread without locks.
 *
 * <p>Two generations of {@link TxnTable}: lookups search the current one, then the previous one; new transactions go
 * into the current one, and once it holds {@code window} transactions it becomes the previous one and a new, empty
 * generation starts (the oldest is deleted). So the last {@code window} transactions at least, and up to twice as
 * many, are always remembered: the idempotency window. Rotation happens at fixed counts, between changes
 * ({@link #maintain}), so a replay of the journal rotates at the same transactions.
 *
 * <p>The writer saves every slot it changes in the {@link UndoLog} first.
 */
public final class TxnIndex implements AutoCloseable {
    /** Confirms that the scored entry at a journal index is for this transaction id (hashes can collide). */
    @FunctionalInterface
    public interface IdCheck {
        boolean isScored(long journalIndex, DirectBuffer id, int offset, int length);
    }

    /** What {@link #forEachEntry} visits. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long idHash, long scoredIndex, boolean fraudLabelled);
    }

    private record Generations(TxnTable current, TxnTable previous) {
    }

    /** Undo regions: the current and the previous generation's file. */
    public static final int REGION_CURRENT = 1;
    public static final int REGION_PREVIOUS = 2;

    private final File dir;
    private final long window;
    private final int slots;
    private final EngineMeta meta;
    private final UndoLog undo;
    private PageToucher toucher = PageToucher.NONE;
    private volatile Generations generations;
    private TxnTable reservedTable;
    private int reservedSlot;
    private long reservedHash;

    private TxnIndex(final File dir, final long window, final EngineMeta meta, final UndoLog undo)
        throws IOException {
        this.dir = dir;
        this.window = window;
        this.slots = BitUtil.findNextPositivePowerOfTwo((int) Math.min(window * 2, 1 << 26));
        this.meta = meta;
        this.undo = undo;
        final long generation = meta.txnGeneration();
        final File previous = file(generation - 1);
        generations = new Generations(TxnTable.open(file(generation), slots),
            previous.exists() ? TxnTable.open(previous, slots) : null);
        for (long older = generation - 2; older >= 0 && file(older).exists(); older--) {
            java.nio.file.Files.delete(file(older).toPath());
        }
    }

    /**
     * Opens the index in {@code dir}; {@code window} is the number of transactions a generation holds.
     *
     * @param undo where the writer saves what it changes; null for a store that is only read
     */
    public static TxnIndex open(final File dir, final long window, final EngineMeta meta, final UndoLog undo)
        throws IOException {
        if (window < 1000 || window > 1 << 25) {
            throw new IllegalArgumentException("the idempotency window must be 1000 to 33554432 transactions");
        }
        return new TxnIndex(dir, window, meta, undo);
    }

    private File file(final long generation) {
        return new File(dir, "txn-" + generation + ".index");
    }

    /** A stable, non-zero 64-bit hash of id bytes ({@link IdHash}). */
    static long hash(final DirectBuffer id, final int offset, final int length) {
        return IdHash.hash(id, offset, length);
    }

    /** The hash lookups use for an id; the writer computes it once for {@link #touch} and the lookup. */
    public static long hash(final AsciiSequenceView id) {
        return hash(id.buffer(), id.offset(), id.length());
    }

    /**
     * Writer: loads the first slot a lookup of this hash reads in each generation (a new transaction is looked for in
     * both), so that their cache misses overlap others.
     */
    public long touch(final long hash) {
        final Generations g = generations;
        final TxnTable t = g.current();
        final TxnTable old = g.previous();
        return t.hashAt(t.start(hash)) + (old == null ? 0 : old.hashAt(old.start(hash)));
    }

    /** The journal index that scored this transaction, or 0 if it is unknown. Any thread. */
    public long lookup(final DirectBuffer id, final int offset, final int length, final IdCheck check) {
        final long hash = hash(id, offset, length);
        final Generations g = generations;
        final int slot = probe(g.current(), hash, id, offset, length, check);
        if (slot >= 0) {
            return g.current().indexAt(slot) & ~TxnTable.FRAUD_LABELLED;
        }
        if (g.previous() != null) {
            final int old = probe(g.previous(), hash, id, offset, length, check);
            if (old >= 0) {
                return g.previous().indexAt(old) & ~TxnTable.FRAUD_LABELLED;
            }
        }
        return 0;
    }

    /** {@link #lookup} for an id given as text (tools, tests). */
    public long lookup(final CharSequence id, final IdCheck check) {
        final byte[] bytes = id.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return lookup(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length, check);
    }

    /** {@link #lookup} for an id view. */
    public long lookup(final AsciiSequenceView id, final IdCheck check) {
        return lookup(id.buffer(), id.offset(), id.length(), check);
    }

    /**
     * Finds a transaction in one table, without side effects. Returns its slot, or {@code -1 - s} where {@code s} is
     * the empty slot at which the search ended (where the transaction would go).
     */
    private static int probe(final TxnTable table, final long hash, final DirectBuffer id, final int offset,
        final int length, final IdCheck check) {
        int slot = table.start(hash);
        while (true) {
            final long h = table.hashAt(slot);
            if (h == 0) {
                return -1 - slot;
            }
            if (h == hash && check.isScored(table.indexAt(slot) & ~TxnTable.FRAUD_LABELLED, id, offset, length)) {
                return slot;
            }
            slot = table.next(slot);
        }
    }

    /**
     * Writer: looks a transaction up and, if it is new, reserves the slot that {@link #record} will fill.
     *
     * @return the journal index that scored it, or 0 if it is new.
     */
    public long lookupAndReserve(final AsciiSequenceView id, final IdCheck check) {
        return lookupAndReserve(hash(id), id, check);
    }

    /** {@link #lookupAndReserve(AsciiSequenceView, IdCheck)} with the id's {@link #hash(AsciiSequenceView)}. */
    public long lookupAndReserve(final long hash, final AsciiSequenceView id, final IdCheck check) {
        final Generations g = generations;
        final int slot = probe(g.current(), hash, id.buffer(), id.offset(), id.length(), check);
        if (slot >= 0) {
            return g.current().indexAt(slot) & ~TxnTable.FRAUD_LABELLED;
        }
        if (g.previous() != null) {
            final int old = probe(g.previous(), hash, id.buffer(), id.offset(), id.length(), check);
            if (old >= 0) {
                return g.previous().indexAt(old) & ~TxnTable.FRAUD_LABELLED;
            }
        }
        reservedTable = g.current();
        reservedSlot = -1 - slot;
        reservedHash = hash;
        return 0;
    }

    /** Writer: records the transaction reserved last as scored at {@code journalIndex}. */
    public void record(final long journalIndex) {
        final TxnTable table = reservedTable;
        final int region = table == generations.current() ? REGION_CURRENT : REGION_PREVIOUS;
        undo.save(region, TxnTable.slotOffset(reservedSlot), table.address() + TxnTable.slotOffset(reservedSlot),
            TxnTable.SLOT);
        undo.save(region, TxnTable.ENTRIES_OFFSET, table.address() + TxnTable.ENTRIES_OFFSET, 8);
        table.insert(reservedSlot, reservedHash, journalIndex);
        reservedTable = null;
    }

    /**
     * Writer, between changes: starts a new generation once the current one holds {@code window} transactions. Each
     * step (new file, generation number, old file deleted) leaves a state that opens correctly.
     */
    public void maintain() {
        if (generations.current().entries() >= window) {
            try {
                rotate();
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException("cannot start a new transaction index generation", e);
            }
        }
    }

    /** Writer, recovery: records a transaction unless it is already known. */
    public void putIfAbsent(final AsciiSequenceView id, final long journalIndex, final IdCheck check) {
        if (lookupAndReserve(id, check) == 0) {
            record(journalIndex);
        }
    }

    /** Address of an undo region's offset, when the log is put back at start. */
    public long regionAddress(final int region, final long offset, final int length) {
        final Generations g = generations;
        final TxnTable table = region == REGION_CURRENT ? g.current() : g.previous();
        if (table == null || offset + length > table.length()) {
            throw new IllegalStateException("the undo log names a transaction index range that is not open");
        }
        return table.address() + offset;
    }

    /** Writer: true if a FRAUD label was already applied to this (known) transaction. */
    public boolean isFraudLabelled(final AsciiSequenceView id, final IdCheck check) {
        final long hash = hash(id.buffer(), id.offset(), id.length());
        final Generations g = generations;
        for (final TxnTable table : tablesOf(g)) {
            final int slot = table == null ? -1 : probe(table, hash, id.buffer(), id.offset(), id.length(), check);
            if (slot >= 0) {
                return (table.indexAt(slot) & TxnTable.FRAUD_LABELLED) != 0;
            }
        }
        return false;
    }

    /** Writer: notes that a FRAUD label was applied to this (known) transaction. */
    public void markFraudLabelled(final AsciiSequenceView id, final IdCheck check) {
        final long hash = hash(id.buffer(), id.offset(), id.length());
        final Generations g = generations;
        for (final TxnTable table : tablesOf(g)) {
            final int slot = table == null ? -1 : probe(table, hash, id.buffer(), id.offset(), id.length(), check);
            if (slot >= 0) {
                final long at = TxnTable.slotOffset(slot) + TxnTable.INDEX;
                undo.save(table == g.current() ? REGION_CURRENT : REGION_PREVIOUS, at, table.address() + at, 8);
                table.markFraudLabelled(slot);
                return;
            }
        }
    }

    private TxnTable[] tablesOf(final Generations g) {
        tables[0] = g.current();
        tables[1] = g.previous();
        return tables;
    }

    private final TxnTable[] tables = new TxnTable[2];

    private void rotate() throws IOException {
        final long next = meta.txnGeneration() + 1;
        // no one reads the next generation's file before the progress mark names it: one there is what a rotation
        // killed before it moved the mark left behind, possibly without its header yet; it is made again
        java.nio.file.Files.deleteIfExists(file(next).toPath());
        final TxnTable fresh = TxnTable.open(file(next), slots);
        toucher.touchOnce(fresh, fresh.address(), fresh.length());
        CrashPoints.reached("rotate");
        final Generations old = generations;
        generations = new Generations(fresh, old.current());
        meta.txnGeneration(next);
        if (old.previous() != null) {
            java.nio.file.Files.deleteIfExists(old.previous().file().toPath());
        }
    }

    /** Where new generations go to be faulted in ahead of the writer; the current one goes at once. */
    void pageToucher(final PageToucher pages) {
        this.toucher = pages;
        final TxnTable current = generations.current();
        pages.touchOnce(current, current.address(), current.length());
    }

    /** Transactions remembered (both generations). */
    public long size() {
        final Generations g = generations;
        return g.current().entries() + (g.previous() == null ? 0 : g.previous().entries());
    }

    /** Visits every remembered transaction. Off the hot path. */
    public void forEachEntry(final EntryVisitor visitor) {
        final Generations g = generations;
        for (final TxnTable table : new TxnTable[] {g.current(), g.previous()}) {
            if (table == null) {
                continue;
            }
            for (int slot = 0; slot < table.slots(); slot++) {
                final long h = table.hashAt(slot);
                if (h != 0) {
                    final long index = table.indexAt(slot);
                    visitor.visit(h, index & ~TxnTable.FRAUD_LABELLED, (index & TxnTable.FRAUD_LABELLED) != 0);
                }
            }
        }
    }

    @Override
    public void close() {
        generations = null;
    }
}
