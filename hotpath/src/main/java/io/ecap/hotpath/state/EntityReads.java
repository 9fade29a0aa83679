package io.ecap.hotpath.state;

import io.ecap.model.field.IdHash;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reading an entity from another thread or process while the writer may change it. The record's sequence number is
 * odd while the writer changes it: a copy is kept only if the sequence was even before and unchanged after, and the
 * record still holds the id. An entity not found is looked for three times, in case its index slot was being moved.
 */
final class EntityReads {
    private static final int ATTEMPTS = 10_000;

    private EntityReads() {
    }

    /** Every entity with at least one event applied, with a copy of its state (no writer running). */
    static void forEach(final EntityTable table, final java.util.function.BiConsumer<String, EntityState> visitor) {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
        final EntityState state = new EntityState().wrap(copy, 0);
        final long records = table.highWater();
        for (long r = 0; r < records; r++) {
            final long at = table.recordAddress(r);
            if (EntityRecord.hash(at) == 0) {
                continue;
            }
            copy.putBytes(0, new UnsafeBuffer(at + EntityRecord.STATE, EntityLayout.LENGTH), 0, EntityLayout.LENGTH);
            if (state.lastAppliedIndex() != 0) {
                visitor.accept(EntityRecord.key(at), state);
            }
        }
    }

    static boolean read(final EntityTable table, final CharSequence id, final MutableDirectBuffer target,
        final int at) {
        final byte[] bytes = id.toString().getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer key = new UnsafeBuffer(bytes);
        final long hash = IdHash.hash(key, 0, bytes.length);
        int misses = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (table.readOnly() && !table.catchUp()) {
                Thread.onSpinWait();
                continue;
            }
            final long record = table.find(key, 0, bytes.length, hash);
            if (record < 0) {
                if (++misses == 3) {
                    return false;
                }
                continue;
            }
            final long address = table.recordAddress(record);
            final long seq = EntityRecord.sequence(address);
            if ((seq & 1) == 0) {
                target.putBytes(at, new UnsafeBuffer(address + EntityRecord.STATE, EntityLayout.LENGTH), 0,
                    EntityLayout.LENGTH);
                VarHandle.loadLoadFence();
                if (EntityRecord.sequence(address) == seq && table.keyEquals(record, key, 0, bytes.length)) {
                    return target.getLong(at + EntityLayout.LAST_APPLIED_INDEX, ByteOrder.LITTLE_ENDIAN) != 0;
                }
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(table.kind().prefix() + " " + id + " kept changing while being read");
    }
}
