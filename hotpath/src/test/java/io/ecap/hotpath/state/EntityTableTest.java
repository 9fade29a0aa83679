package io.ecap.hotpath.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.field.IdHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntityTableTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_795_500_000_000L;

    @TempDir
    Path dir;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[EntityTable.MAX_KEY]);

    private int key(final String id) {
        final byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        key.putBytes(0, bytes);
        return bytes.length;
    }

    /** One change, as the engine makes it: count the lookup (sweep), find or create, touch, stamp, complete. */
    private long touch(final EntityTable table, final UndoLog undo, final String id, final long eventMs,
        final int retentionDays, final long journalIndex) {
        final int length = key(id);
        table.countLookupAndSweep(eventMs, retentionDays, undo);
        final long hash = IdHash.hash(key, 0, length);
        long record = table.find(key, 0, length, hash);
        if (record < 0) {
            record = table.insert(key, 0, length, hash, undo);
        } else {
            table.save(record, undo);
        }
        table.beginChange(record);
        final EntityState state = new EntityState().wrap(table.stateAddress(record));
        state.txnCount(state.txnCount() + 1);
        state.lastAppliedIndex(journalIndex);
        table.endChange(record, eventMs, undo);
        undo.clear();
        table.maintain();
        return record;
    }

    private long find(final EntityTable table, final String id) {
        final int length = key(id);
        return table.find(key, 0, length, IdHash.hash(key, 0, length));
    }

    @Test
    void shouldTakeAMillionEntitiesWhenSizedForAThousand() throws Exception {
        try (UndoLog undo = UndoLog.open(dir.toFile());
             EntityTable table = EntityTable.open(EntityKind.IP, dir.toFile(), 1000, 8)) {
            for (int i = 0; i < 1_000_000; i++) {
                touch(table, undo, "ip-" + i, T0 + i, 0, i + 1);
            }
            assertEquals(1_000_000, table.live());
            assertTrue(table.indexSlots() >= 2_097_152, "the index doubled as it filled: " + table.indexSlots());
            for (int i = 0; i < 1_000_000; i += 997) {
                final long record = find(table, "ip-" + i);
                assertTrue(record >= 0, "ip-" + i + " is found");
                assertEquals(i + 1, new EntityState().wrap(table.stateAddress(record)).lastAppliedIndex());
            }
        }
        try (EntityTable reopened = EntityTable.openReadOnly(EntityKind.IP, dir.toFile())) {
            assertEquals(1_000_000, reopened.live());
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
            assertTrue(reopened.read("ip-123456", copy, 0));
            assertEquals(123_457, new EntityState().wrap(copy, 0).lastAppliedIndex());
            assertFalse(reopened.read("ip-1000000", copy, 0));
        }
    }

    @Test
    void shouldRemoveEntitiesUnseenForLongerThanTheRetentionAndReuseTheirRecords() throws Exception {
        try (UndoLog undo = UndoLog.open(dir.toFile());
             EntityTable table = EntityTable.open(EntityKind.IP, dir.toFile(), 1000, 8)) {
            for (int i = 0; i < 1000; i++) {
                touch(table, undo, "old-" + i, T0, 30, i + 1);
            }
            touch(table, undo, "kept", T0 + 20 * DAY, 30, 2000);
            // 40 days later, every lookup sweeps on: after enough lookups every old entity is gone
            for (int i = 0; i < 5000; i++) {
                touch(table, undo, "new-" + (i % 500), T0 + 40 * DAY, 30, 3000 + i);
            }
            assertEquals(1000, table.evicted(), "every entity last seen 40 days ago");
            assertEquals(501, table.live(), "500 new ones and the one seen 20 days ago");
            assertTrue(find(table, "kept") >= 0);
            assertTrue(find(table, "old-7") < 0);
            final long highWater = table.highWater();
            for (int i = 0; i < 400; i++) {
                touch(table, undo, "newer-" + i, T0 + 40 * DAY, 30, 9000 + i);
            }
            assertEquals(highWater, table.highWater(), "new entities take the records the old ones left");
            touch(table, undo, "old-7", T0 + 41 * DAY, 30, 9999);
            assertEquals(1.0, new EntityState().wrap(table.stateAddress(find(table, "old-7"))).txnCount(),
                "an entity seen again after removal starts over");
        }
    }
}
