package io.ecap.hotpath.state;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small memory-mapped file with the engine's progress, written with ordered stores so that it survives the process
 * being killed at any moment.
 *
 * <pre>
 *   0   i64  magic "ECAPMETA"
 *   8   i32  state layout version ({@link #LAYOUT}; older folders are rebuilt from the journal)
 *   12  i32  running or crashed (0), clean stop with the state forced to the disk (1), clean stop with the state
 *            left to the operating system (2: trusted in the same boot only, see {@link #untrustedAfterReboot})
 *   16  i64  journal index of the last entry whose effects are all in the maps (0: none)
 *   24  i64  journal index of the active rule set entry (0: none)
 *   32  i64  journal index of the active model entry (0: none)
 *   40  i64  generation of the transaction index (see TxnIndex)
 *   48  i64  entities per kind the indexes were first sized for
 *   56  i64  transactions one transaction index generation holds
 *   64  i64  journal index of the active engine settings entry (0: none)
 *   72  16 bytes  the machine's boot id while an engine runs on this state (Linux; zero elsewhere), see
 *                 {@link #untrustedAfterReboot}
 *   88  i64  journal index of the newest block or allow list change entry (0: none); each names the one before
 *   96  i64  journal index of the shadow's rule set entry (0: none; an empty text there is none too)
 *   104 i64  journal index of the shadow's model entry (0: none; an empty text there is none too)
 *   112 i64  journal index of the newest erasure entry applied (0: none, or only before this field existed)
 * </pre>
 *
 * The writer changes the fields of the progress mark through {@link FeatureStore}, which saves them in the undo log
 * first, so that they move together with the state they describe.
 */
public final class EngineMeta implements AutoCloseable {
    /**
     * The state layout this version writes: 3 = 832-byte entity records (2 had 1 KiB records with sums in every
     * window; 1 was Chronicle Map).
     */
    public static final int LAYOUT = 3;
    static final int LENGTH = 4096;
    static final int APPLIED_THROUGH = 16;
    static final int RULE_SET_INDEX = 24;
    static final int MODEL_INDEX = 32;
    static final int SETTINGS_INDEX = 64;
    static final int LIST_INDEX = 88;
    static final int SHADOW_RULE_SET_INDEX = 96;
    static final int SHADOW_MODEL_INDEX = 104;
    static final int ERASURE_INDEX = 112;
    private static final long MAGIC = 0x4154454D50414345L; // "ECAPMETA" little-endian
    private static final int VERSION = 8;
    private static final int CLEAN = 12;
    private static final int RUNNING = 0;
    private static final int CLEAN_ON_DISK = 1;
    private static final int CLEAN_IN_THIS_BOOT = 2;
    private static final int TXN_GENERATION = 40;
    private static final int ENTITIES = 48;
    private static final int TXN_WINDOW = 56;
    private static final int BOOT_ID = 72;
    /** Where a test or a simulation gives the machine's boot id in place of the kernel's (a "reboot"). */
    public static final String BOOT_ID_PROPERTY = "ecap.test.bootId";
    private static final java.nio.file.Path BOOT_ID_FILE = java.nio.file.Path.of("/proc/sys/kernel/random/boot_id");

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
            buffer.putInt(VERSION, LAYOUT, ByteOrder.LITTLE_ENDIAN);
            buffer.putIntVolatile(CLEAN, CLEAN_ON_DISK);
        } else if (buffer.getLong(0, ByteOrder.LITTLE_ENDIAN) != MAGIC) {
            throw new IllegalStateException("not an ECAP engine meta file (bad magic)");
        } else if (buffer.getInt(VERSION, ByteOrder.LITTLE_ENDIAN) != LAYOUT) {
            throw new IllegalStateException("engine meta file of state layout "
                + buffer.getInt(VERSION, ByteOrder.LITTLE_ENDIAN) + ", expected " + LAYOUT);
        }
        this.wasClean = buffer.getIntVolatile(CLEAN) != RUNNING;
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

    /**
     * Marks the state as being written in this boot, and forces the mark to the disk before the first change: a
     * machine that stops from now on leaves a mark that says so ({@link #untrustedAfterReboot}), whichever of the
     * state's pages it had written.
     */
    public void markRunning() {
        final long[] boot = currentBootId();
        buffer.putLongOrdered(BOOT_ID, boot[0]);
        buffer.putLongOrdered(BOOT_ID + 8, boot[1]);
        buffer.putIntVolatile(CLEAN, RUNNING);
        mapped.force();
    }

    /** Marks a clean stop whose state files were forced to the disk first: trusted at any later start. */
    public void markClean() {
        buffer.putIntVolatile(CLEAN, CLEAN_ON_DISK);
    }

    /**
     * Marks a clean stop whose state files are left to the operating system to write: trusted at a start in the same
     * boot (the kernel holds every page), rebuilt from the journal at a start after a reboot.
     */
    public void markCleanInThisBoot() {
        buffer.putIntVolatile(CLEAN, CLEAN_IN_THIS_BOOT);
    }

    public long appliedThrough() {
        return buffer.getLongVolatile(APPLIED_THROUGH);
    }

    void appliedThrough(final long index) {
        buffer.putLongOrdered(APPLIED_THROUGH, index);
    }

    public long ruleSetIndex() {
        return buffer.getLongVolatile(RULE_SET_INDEX);
    }

    void ruleSetIndex(final long index) {
        buffer.putLongOrdered(RULE_SET_INDEX, index);
    }

    public long modelIndex() {
        return buffer.getLongVolatile(MODEL_INDEX);
    }

    void modelIndex(final long index) {
        buffer.putLongOrdered(MODEL_INDEX, index);
    }

    /** Address of the mapped file (the undo log saves fields by offset). */
    long address() {
        return buffer.addressOffset();
    }

    /**
     * Why the state in {@code dir} cannot be trusted after a reboot, or null if it can (or there is none). The machine
     * has booted since an engine last marked it, and either the engine was still writing it (a power loss, a kernel
     * crash or a reset: pages the kernel had not yet written back are lost, in no particular order, so the files may
     * hold half of a change that the undo log cannot put back, its own pages may be lost too), or it stopped cleanly
     * without forcing the state to the disk ({@link #markCleanInThisBoot}). Such a state must be rebuilt from the
     * journal. After a process kill the kernel keeps every page, so a crash in the same boot is recovered in place.
     * Null where the boot id is unknown (not Linux).
     */
    public static String untrustedAfterReboot(final File dir) {
        final File file = new File(dir, "engine.meta");
        if (!file.exists() || file.length() < LENGTH) {
            return null;
        }
        final long[] now = currentBootId();
        if (now[0] == 0 && now[1] == 0) {
            return null;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file, "r")) {
            raf.seek(CLEAN);
            final int clean = Integer.reverseBytes(raf.readInt());
            raf.seek(BOOT_ID);
            final long high = Long.reverseBytes(raf.readLong());
            final long low = Long.reverseBytes(raf.readLong());
            if (clean == CLEAN_ON_DISK || high == 0 && low == 0 || high == now[0] && low == now[1]) {
                return null;
            }
            return clean == RUNNING
                ? "the machine stopped while the engine was running (power loss or system crash): pages the system"
                    + " had not written yet are lost, so the state may be torn"
                : "the machine restarted after a clean stop that left the state's pages to the system to write"
                    + " (ecap score does, unless --sync-state): they may not all have reached the disk";
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The kernel's boot id as two longs, or zeros where there is none. */
    static long[] currentBootId() {
        final String override = System.getProperty(BOOT_ID_PROPERTY);
        try {
            final String text = override != null ? override
                : Files.isReadable(BOOT_ID_FILE) ? Files.readString(BOOT_ID_FILE).trim() : null;
            if (text == null || text.isEmpty()) {
                return new long[2];
            }
            final java.util.UUID id = java.util.UUID.fromString(text);
            return new long[] {id.getMostSignificantBits(), id.getLeastSignificantBits()};
        } catch (final java.io.IOException | IllegalArgumentException e) {
            return new long[2];
        }
    }

    /** The state layout of the meta file in {@code dir}, or 0 if there is none. Reads without mapping. */
    public static int layoutOf(final File dir) {
        final File file = new File(dir, "engine.meta");
        if (!file.exists() || file.length() < 12) {
            return 0;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file, "r")) {
            raf.seek(VERSION);
            return Integer.reverseBytes(raf.readInt());
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The progress mark of the state in {@code dir} (journal index of the last entry applied), 0 if it has none. */
    public static long appliedThroughOf(final File dir) {
        final File file = new File(dir, "engine.meta");
        if (!file.exists() || file.length() < APPLIED_THROUGH + 8) {
            return 0;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file, "r")) {
            raf.seek(APPLIED_THROUGH);
            return Long.reverseBytes(raf.readLong());
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public long settingsIndex() {
        return buffer.getLongVolatile(SETTINGS_INDEX);
    }

    void settingsIndex(final long index) {
        buffer.putLongOrdered(SETTINGS_INDEX, index);
    }

    /** The journal index of the shadow's rule set entry (0: none). */
    public long shadowRuleSetIndex() {
        return buffer.getLongVolatile(SHADOW_RULE_SET_INDEX);
    }

    void shadowRuleSetIndex(final long index) {
        buffer.putLongOrdered(SHADOW_RULE_SET_INDEX, index);
    }

    /** The journal index of the shadow's model entry (0: none). */
    public long shadowModelIndex() {
        return buffer.getLongVolatile(SHADOW_MODEL_INDEX);
    }

    void shadowModelIndex(final long index) {
        buffer.putLongOrdered(SHADOW_MODEL_INDEX, index);
    }

    /** The journal index of the newest list change entry (0: none). */
    /** The journal index of the newest erasure applied to this state (0: none known). */
    public long erasureIndex() {
        return buffer.getLongVolatile(ERASURE_INDEX);
    }

    void erasureIndex(final long index) {
        buffer.putLongOrdered(ERASURE_INDEX, index);
    }

    public long listIndex() {
        return buffer.getLongVolatile(LIST_INDEX);
    }

    void listIndex(final long index) {
        buffer.putLongOrdered(LIST_INDEX, index);
    }

    /** Entities per kind the indexes were first sized for (0: not recorded). */
    public long entities() {
        return buffer.getLongVolatile(ENTITIES);
    }

    /** Transactions per transaction index generation (0: not recorded). */
    public long txnWindow() {
        return buffer.getLongVolatile(TXN_WINDOW);
    }

    void sizes(final long entities, final long txnWindow) {
        buffer.putLongOrdered(ENTITIES, entities);
        buffer.putLongOrdered(TXN_WINDOW, txnWindow);
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
