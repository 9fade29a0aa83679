package io.ecap.hotpath.state;

import java.io.File;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;

/**
 * Makes each change of the engine's state all-or-nothing across a process kill. Before any byte of a memory-mapped
 * state file changes, the bytes it replaces are appended here and the count of valid records is advanced; once the
 * whole change is complete (journaled, stamped, indexed, progress mark moved) the count goes back to zero. A count
 * found above zero at start means the process died in the middle of a change: every saved range is put back, newest
 * first, which returns every file to the bytes it had before the change began, whatever step it had reached. Recovery
 * then re-applies the journal entry, if it was written, to that clean state.
 *
 * <p>Ranges are named by region (a file, see {@link FeatureStore}) and offset in it, not by address, so that they can
 * be put back after the files are mapped again. A range that was all zeros (a record never used) is noted without
 * its bytes.
 *
 * <pre>
 * file engine.undo (memory-mapped, 1 MiB):
 *   0    i32  valid records (0: nothing to undo); advanced with a release store after each record is complete
 *   64   records: i32 region, i32 length (negative: the range was zero, no bytes follow), i64 offset, the saved
 *        bytes padded to 8
 * </pre>
 */
public final class UndoLog implements AutoCloseable {
    /** Finds the memory of a saved range when it is put back. */
    @FunctionalInterface
    public interface Regions {
        /** Address of {@code offset} in {@code region}, for {@code length} bytes. */
        long address(int region, long offset, int length);
    }

    static final int FILE_LENGTH = 1 << 20;
    private static final int RECORDS = 64;
    private static final int REGION = 0;
    private static final int LENGTH = 4;
    private static final int OFFSET = 8;
    private static final int BYTES = 16;

    private final MappedByteBuffer mapped;
    private final long address;
    private int count;
    private int position = RECORDS;
    private long scope = 1;
    private boolean wipeOnClear;

    private UndoLog(final MappedByteBuffer mapped) {
        this.mapped = mapped;
        this.address = BufferUtil.address(mapped);
        this.count = UnsafeApi.getIntVolatile(null, address);
    }

    public static UndoLog open(final File dir) {
        final File file = new File(dir, "engine.undo");
        return new UndoLog(file.exists() && file.length() == FILE_LENGTH ? IoUtil.mapExistingFile(file, "undo")
            : IoUtil.mapNewFile(file, FILE_LENGTH));
    }

    /**
     * Saves {@code length} bytes at {@code from} (which is {@code offset} in {@code region}) before they change.
     *
     * @return the address of the saved copy, valid until the change completes.
     */
    public long save(final int region, final long offset, final long from, final int length) {
        final int at = reserve(length);
        UnsafeApi.putInt(null, address + at + REGION, region);
        UnsafeApi.putInt(null, address + at + LENGTH, length);
        UnsafeApi.putLong(null, address + at + OFFSET, offset);
        UnsafeApi.copyMemory(from, address + at + BYTES, length);
        position = at + BYTES + (length + 7 & ~7);
        publish();
        CrashPoints.reached("undo");
        return address + at + BYTES;
    }

    /** Notes that {@code length} bytes at {@code offset} in {@code region}, all zero now, are about to change. */
    public void saveZeros(final int region, final long offset, final int length) {
        final int at = reserve(0);
        UnsafeApi.putInt(null, address + at + REGION, region);
        UnsafeApi.putInt(null, address + at + LENGTH, -length);
        UnsafeApi.putLong(null, address + at + OFFSET, offset);
        position = at + BYTES;
        publish();
    }

    private int reserve(final int length) {
        if (position + BYTES + length > FILE_LENGTH) {
            throw new IllegalStateException("one change would save more than " + FILE_LENGTH + " bytes of undo");
        }
        return position;
    }

    /** The record is complete: count it, and keep the change it protects from being written before it. */
    private void publish() {
        count++;
        UnsafeApi.putIntRelease(null, address, count);
        VarHandle.storeStoreFence();
    }

    /** The change is complete: nothing to put back. Starts a new scope. */
    public void clear() {
        if (count != 0) {
            count = 0;
            position = RECORDS;
            UnsafeApi.putIntRelease(null, address, 0);
            VarHandle.storeStoreFence();
        }
        if (wipeOnClear) {
            wipeOnClear = false;
            UnsafeApi.setMemory(address + RECORDS, FILE_LENGTH - RECORDS, (byte) 0);
        }
        scope++;
    }

    /**
     * Asks the end of this change ({@link #clear}) to zero the whole log, not only to forget it: for a change that
     * must leave no copy of what it overwrote, an erasure (its saved records hold the erased id, and so may the bytes
     * earlier changes left past the current one's). Off the hot path: 1 MiB zeroed.
     */
    public void wipeOnClear() {
        wipeOnClear = true;
    }

    /** Identifies the current change: it moves on at every {@link #clear()}. */
    public long scope() {
        return scope;
    }

    /** True if ranges are saved (a change is in progress, or was when the process died). */
    public boolean isArmed() {
        return count > 0;
    }

    /** Records saved so far in this change. */
    public int records() {
        return count;
    }

    /** Puts every saved range back, newest first, and clears the log; returns how many. Off the hot path. */
    public int restore(final Regions regions) {
        final int n = count;
        final int[] at = new int[n];
        int p = RECORDS;
        for (int i = 0; i < n; i++) {
            at[i] = p;
            final int length = UnsafeApi.getInt(null, address + p + LENGTH);
            p += BYTES + (length > 0 ? length + 7 & ~7 : 0);
        }
        for (int i = n - 1; i >= 0; i--) {
            final long record = address + at[i];
            final int region = UnsafeApi.getInt(null, record + REGION);
            final int length = UnsafeApi.getInt(null, record + LENGTH);
            final long offset = UnsafeApi.getLong(null, record + OFFSET);
            final long target = regions.address(region, offset, Math.abs(length));
            if (length < 0) {
                UnsafeApi.setMemory(target, -length, (byte) 0);
            } else {
                UnsafeApi.copyMemory(record + BYTES, target, length);
            }
        }
        clear();
        return n;
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }
}
