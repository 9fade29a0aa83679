package io.ecap.hotpath.state;

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
