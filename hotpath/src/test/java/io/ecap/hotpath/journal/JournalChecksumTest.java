package io.ecap.hotpath.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.binary.MessageHeader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every journal entry carries a checksum; a damaged one is skipped and counted by every reader, older ones read. */
public class JournalChecksumTest {
    @TempDir
    Path dir;

    /** An entry: a header (type 99, version 1, its length) and a text that can be found in the file. */
    private static byte[] entry(final String text) {
        final byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[MessageHeader.LENGTH + body.length]);
        b.putShort(MessageHeader.TYPE_ID_OFFSET, (short) 99, MessageHeader.ORDER);
        b.putShort(MessageHeader.VERSION_OFFSET, (short) 1, MessageHeader.ORDER);
        b.putInt(MessageHeader.LENGTH_OFFSET, b.capacity(), MessageHeader.ORDER);
        b.putBytes(MessageHeader.LENGTH, body);
        return b.byteArray();
    }

    private static String textOf(final JournalReader reader) {
        assertEquals(1, reader.buffer().getShort(MessageHeader.VERSION_OFFSET, MessageHeader.ORDER),
            "the reader sees the entry's own version, without the checksum flag");
        final int length = reader.length() - MessageHeader.LENGTH;
        return reader.buffer().getStringWithoutLengthAscii(MessageHeader.LENGTH, length);
    }

    @Test
    void shouldSkipAndCountAnEntryWhoseBytesChangedAndReadTheOthers() throws Exception {
        final List<Long> indexes = new ArrayList<>();
        try (Journal journal = Journal.open(dir.toFile())) {
            for (final String text : new String[] {"first entry", "second entry, torn", "third entry"}) {
                final byte[] e = entry(text);
                indexes.add(journal.append(new UnsafeBuffer(e), 0, e.length));
            }
        }
        damage(Journal.newestFile(dir.toFile()).toPath(), "second entry, torn");
        try (Journal journal = Journal.openReadOnly(dir.toFile()); JournalReader reader = journal.reader()) {
            final List<String> read = new ArrayList<>();
            while (reader.next()) {
                read.add(textOf(reader));
            }
            assertEquals(List.of("first entry", "third entry"), read);
            assertEquals(1, reader.damaged());
            assertEquals(indexes.get(1), reader.lastDamagedIndex());
            assertFalse(reader.read(indexes.get(1)), "a damaged entry is absent when read by its index");
            assertTrue(reader.read(indexes.get(2)));
            assertEquals("third entry", textOf(reader));
        }
    }

    @Test
    void shouldReadEntriesWrittenBeforeChecksumsAsTheyAre() throws Exception {
        try (ChronicleQueue queue = Journal.openQueue(dir.toFile(), false);
             ExcerptAppender appender = queue.createAppender()) {
            final byte[] e = entry("an entry of an older ECAP");
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(e);
            }
        }
        try (Journal journal = Journal.open(dir.toFile())) {
            final byte[] e = entry("a new entry");
            journal.append(new UnsafeBuffer(e), 0, e.length);
            try (JournalReader reader = journal.reader()) {
                assertTrue(reader.next());
                assertEquals("an entry of an older ECAP", textOf(reader));
                assertTrue(reader.next());
                assertEquals("a new entry", textOf(reader));
                assertFalse(reader.next());
                assertEquals(0, reader.damaged());
            }
        }
    }

    /** Changes one byte of the text where it is in the file, as a page lost to a power loss would. */
    public static void damage(final Path file, final String text) throws Exception {
        final byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            final byte[] chunk = new byte[1 << 20];
            for (long at = 0; at < raf.length(); at += chunk.length - needle.length) {
                raf.seek(at);
                final int n = raf.read(chunk);
                for (int i = 0; i + needle.length <= n; i++) {
                    if (matches(chunk, i, needle)) {
                        raf.seek(at + i + needle.length - 1);
                        raf.write(0);
                        return;
                    }
                }
            }
        }
        throw new AssertionError(text + " not found in " + file);
    }

    private static boolean matches(final byte[] in, final int at, final byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (in[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
