package io.ecap.hotpath.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.model.binary.MessageHeader;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-ahead ring hands over every entry once, in journal order, however often it wraps around. */
class EntryPipelineTest {
    private static final int ENTRIES = 5_000;

    @TempDir
    Path dir;

    @Test
    void shouldHandOverEveryEntryInOrderAndThenEnd() {
        final UnsafeBuffer entry = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(64));
        try (Journal journal = Journal.open(dir.toFile())) {
            for (int i = 0; i < ENTRIES; i++) {
                // a label-typed entry whose body is its number, of a length that varies with it
                final int length = MessageHeader.LENGTH + 8 + i % 5 * 8;
                entry.putShort(MessageHeader.TYPE_ID_OFFSET, (short) EntryType.LABEL, MessageHeader.ORDER);
                entry.putShort(MessageHeader.VERSION_OFFSET, (short) 1, MessageHeader.ORDER);
                entry.putInt(MessageHeader.LENGTH_OFFSET, length, MessageHeader.ORDER);
                entry.putLong(MessageHeader.LENGTH, i, MessageHeader.ORDER);
                journal.append(entry, 0, length);
            }
        }
        try (Journal journal = Journal.openReadOnly(dir.toFile());
             JournalReader source = journal.reader().hoppingGaps().after(0);
             EntryPipeline entries = new EntryPipeline(source)) {
            long lastIndex = 0;
            for (int i = 0; i < ENTRIES; i++) {
                final EntryPipeline.Slot slot = entries.take();
                assertEquals(EntryType.LABEL, slot.type);
                assertEquals(MessageHeader.LENGTH + 8 + i % 5 * 8, slot.length);
                assertEquals(i, slot.bytes.getLong(MessageHeader.LENGTH, MessageHeader.ORDER), "entry " + i);
                assertFalse(slot.featuresDecoded);
                assertEquals(true, slot.index > lastIndex, "journal order");
                lastIndex = slot.index;
                entries.release();
            }
            assertNull(entries.take(), "the end of the journal");
            assertNull(entries.take(), "and again");
            assertEquals(0, entries.damaged());
        }
    }
}
