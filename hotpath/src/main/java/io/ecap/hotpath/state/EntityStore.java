package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import org.agrona.AsciiSequenceView;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One entity kind's persisted Chronicle Map. The single writer {@link #lock}s an entity (write lock, created empty if
 * absent), changes its state in place, and {@link #unlock}s it; other threads and tools copy states out under the
 * read lock with {@link #read}. All-or-nothing updates across kills are the {@link UndoLog}'s job.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class EntityStore implements AutoCloseable {
    private final EntityKind kind;
    private final ChronicleMap<IdKey, ByteableValue.Entity> map;
    private final EntityState state = new EntityState();
    private final IdKey key = new IdKey();
    private final BytesStore emptyValue = BytesStore.nativeStoreFrom(new byte[EntityLayout.LENGTH]);
    private ExternalMapQueryContext<IdKey, ByteableValue.Entity, ?> context;
    private boolean lockedWasNew;

    private EntityStore(final EntityKind kind, final ChronicleMap<IdKey, ByteableValue.Entity> map) {
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
        final var builder = ChronicleMap.of(IdKey.class, ByteableValue.Entity.class)
            .name(kind.prefix())
            .keyReaderAndDataAccess(new IdKeyAccess.Reader(), new IdKeyAccess())
            .entries(entries)
            .averageKeySize(24)
            .constantValueSizeBySample(new ByteableValue.Entity())
            .maxBloatFactor(4.0)
            .checksumEntries(false);
        return new EntityStore(kind, recover && file.exists()
            ? builder.recoverPersistedTo(file, true) : builder.createPersistedTo(file));
    }

    public EntityKind kind() {
        return kind;
    }

    /** Write-locks an entity, creating an empty one if absent, and returns its state to change in place. */
    public EntityState lock(final AsciiSequenceView id) {
        return lock(key.set(id.buffer(), id.offset(), id.length()));
    }

    private EntityState lock(final IdKey idKey) {
        if (context != null) {
            throw new IllegalStateException(kind + ": lock without unlock");
        }
        context = map.queryContext(idKey);
        MapEntry<IdKey, ByteableValue.Entity> entry;
        try {
            context.writeLock().lock();
            entry = context.entry();
            lockedWasNew = entry == null;
            if (lockedWasNew) {
                context.insert(context.absentEntry(),
                    context.wrapValueBytesAsData(emptyValue, 0, EntityLayout.LENGTH));
                entry = context.entry();
            }
        } catch (final RuntimeException e) {
            unlock();
            throw e; // typically: the map is full
        }
        final Data<ByteableValue.Entity> value = entry.value();
        state.wrap(((BytesStore) value.bytes()).addressForWrite(value.offset()));
        if (lockedWasNew) {
            state.clear();
        }
        return state;
    }

    /** True if the entity locked last did not exist before. */
    public boolean lockedWasNew() {
        return lockedWasNew;
    }

    public void unlock() {
        final var c = context;
        context = null;
        c.close();
    }

    /** Puts saved bytes back (an entity that did not exist becomes empty again). Off the hot path. */
    public void restore(final CharSequence id, final org.agrona.DirectBuffer saved, final boolean wasNew) {
        final EntityState s = lock(IdKey.of(id));
        if (wasNew) {
            s.buffer().setMemory(0, EntityLayout.LENGTH, (byte) 0);
        } else {
            s.buffer().putBytes(0, saved, 0, EntityLayout.LENGTH);
        }
        unlock();
    }

    /**
     * Copies an entity's state into {@code target} under the entry's read lock. Returns false if the entity is
     * unknown or has no event applied. Safe from any thread.
     */
    public boolean read(final CharSequence id, final MutableDirectBuffer target, final int offset) {
        try (ExternalMapQueryContext<IdKey, ByteableValue.Entity, ?> c = map.queryContext(IdKey.of(id))) {
            c.readLock().lock();
            final MapEntry<IdKey, ByteableValue.Entity> entry = c.entry();
            if (entry == null) {
                return false;
            }
            final Data<ByteableValue.Entity> value = entry.value();
            final long address = ((BytesStore) value.bytes()).addressForRead(value.offset());
            target.putBytes(offset, new UnsafeBuffer(address, EntityLayout.LENGTH), 0, EntityLayout.LENGTH);
        }
        return target.getLong(offset + EntityLayout.LAST_APPLIED_INDEX, ByteOrder.LITTLE_ENDIAN) != 0;
    }

    /** Visits every entity with at least one event applied: its key and a copy of its state. Off the hot path. */
    public void forEach(final BiConsumer<String, EntityState> visitor) {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
        final EntityState s = new EntityState();
        for (final IdKey stored : map.keySet()) {
            final String k = stored.toString();
            if (read(k, copy, 0)) {
                visitor.accept(k, s.wrap(copy, 0));
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
