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
    static byte[] entry(final String text) {
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

    /**
     * A Chronicle header zeroed in the middle of a day's file (a page lost to a power loss) ends what a plain reader
     * sees; a reader that hops gaps (recovery, replay) steps over to the next entry the index reaches and counts the
     * entries in between as damaged. An entry whose own first bytes are zero, or without the checksum flag after
     * entries with it, is damaged too.
     */
    @Test
    void shouldStepOverADamagedChronicleHeaderAndCountWhatItLost() throws Exception {
        final int count = 400;
        try (Journal journal = Journal.open(dir.toFile())) {
            for (int i = 0; i < count; i++) {
                final byte[] e = entry(String.format("entry %04d", i));
                journal.append(new UnsafeBuffer(e), 0, e.length);
            }
        }
        final Path file = Journal.newestFile(dir.toFile()).toPath();
        zeroBefore(file, "entry 0010", 12, 4); // the Chronicle header of entry 10
        zeroBefore(file, "entry 0300", 8, 4); // entry 300's type and version: its first bytes lost
        flipFlag(file, "entry 0350"); // entry 350 without its checksum flag
        try (Journal journal = Journal.openReadOnly(dir.toFile())) {
            try (JournalReader plain = journal.reader()) {
                int read = 0;
                while (plain.next()) {
                    read++;
                }
                assertEquals(10, read, "a plain reader stops at the damaged header, as Chronicle's tailers do");
            }
            try (JournalReader reader = journal.reader().hoppingGaps()) {
                final List<String> read = new ArrayList<>();
                while (reader.next()) {
                    read.add(textOf(reader));
                }
                assertEquals("entry 0009", read.get(9));
                assertEquals("entry 0399", read.get(read.size() - 1), "the entries after the gap are read");
                assertFalse(read.contains("entry 0010") || read.contains("entry 0300") || read.contains("entry 0350"));
                assertEquals(count, read.size() + reader.damaged(), "every entry is read or counted as damaged");
            }
        }
    }

    private static void zeroBefore(final Path file, final String text, final int back, final int bytes)
        throws Exception {
        final long at = find(file, text);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at - back);
            raf.write(new byte[bytes]);
        }
    }

    private static void flipFlag(final Path file, final String text) throws Exception {
        final long at = find(file, text) - MessageHeader.LENGTH + MessageHeader.VERSION_OFFSET + 1;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            final int high = raf.read();
            raf.seek(at);
            raf.write(high & 0x7F);
        }
    }

    /**
     * Garbage over a stretch of a file (headers with lengths past the mapped file among them): a reader stops with an
     * error naming the journal and where it stopped, or skips and counts, but never reads outside the mapping (which
     * would end the JVM) and never ends early without saying so.
     */
    @Test
    void shouldNameAnOverwrittenStretchInsteadOfReadingOutsideTheFile() throws Exception {
        try (Journal journal = Journal.open(dir.toFile())) {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            for (int i = 0; i < 20_000; i++) {
                final byte[] e = entry("entry-" + i + "-" + "x".repeat(i % 200));
                buffer.wrap(e);
                journal.append(buffer, 0, e.length);
            }
        }
        final Path file;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(garbage), 1L << 20);
        }
        long read = 0;
        String stopped = null;
        try (Journal journal = Journal.openReadOnly(dir.toFile());
             JournalReader reader = journal.reader().hoppingGaps().after(0)) {
            try {
                while (reader.next()) {
                    read++;
                }
            } catch (final IllegalStateException e) {
                stopped = e.getMessage();
            }
            assertTrue(stopped != null || reader.damaged() > 0, "read " + read + " of 20,000 and said nothing");
        }
        if (stopped != null) {
            assertTrue(stopped.contains("the journal in") && stopped.contains("cannot be read after entry"), stopped);
        }
    }

    /**
     * A file cut short below its index (a copy stopped half-way): reading an entry past the cut by its index names the
     * journal and the entry instead of ending in a JVM error (Chronicle scans the file on the way there).
     */
    @Test
    void shouldNameAFileCutShortWhenAnEntryPastTheCutIsReadByItsIndex() throws Exception {
        long last = 0;
        try (Journal journal = Journal.open(dir.toFile())) {
            for (int i = 0; i < 20_000; i++) {
                final byte[] e = entry("entry-" + i);
                last = journal.append(new UnsafeBuffer(e), 0, e.length);
            }
        }
        final Path file;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(io.ecap.hotpath.sim.PowerLoss.writtenEnd(file) / 2);
        }
        final long past = last - 100;
        try (Journal journal = Journal.openReadOnly(dir.toFile()); JournalReader reader = journal.reader()) {
            final IllegalStateException byRead = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> reader.read(past));
            assertTrue(byRead.getMessage().contains("cannot be read on the way to entry " + Long.toHexString(past)),
                byRead.getMessage());
            final IllegalStateException byAfter = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> reader.after(past));
            assertTrue(byAfter.getMessage().contains("less than its header says"), byAfter.getMessage());
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
        final long at = find(file, text);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at + text.length() - 1);
            raf.write(0);
        }
    }

    /** Where the text first is in the file. */
    private static long find(final Path file, final String text) throws Exception {
        final byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            final byte[] chunk = new byte[1 << 20];
            for (long at = 0; at < raf.length(); at += chunk.length - needle.length) {
                raf.seek(at);
                final int n = raf.read(chunk);
                for (int i = 0; i + needle.length <= n; i++) {
                    if (matches(chunk, i, needle)) {
                        return at + i;
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
