package io.ecap.hotpath.state;

import io.ecap.model.field.IdHash;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;

/**
 * One generation of an entity kind's index: a memory-mapped open-addressing table from an id's {@link IdHash} to its
 * record number, with linear probing. {@link EntityTable} does the probing; this class owns the file and the slot
 * arithmetic.
 *
 * <pre>
 * file &lt;kind&gt;-&lt;generation&gt;.index:
 *   0    i64  magic "ECAPIDX1"     8   i64  slots (a power of two)     16..64 reserved
 *   64   slots, 16 bytes each: i64 id hash (0: empty), i64 record number + 1 ({@link #TOMBSTONE}: deleted while this
 *        generation was being copied into the next one)
 * </pre>
 */
final class EntityIndex implements AutoCloseable {
    static final int HEADER = 64;
    static final int SLOT_SHIFT = 4;
    static final int SLOT = 1 << SLOT_SHIFT;
    static final long TOMBSTONE = -1;
    /** One mapping of at most 1 GiB: 2^26 slots. */
    static final int MAX_SLOTS = 1 << 26;
    private static final long MAGIC = 0x3158444950414345L;

    private final File file;
    private final long generation;
    private final MappedByteBuffer mapped;
    private final long address;
    private final long mask;

    private EntityIndex(final File file, final long generation, final MappedByteBuffer mapped, final long slots) {
        this.file = file;
        this.generation = generation;
        this.mapped = mapped;
        this.address = BufferUtil.address(mapped);
        this.mask = slots - 1;
    }

    static File file(final File dir, final EntityKind kind, final long generation) {
        return new File(dir, kind.prefix() + "-" + generation + ".index");
    }

    /** Creates an empty generation (a sparse file), replacing any leftover of the same name. */
    static EntityIndex create(final File dir, final EntityKind kind, final long generation, final long slots)
        throws IOException {
        if (Long.bitCount(slots) != 1 || slots < 1024 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("index slots must be a power of two from 1024 to 2^26: " + slots);
        }
        final File file = file(dir, kind, generation);
        java.nio.file.Files.deleteIfExists(file.toPath());
        final MappedByteBuffer mapped = map(file, HEADER + (slots << SLOT_SHIFT), false);
        final long at = BufferUtil.address(mapped);
        UnsafeApi.putLong(null, at + 8, slots);
        UnsafeApi.putLongRelease(null, at, MAGIC);
        return new EntityIndex(file, generation, mapped, slots);
    }

    /** Opens an existing generation. */
    static EntityIndex open(final File dir, final EntityKind kind, final long generation, final boolean readOnly)
        throws IOException {
        final File file = file(dir, kind, generation);
        if (!file.exists()) {
            throw new IOException(file + " is missing");
        }
        final MappedByteBuffer mapped = map(file, file.length(), readOnly);
        final long at = BufferUtil.address(mapped);
        final long slots = UnsafeApi.getLong(null, at + 8);
        if (UnsafeApi.getLong(null, at) != MAGIC || file.length() != HEADER + (slots << SLOT_SHIFT)) {
            IoUtil.unmap(mapped);
            throw new IOException(file + " is not an ECAP entity index");
        }
        return new EntityIndex(file, generation, mapped, slots);
    }

