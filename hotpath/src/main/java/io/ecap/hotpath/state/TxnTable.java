package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One generation of the transaction index: a memory-mapped open-addressing hash table of 16-byte slots keyed by a
 * 64-bit hash of the transaction id, with linear probing and no deletion.
 *
 * <pre>
 * file txn-&lt;generation&gt;.index:
 *   0    i64  magic "ECAPTXN2"     8   i32  slots (a power of two)     16  i64  entries     24..64 reserved
 *   64   slots, 16 bytes each: i64 id hash (0: empty), i64 journal index that scored it (its top bit is set once a
 *        FRAUD label has been applied to the transaction)
 * </pre>
 *
 * The single writer fills a slot's index first and publishes its hash last with an ordered store, so a reader on
 * another thread that sees the hash sees the index. A hash match is only a candidate: the caller confirms it
 * against the journal, so two ids with the same 64-bit hash are told apart.
 */
final class TxnTable {
    static final long FRAUD_LABELLED = Long.MIN_VALUE;
    static final int HEADER = 64;
    static final int ENTRIES_OFFSET = 16;
    static final int SLOT = 16;
    static final int INDEX = 8;
    private static final long MAGIC = 0x324E585450414345L;
    private static final int SLOTS_OFFSET = 8;

    private final File file;
    private final UnsafeBuffer buffer;
    private final int mask;

    private TxnTable(final File file, final MappedByteBuffer mapped) {
        this.file = file;
        this.buffer = new UnsafeBuffer(mapped);
        this.mask = buffer.getInt(SLOTS_OFFSET, ByteOrder.LITTLE_ENDIAN) - 1;
    }

    /**
     * Opens a generation's file, creating it with {@code slots} slots if absent. The mapping is released by the
     * garbage collector once no reader holds the table, never while one does.
     */
    static TxnTable open(final File file, final int slots) throws IOException {
        if (Integer.bitCount(slots) != 1 || slots < 1024 || slots > 1 << 26) {
            throw new IllegalArgumentException("transaction index slots must be a power of two from 1024 to 2^26");
        }
        final boolean fresh = !file.exists() || file.length() == 0;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"); FileChannel channel = raf.getChannel()) {
            final long length = fresh ? HEADER + (long) slots * SLOT : raf.length();
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            HugePages.advise(mapped);
            final UnsafeBuffer header = new UnsafeBuffer(mapped);
            if (fresh) {
                header.putInt(SLOTS_OFFSET, slots, ByteOrder.LITTLE_ENDIAN);
                header.putLongVolatile(0, MAGIC);
            } else if (header.getLong(0, ByteOrder.LITTLE_ENDIAN) != MAGIC
                || length != HEADER + (long) header.getInt(SLOTS_OFFSET, ByteOrder.LITTLE_ENDIAN) * SLOT) {
                throw new IOException(file + " is not an ECAP transaction index of this version");
            }
            return new TxnTable(file, mapped);
        }
    }

    File file() {
        return file;
    }

    int slots() {
        return mask + 1;
    }

    long address() {
        return buffer.addressOffset();
    }

    long length() {
        return buffer.capacity();
    }

    long entries() {
        return buffer.getLongVolatile(ENTRIES_OFFSET);
    }

    /** First slot of the probe sequence for a hash. */
    int start(final long hash) {
        return (int) (hash ^ hash >>> 32) & mask;
    }

    int next(final int slot) {
        return slot + 1 & mask;
    }

    static long slotOffset(final int slot) {
        return HEADER + (long) slot * SLOT;
    }

    long hashAt(final int slot) {
        return buffer.getLongVolatile(HEADER + slot * SLOT);
    }

    /** The slot's journal index with its fraud-label bit. */
    long indexAt(final int slot) {
        return buffer.getLongVolatile(HEADER + slot * SLOT + INDEX);
    }

    /** Fills an empty slot (writer only): the index first, then the hash, which publishes it. */
    void insert(final int slot, final long hash, final long journalIndex) {
        final int at = HEADER + slot * SLOT;
        buffer.putLongOrdered(at + INDEX, journalIndex);
        buffer.putLongOrdered(at, hash);
        buffer.putLongOrdered(ENTRIES_OFFSET, entries() + 1);
    }

    void markFraudLabelled(final int slot) {
        buffer.putLongOrdered(HEADER + slot * SLOT + INDEX, indexAt(slot) | FRAUD_LABELLED);
    }
}
