package io.ecap.hotpath.state;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small memory-mapped file with the engine's progress, written with ordered stores so that it survives the process
 * being killed at any moment.
 *
 * <pre>
 *   0   i64  magic "ECAPMETA"
 *   8   i32  layout version (1)
 *   12  i32  clean shutdown (1) or running / crashed (0)
 *   16  i64  journal index of the last entry whose effects are all in the maps (0: none)
 *   24  i64  journal index of the active rule set entry (0: none)
 *   32  i64  journal index of the active model entry (0: none)
 *   40  i64  generation of the transaction index (see TxnIndex)
 * </pre>
 */
public final class EngineMeta implements AutoCloseable {
    private static final long MAGIC = 0x4154454D50414345L; // "ECAPMETA" little-endian
    private static final int LENGTH = 4096;
    private static final int VERSION = 8;
    private static final int CLEAN = 12;
    private static final int APPLIED_THROUGH = 16;
    private static final int RULE_SET_INDEX = 24;
    private static final int MODEL_INDEX = 32;
    private static final int TXN_GENERATION = 40;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final boolean wasClean;
    private final boolean fresh;

    private EngineMeta(final MappedByteBuffer mapped, final boolean fresh) {
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.fresh = fresh;
        if (fresh) {
            buffer.putLong(0, MAGIC, ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(VERSION, 1, ByteOrder.LITTLE_ENDIAN);
            buffer.putIntVolatile(CLEAN, 1);
        } else if (buffer.getLong(0, ByteOrder.LITTLE_ENDIAN) != MAGIC) {
            throw new IllegalStateException("not an ECAP engine meta file (bad magic)");
        }
        this.wasClean = buffer.getIntVolatile(CLEAN) == 1;
    }

    public static EngineMeta open(final File dir) {
        final File file = new File(dir, "engine.meta");
        final boolean fresh = !file.exists();
        final MappedByteBuffer mapped = fresh ? IoUtil.mapNewFile(file, LENGTH) : IoUtil.mapExistingFile(file, "meta");
        return new EngineMeta(mapped, fresh);
    }

    /** True if the file was just created (no earlier state). */
    public boolean isFresh() {
        return fresh;
    }

    /** True if the previous run closed cleanly. */
    public boolean wasClean() {
        return wasClean;
    }

    public void markRunning() {
        buffer.putIntVolatile(CLEAN, 0);
    }

    public void markClean() {
        buffer.putIntVolatile(CLEAN, 1);
    }

    public long appliedThrough() {
        return buffer.getLongVolatile(APPLIED_THROUGH);
    }

    public void appliedThrough(final long index) {
        buffer.putLongOrdered(APPLIED_THROUGH, index);
    }

    public long ruleSetIndex() {
        return buffer.getLongVolatile(RULE_SET_INDEX);
    }

    public void ruleSetIndex(final long index) {
        buffer.putLongOrdered(RULE_SET_INDEX, index);
    }

    public long modelIndex() {
        return buffer.getLongVolatile(MODEL_INDEX);
    }

    public void modelIndex(final long index) {
        buffer.putLongOrdered(MODEL_INDEX, index);
    }

    public long txnGeneration() {
        return buffer.getLongVolatile(TXN_GENERATION);
    }

    public void txnGeneration(final long generation) {
        buffer.putLongOrdered(TXN_GENERATION, generation);
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }
}