    private static MappedByteBuffer map(final File file, final long length, final boolean readOnly)
        throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file, readOnly ? "r" : "rw");
             FileChannel channel = raf.getChannel()) {
            final MappedByteBuffer mapped = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY
                : FileChannel.MapMode.READ_WRITE, 0, length);
            mapped.order(ByteOrder.LITTLE_ENDIAN);
            if (!readOnly) {
                HugePages.advise(mapped);
            }
            return mapped;
        }
    }

    File file() {
        return file;
    }

    long generation() {
        return generation;
    }

    long slots() {
        return mask + 1;
    }

    /** Bytes mapped (the pretoucher touches them all once). */
    long length() {
        return HEADER + (slots() << SLOT_SHIFT);
    }

    /** Address of the file's first byte. */
    long address() {
        return address;
    }

    /** Home slot of a hash. */
    long home(final long hash) {
        return (hash ^ hash >>> 29) & mask;
    }

    long next(final long slot) {
        return slot + 1 & mask;
    }

    /** File offset of a slot (what the undo log names it by). */
    static long slotOffset(final long slot) {
        return HEADER + (slot << SLOT_SHIFT);
    }

    long slotAddress(final long slot) {
        return address + HEADER + (slot << SLOT_SHIFT);
    }

    long hashAt(final long slot) {
        return UnsafeApi.getLong(null, slotAddress(slot));
    }

    /** Record number + 1 at a slot, or {@link #TOMBSTONE}. */
    long valueAt(final long slot) {
        return UnsafeApi.getLong(null, slotAddress(slot) + 8);
    }

    /** Writes a slot: the value first, then the hash, so that a reader that sees the hash sees the value. */
    void put(final long slot, final long hash, final long value) {
        final long at = slotAddress(slot);
        UnsafeApi.putLong(null, at + 8, value);
        UnsafeApi.putLongRelease(null, at, hash);
    }

    /** Empties a slot. */
    void clear(final long slot) {
        final long at = slotAddress(slot);
        UnsafeApi.putLongRelease(null, at, 0);
        UnsafeApi.putLong(null, at + 8, 0);
    }

    /** The first empty slot of a hash's probe chain (where a new entry goes). */
    long emptySlotFor(final long hash) {
        long slot = home(hash);
        while (hashAt(slot) != 0) {
            slot = next(slot);
        }
        return slot;
    }

    /** The slot holding exactly this hash and value, or -1. */
    long slotOf(final long hash, final long value) {
        long slot = home(hash);
        while (true) {
            final long h = hashAt(slot);
            if (h == 0) {
                return -1;
            }
            if (h == hash && valueAt(slot) == value) {
                return slot;
            }
            slot = next(slot);
        }
    }

    /** The value of the first live entry with this hash in its probe chain, or -1 if there is none. */
    long firstValue(final long hash) {
        long slot = home(hash);
        while (true) {
            final long h = hashAt(slot);
            if (h == 0) {
                return -1;
            }
            if (h == hash && valueAt(slot) > 0) {
                return valueAt(slot);
            }
            slot = next(slot);
        }
    }

    /** Deletes a kind's index files in {@code dir} other than these two generations (left by a crash mid-growth). */
    static void deleteStray(final File dir, final EntityKind kind, final EntityIndex current,
        final EntityIndex previous) throws IOException {
        final String prefix = kind.prefix() + "-";
        final File[] files = dir.listFiles((d, name) -> name.startsWith(prefix) && name.endsWith(".index"));
        if (files == null) {
            return;
        }
        for (final File f : files) {
            if (!f.equals(current.file()) && (previous == null || !f.equals(previous.file()))) {
                java.nio.file.Files.deleteIfExists(f.toPath());
            }
        }
    }

    /** Adds an entry unless this very entry is there already (copying between generations, which may repeat). */
    void putIfAbsent(final long hash, final long value) {
        if (slotOf(hash, value) < 0) {
            put(emptySlotFor(hash), hash, value);
        }
    }

    /**
     * Removes an entry and closes its probe chain up behind it (backward shift: each later entry of the chain that
     * may live closer to its home moves into the hole), saving every slot it changes in {@code undo}.
     */
    void remove(final long hash, final long value, final UndoLog undo, final int region) {
        final long slot = slotOf(hash, value);
        if (slot < 0) {
            return;
        }
        undo.save(region, slotOffset(slot), slotAddress(slot), SLOT);
        long hole = slot;
        long j = slot;
        while (true) {
            j = next(j);
            final long h = hashAt(j);
            if (h == 0) {
                break;
            }
            final long home = home(h);
            final boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                undo.save(region, slotOffset(j), slotAddress(j), SLOT);
                put(hole, h, valueAt(j));
                hole = j;
            }
        }
        clear(hole);
    }

    /**
     * Marks an entry deleted without moving anything: for the previous generation while it is being copied, so the
     * copy skips it and the chains of slots not yet copied stay intact.
     */
    void tombstone(final long hash, final long value, final UndoLog undo, final int region) {
        final long slot = slotOf(hash, value);
        if (slot >= 0) {
            undo.save(region, slotOffset(slot), slotAddress(slot), SLOT);
            UnsafeApi.putLongRelease(null, slotAddress(slot) + 8, TOMBSTONE);
        }
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }
}
