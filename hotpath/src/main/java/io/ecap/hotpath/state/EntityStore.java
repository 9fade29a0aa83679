package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import net.openhft.chronicle.bytes.Byteable;
import net.openhft.chronicle.core.io.Closeable;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One entity kind's persisted Chronicle Map, accessed by the single writer through an open/commit cycle:
 *
 * <ol>
 *   <li>{@link #open} locks the entry (creating it if absent) and copies the active slot into the other one, the
 *       working slot;</li>
 *   <li>the engine reads {@link #active()} (state before the event) and changes {@link #working()};</li>
 *   <li>{@link #commit} stamps the journal index into the working slot and flips the selector with one ordered byte
 *       store, then unlocks; {@link #abandon} unlocks and leaves the entity as it was.</li>
 * </ol>
 *
 * Reads from other threads or processes go through {@link #read}, which takes the entry's read lock and copies the
 * active slot.
 */
public final class EntityStore implements AutoCloseable {
    private final EntityKind kind;
    private final ChronicleMap<CharSequence, EntityValue> map;
    private final EntityValue reference = Values.newNativeReference(EntityValue.class);
    private final EntityValue heapValue = Values.newHeapInstance(EntityValue.class);
    private final EntityState active = new EntityState();
    private final EntityState working = new EntityState();
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);
    private Closeable context;
    private long valueAddress;
    private int activeSlot;

    private EntityStore(final EntityKind kind, final ChronicleMap<CharSequence, EntityValue> map) {
        this.kind = kind;
        this.map = map;
    }

    /**
     * Opens (or creates) the map file. After an unclean shutdown, {@code recover} runs Chronicle Map's recovery, which
     * releases locks held by the dead process and checks the segments.
     */
    public static EntityStore open(final EntityKind kind, final File dir, final long entries, final boolean recover)
        throws IOException {
        final File file = new File(dir, kind.prefix() + ".cm3");
        final var builder = ChronicleMap.of(CharSequence.class, EntityValue.class)
            .name(kind.prefix())
            .entries(entries)
            .averageKeySize(24)
            .maxBloatFactor(4.0)
            .checksumEntries(false);
        final ChronicleMap<CharSequence, EntityValue> map = recover && file.exists()
            ? builder.recoverPersistedTo(file, true)
            : builder.createPersistedTo(file);
        return new EntityStore(kind, map);
    }

    public EntityKind kind() {
        return kind;
    }

    /** Locks the entity's entry and prepares the working slot. Must be followed by commit or abandon. */
    public void open(final CharSequence key) {
        if (context != null) {
            throw new IllegalStateException(kind + ": open without commit or abandon");
        }
        context = map.acquireContext(key, reference);
        final Byteable byteable = (Byteable) reference;
        valueAddress = byteable.bytesStore().addressForWrite(byteable.offset());
        value.wrap(valueAddress, EntityLayout.VALUE_LENGTH);
        if (value.getByte(EntityLayout.VERSION_OFFSET) == 0) {
            value.putByte(EntityLayout.VERSION_OFFSET, (byte) EntityLayout.LAYOUT_VERSION);
            value.putByte(EntityLayout.SELECTOR_OFFSET, (byte) 0);
            active.wrap(slotAddress(0)).clear();
        }
        activeSlot = value.getByteVolatile(EntityLayout.SELECTOR_OFFSET) & 1;
        active.wrap(slotAddress(activeSlot));
        working.wrap(slotAddress(1 - activeSlot));
        active.copyTo(working);
    }

    /** State before the event being applied. */
    public EntityState active() {
        return active;
    }

    /** The copy being changed. */
    public EntityState working() {
        return working;
    }

    /** Publishes the working slot as the entity's state, applied up to {@code journalIndex}. */
    public void commit(final long journalIndex) {
        working.lastAppliedIndex(journalIndex);
        value.putByteVolatile(EntityLayout.SELECTOR_OFFSET, (byte) (1 - activeSlot));
        release();
    }

    /**
     * Leaves the entity as it was. An entry that {@link #open} created stays as an empty value (no event applied),
     * which every reader treats as absent.
     */
    public void abandon() {
        if (context != null) {
            release();
        }
    }

    private void release() {
        final Closeable c = context;
        context = null;
        c.close();
    }

    private long slotAddress(final int slot) {
        return valueAddress + EntityLayout.SLOT0_OFFSET + (long) slot * EntityLayout.SLOT_LENGTH;
    }

    /**
     * Copies an entity's active slot into {@code target} (a slot-sized buffer) under the entry's read lock. Returns
     * false if the entity is unknown or has no event applied. Safe from any thread.
     */
    public boolean read(final CharSequence key, final org.agrona.MutableDirectBuffer target, final int offset) {
        final EntityValue value = map.getUsing(key, heapValue);
        if (value == null) {
            return false;
        }
        final int selector = (int) (value.getWordAt(0) & 0xFF) & 1;
        final int firstWord = (EntityLayout.SLOT0_OFFSET + selector * EntityLayout.SLOT_LENGTH) / 8;
        for (int i = 0; i < EntityLayout.SLOT_LENGTH / 8; i++) {
            target.putLong(offset + i * 8, value.getWordAt(firstWord + i), java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        return target.getLong(offset + EntityLayout.LAST_APPLIED_INDEX, java.nio.ByteOrder.LITTLE_ENDIAN) != 0;
    }

    /** Visits every entity with at least one event applied: its key and its active slot. Off the hot path. */
    public void forEach(final java.util.function.BiConsumer<String, EntityState> visitor) {
        final org.agrona.concurrent.UnsafeBuffer slot =
            new org.agrona.concurrent.UnsafeBuffer(new byte[EntityLayout.SLOT_LENGTH]);
        final EntityState state = new EntityState();
        for (final CharSequence key : map.keySet()) {
            final String k = key.toString();
            if (read(k, slot, 0)) {
                visitor.accept(k, state.wrap(slot, 0));
            }
        }
    }

    public long size() {
        return map.longSize();
    }

    @Override
    public void close() {
        map.close();
    }
}
