package io.ecap.hotpath.state;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Makes an update of several entities all-or-nothing across a process kill. Before the writer changes entities in
 * place it saves their previous bytes here and arms the log; once the change is complete (journaled and stamped) it
 * disarms it. A log found armed at start means the process died mid-update: every saved entity is put back as it was,
 * and recovery then re-applies the journal entry, if it was written, to that clean state.
 *
 * <pre>
 * file engine.undo (memory-mapped):
 *   0    i32  armed (1) or not (0), written last with an ordered store
 *   4    i32  number of records
 *   64   records, 1024 bytes each: u8 kind, u8 was-new, u8 key length, key (64 bytes), at 72 the entity's bytes
 * </pre>
 */
public final class UndoLog implements AutoCloseable {
    public static final int MAX_RECORDS = EntityKind.COUNT;
    private static final int ARMED = 0;
    private static final int COUNT = 4;
    private static final int RECORDS = 64;
    private static final int RECORD_LENGTH = 1024;
    private static final int KIND = 0;
    private static final int WAS_NEW = 1;
    private static final int KEY_LENGTH = 2;
    private static final int KEY = 3;
    private static final int STATE = 72;
    private static final int FILE_LENGTH = RECORDS + MAX_RECORDS * RECORD_LENGTH;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final EntityState[] saved = new EntityState[MAX_RECORDS];

    private UndoLog(final MappedByteBuffer mapped) {
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        for (int i = 0; i < MAX_RECORDS; i++) {
            saved[i] = new EntityState().wrap(buffer, RECORDS + i * RECORD_LENGTH + STATE);
        }
    }

    public static UndoLog open(final File dir) {
        final File file = new File(dir, "engine.undo");
        return new UndoLog(file.exists() ? IoUtil.mapExistingFile(file, "undo")
            : IoUtil.mapNewFile(file, FILE_LENGTH));
    }

    /** Saves an entity's current bytes as record {@code i}; returns the saved copy (the state before the update). */
    public EntityState save(final int i, final EntityKind kind, final CharSequence key, final EntityState current,
        final boolean wasNew) {
        final int at = RECORDS + i * RECORD_LENGTH;
        buffer.putByte(at + KIND, (byte) kind.ordinal());
        buffer.putByte(at + WAS_NEW, (byte) (wasNew ? 1 : 0));
        buffer.putByte(at + KEY_LENGTH, (byte) key.length());
        for (int c = 0; c < key.length(); c++) {
            buffer.putByte(at + KEY + c, (byte) key.charAt(c));
        }
        current.copyTo(saved[i]);
        return saved[i];
    }

    /** Declares the first {@code records} saved records valid: from now on a restart restores them. */
    public void arm(final int records) {
        buffer.putInt(COUNT, records, ByteOrder.LITTLE_ENDIAN);
        buffer.putIntVolatile(ARMED, 1);
    }

    /** The update is complete (or undone): nothing to restore. */
    public void disarm() {
        buffer.putIntOrdered(ARMED, 0);
    }

    public boolean isArmed() {
        return buffer.getIntVolatile(ARMED) == 1;
    }

    public int records() {
        return buffer.getInt(COUNT, ByteOrder.LITTLE_ENDIAN);
    }

    public EntityKind kind(final int i) {
        return EntityKind.ALL[buffer.getByte(RECORDS + i * RECORD_LENGTH + KIND)];
    }

    public boolean wasNew(final int i) {
        return buffer.getByte(RECORDS + i * RECORD_LENGTH + WAS_NEW) == 1;
    }

    public String key(final int i) {
        final int at = RECORDS + i * RECORD_LENGTH;
        return buffer.getStringWithoutLengthAscii(at + KEY, buffer.getByte(at + KEY_LENGTH) & 0xFF);
    }

    /** The saved bytes of record {@code i}. */
    public DirectBuffer state(final int i) {
        return saved[i].buffer();
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }
}
