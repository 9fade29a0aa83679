package io.ecap.hotpath.journal;

import static io.ecap.hotpath.journal.JournalChecksumTest.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.sim.PowerLoss;
import io.ecap.model.binary.MessageHeader;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daily file whose last pages were lost to a power loss (zeros where entries were, while the file's header names
 * the old end) is repaired when the writer opens the journal: the entries it still holds keep their indices, each lost
 * one becomes a marker in its place, and every entry appended afterwards is found by any reader, in order.
 */
public class TornTailTest {
    private static final int WRITTEN = 3_000;
    private static final int APPENDED = 300;
    /** Bytes zeroed at the end of the written part: a few hundred entries of about 36 bytes. */
    private static final int TORN_BYTES = 16 << 10;

    @TempDir
    Path dir;

    @Test
    void shouldMarkTheLostEntriesSoThatEveryEntryAppendedAfterwardsIsFoundInOrder() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        final long first = write(journalDir, WRITTEN, "entry");
        tear(Journal.newestFile(journalDir).toPath(), TORN_BYTES);

        final List<Long> appended = new ArrayList<>();
        final TornTail.Repair repair;
        try (Journal journal = Journal.open(journalDir)) {
            repair = journal.repair();
            assertNotNull(repair, "the torn end is found and repaired before the first append");
            for (int i = 0; i < APPENDED; i++) {
                final byte[] e = entry(String.format("after %05d", i));
                appended.add(journal.append(new UnsafeBuffer(e), 0, e.length));
            }
        }
        final long kept = repair.kept();
        assertTrue(repair.lost() > 100 && kept + repair.lost() == WRITTEN, repair.describe());
        assertEquals(first + kept, repair.firstLost());
        assertEquals(first + WRITTEN, appended.get(0), "appends go on after the lost entries: no index is used twice");
        assertTrue(Files.exists(repair.damagedCopy()), "the damaged file is kept");
        assertFalse(Files.exists(TornTail.repairFolder(journalDir.toPath())));

        // a plain reader (no hopping over gaps) sees every entry still held, then every one appended, in order
        final List<String> read = new ArrayList<>();
        final List<Long> indexes = new ArrayList<>();
        try (Journal journal = Journal.openReadOnly(journalDir); JournalReader reader = journal.reader()) {
            while (reader.next()) {
                read.add(textOf(reader));
                indexes.add(reader.index());
            }
            assertEquals(repair.lost(), reader.lost());
            assertEquals(repair.lost(), reader.damaged());
            assertFalse(reader.read(repair.firstLost()), "a lost entry is absent when read by its index");
            assertTrue(reader.read(appended.get(7)));
            assertEquals("after 00007", textOf(reader));
        }
        assertEquals(kept + APPENDED, read.size());
        for (int i = 0; i < kept; i++) {
            assertEquals(String.format("entry %05d", i), read.get(i));
            assertEquals(first + i, indexes.get(i));
        }
        for (int i = 0; i < APPENDED; i++) {
            assertEquals(String.format("after %05d", i), read.get((int) kept + i));
            assertEquals(appended.get(i), indexes.get((int) kept + i));
        }

        // opening again finds nothing to repair; a rewrite (an erasure's) keeps the markers in their places
        try (Journal journal = Journal.open(journalDir)) {
            assertNull(journal.repair());
        }
        assertEquals(List.of(repair.damagedCopy().getFileName().toString()),
            TornTail.keptDamaged(journalDir.toPath()), "a later start still names the damaged file kept");
        final File copy = dir.resolve("copy").toFile();
        JournalRedaction.rewrite(journalDir, copy);
        try (Journal journal = Journal.openReadOnly(copy); JournalReader reader = journal.reader()) {
            int n = 0;
            while (reader.next()) {
                assertEquals(indexes.get(n++), reader.index());
            }
            assertEquals(read.size(), n);
            assertEquals(repair.lost(), reader.lost());
        }
    }

    /**
     * A repair a crash interrupted (the damaged file already kept, the repaired copy half written beside the journal)
     * is done again by the next open, which reuses the kept file rather than keeping a second one.
     */
    @Test
    void shouldRepeatARepairACrashInterrupted() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        write(journalDir, WRITTEN, "entry");
        final Path file = Journal.newestFile(journalDir).toPath();
        tear(file, TORN_BYTES);
        final Path damaged = TornTail.damagedFolder(journalDir.toPath());
        Files.createDirectories(damaged);
        Files.createLink(damaged.resolve(file.getFileName()), file);
        final Path unfinished = TornTail.repairFolder(journalDir.toPath());
        Files.createDirectories(unfinished);
        Files.writeString(unfinished.resolve(file.getFileName().toString()), "half a file");

        try (Journal journal = Journal.open(journalDir)) {
            assertNotNull(journal.repair());
            assertEquals(damaged.resolve(file.getFileName()), journal.repair().damagedCopy());
            final byte[] e = entry("after");
            journal.append(new UnsafeBuffer(e), 0, e.length);
        }
        try (Stream<Path> kept = Files.list(damaged)) {
            assertEquals(1, kept.count());
        }
        assertFalse(Files.exists(unfinished));
        try (Journal journal = Journal.openReadOnly(journalDir); JournalReader reader = journal.reader()) {
            String last = null;
            while (reader.next()) {
                last = textOf(reader);
            }
            assertEquals("after", last);
        }
    }

    /**
     * Only the last entry lost (its header zeroed): the one the file's header names. Chronicle would write the next
     * entry in its place with its index; the repair marks it, and the next entry gets an index of its own.
     */
    @Test
    void shouldNotGiveTheLastEntrysIndexToTheNextWhenOnlyItWasLost() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        final long first = write(journalDir, WRITTEN, "entry");
        tear(Journal.newestFile(journalDir).toPath(), entry("entry 00000").length + 2 * Integer.BYTES);
        try (Journal journal = Journal.open(journalDir)) {
            assertNotNull(journal.repair());
            assertEquals(1, journal.repair().lost(), journal.repair().describe());
            final byte[] e = entry("after");
            assertEquals(first + WRITTEN, journal.append(new UnsafeBuffer(e), 0, e.length));
        }
    }

    /**
     * Pages lost in the middle of the file's last stretch as well as at its end: the entries between the two holes that
     * the queue's index still reaches are kept, each hole becomes markers, and a plain reader reads across both.
     */
    @Test
    void shouldKeepTheEntriesBetweenAHoleAndTheTornEnd() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        write(journalDir, WRITTEN, "entry");
        final Path file = Journal.newestFile(journalDir).toPath();
        final long end = PowerLoss.writtenEnd(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(end - 3L * TORN_BYTES);
            raf.write(new byte[4096]); // about 110 entries, 1,300 before the end
        }
        tear(file, TORN_BYTES);
        try (Journal journal = Journal.open(journalDir)) {
            final TornTail.Repair repair = journal.repair();
            assertNotNull(repair);
            assertTrue(repair.lostInHoles() > 0 && repair.kept() + repair.lost() + repair.lostInHoles() == WRITTEN,
                repair.describe());
            final byte[] e = entry("after");
            journal.append(new UnsafeBuffer(e), 0, e.length);
        }
        final List<String> read = new ArrayList<>();
        long lost;
        try (Journal journal = Journal.openReadOnly(journalDir); JournalReader reader = journal.reader()) {
            while (reader.next()) {
                read.add(textOf(reader));
            }
            lost = reader.lost();
        }
        assertEquals("after", read.get(read.size() - 1));
        assertEquals(WRITTEN, read.size() - 1 + lost, "every index is an entry or a marker");
        final int afterHole = read.indexOf("entry 02400");
        assertTrue(afterHole > 0, "entries between the hole and the torn end are kept: " + read.size() + " read");
        assertTrue(lost > 585 && lost < 585 + 300, "the two holes, and what the index cannot reach: " + lost);
    }

    /**
     * The file's header page reached the disk before the pages of the entries written after it, whose last pages were
     * then lost: the header names an end before the lost entries, which is whole, so the header alone finds nothing
     * wrong and Chronicle would give the lost entries' indices to the next ones. The queue's own index (one entry in
     * 128) still names entries past the end: they are marked as lost up to the last it names, and appends go on after.
     */
    @Test
    void shouldFindEntriesLostPastAnOlderHeaderByTheQueuesIndex() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        final long first = write(journalDir, 2_000, "entry");
        final Path file = Journal.newestFile(journalDir).toPath();
        final byte[] olderHeader = new byte[4096];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.readFully(olderHeader);
        }
        try (Journal journal = Journal.open(journalDir)) {
            assertNull(journal.repair());
            for (int i = 2_000; i < WRITTEN; i++) {
                final byte[] e = entry(String.format("entry %05d", i));
                journal.append(new UnsafeBuffer(e), 0, e.length);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(olderHeader);
        }
        tear(file, TORN_BYTES);

        final long appended;
        final TornTail.Repair repair;
        try (Journal journal = Journal.open(journalDir)) {
            repair = journal.repair();
            assertNotNull(repair, "the lost entries past the header's end are found");
            final byte[] e = entry("after");
            appended = journal.append(new UnsafeBuffer(e), 0, e.length);
        }
        assertTrue(repair.staleHeader() && repair.describe().contains("its header was older than its entries"),
            repair.describe());
        assertTrue(repair.kept() > 2_000 && repair.lost() > 100, repair.describe());
        assertEquals(first + repair.kept(), repair.firstLost());
        assertTrue(repair.kept() + repair.lost() > WRITTEN - 128 && repair.kept() + repair.lost() <= WRITTEN,
            "lost up to the last entry the index names: " + repair.describe());
        assertEquals(repair.firstLost() + repair.lost(), appended, "no index the index named is used again");

        final List<Long> indexes = new ArrayList<>();
        try (Journal journal = Journal.openReadOnly(journalDir); JournalReader reader = journal.reader()) {
            while (reader.next()) {
                indexes.add(reader.index());
            }
            assertEquals(repair.lost(), reader.lost());
        }
        assertEquals(repair.kept() + 1, indexes.size());
        assertEquals(appended, indexes.get(indexes.size() - 1));
        try (Journal journal = Journal.open(journalDir)) {
            assertNull(journal.repair(), "repaired once");
        }
    }

    /**
     * A daily file whose first page is zeros, or that is empty (a power loss before the file system wrote it): the
     * writer's open refuses it, naming the file, and changes nothing (Chronicle would write over what it holds).
     */
    @Test
    void shouldRefuseAFileThatLostItsHeaderAndChangeNothing() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        write(journalDir, WRITTEN, "entry");
        final Path file = Journal.newestFile(journalDir).toPath();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(new byte[4096]);
        }
        final byte[] before = Files.readAllBytes(file);
        final IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> Journal.open(journalDir));
        assertTrue(refused.getMessage().startsWith("journal file " + file + " has lost its header (its first 4096 "
            + "bytes are zeros"), refused.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "nothing written");
        Files.write(file, new byte[0]);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> Journal.open(journalDir)).getMessage().contains("(the file is empty"));
    }

    /**
     * The queue's index array zeroed (its page lost): Chronicle can find no entry by its index. The writer's open and a
     * reader of the whole journal stop with a line that names the journal and what to do, not Chronicle's "Meta data
     * not ready 0"; nothing is changed.
     */
    @Test
    void shouldNameADailyFileWhoseIndexIsZeros() throws Exception {
        final File journalDir = dir.resolve("journal").toFile();
        write(journalDir, WRITTEN, "entry");
        final Path file = Journal.newestFile(journalDir).toPath();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            final byte[] page = new byte[4096];
            long at = page.length;
            for (boolean zeros = true; zeros; at += page.length) {
                raf.seek(at);
                raf.readFully(page);
                zeros = java.util.Arrays.equals(page, new byte[page.length]);
            }
            raf.seek(at - page.length); // the first page after the header's holding something: the index array's
            raf.write(new byte[page.length]);
        }
        final byte[] before = Files.readAllBytes(file);
        final IllegalStateException atOpen = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> Journal.open(journalDir));
        assertTrue(atOpen.getMessage().startsWith("the journal in " + journalDir + " has a daily file whose index")
            && atOpen.getMessage().contains("nothing was changed"), atOpen.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "nothing written");
        try (Journal journal = Journal.openReadOnly(journalDir);
            JournalReader reader = journal.reader().hoppingGaps()) {
            final IllegalStateException reading = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> {
                    while (reader.next()) {
                        continue;
                    }
                });
            assertTrue(reading.getMessage().contains("whose index (the queue's own metadata"), reading.getMessage());
        }
    }

    /**
     * The header's place of the last entry changed by bit rot to a place inside an entry (0 to 4 bytes off a boundary,
     * a few entries back, half the file back). Chronicle's appender would number the next entries right but write them
     * where no reader finds them (without the check, all 300 appended here were lost to readers). The writer's open
     * finds it and writes the file again, every entry kept; appends then go on after the last entry and a plain reader
     * finds every entry, in order. A header naming the entry before the last (a kill between an entry and the header's
     * update) is left as it is: Chronicle's appender goes on from there by itself.
     */
    @Test
    void shouldRewriteAFileWhoseHeaderPointsInsideAnEntry() throws Exception {
        for (final long back : new long[] {0, 2, 4, 100, 1_000, 300_000}) {
            final File journalDir = dir.resolve("journal-" + back).toFile();
            final long first = write(journalDir, WRITTEN, "entry");
            final long end = headerEnd(journalDir);
            // 0: the entry before the last, a place where an entry begins
            final long place = back == 0 ? positionOfEntry(journalDir, first + WRITTEN - 2) : end - back;
            setHeaderEnd(Journal.newestFile(journalDir).toPath(), end, place);
            assertEquals(place, headerEnd(journalDir), "the header now names another place");
            try (Journal journal = Journal.open(journalDir)) {
                if (back == 0) {
                    assertNull(journal.repair(), "an entry's own place is not a damaged header");
                } else {
                    final TornTail.Repair repair = journal.repair();
                    assertNotNull(repair, back + " bytes back");
                    assertEquals(TornTail.Cause.HEADER_OFF_ENTRY, repair.cause());
                    assertEquals(0, repair.lost() + repair.lostInHoles(), repair.describe());
                    assertEquals(WRITTEN, repair.kept());
                    assertTrue(repair.describe().contains("named a place inside an entry"), repair.describe());
                    assertTrue(Files.exists(repair.damagedCopy()));
                }
                for (int i = 0; i < APPENDED; i++) {
                    final byte[] e = entry(String.format("after %05d", i));
                    assertEquals(first + WRITTEN + i, journal.append(new UnsafeBuffer(e), 0, e.length),
                        back + " bytes back: appends go on after the last entry");
                }
            }
            try (Journal journal = Journal.openReadOnly(journalDir); JournalReader reader = journal.reader()) {
                int n = 0;
                while (reader.next()) {
                    assertEquals(first + n, reader.index());
                    assertEquals(n < WRITTEN ? String.format("entry %05d", n)
                        : String.format("after %05d", n - WRITTEN), textOf(reader), back + " bytes back");
                    n++;
                }
                assertEquals(WRITTEN + APPENDED, n, back + " bytes back: every entry found");
                assertEquals(0, reader.damaged());
            }
            try (Journal journal = Journal.open(journalDir)) {
                assertNull(journal.repair(), "the repaired file's header is whole");
            }
        }
    }

    /** A journal cleanly closed, or cut by a kill (its pages all written), is never repaired. */
    @Test
    void shouldLeaveAWholeJournalAlone() {
        final File journalDir = dir.resolve("journal").toFile();
        write(journalDir, WRITTEN, "entry");
        try (Journal journal = Journal.open(journalDir)) {
            assertNull(journal.repair());
        }
        assertFalse(Files.exists(TornTail.damagedFolder(journalDir.toPath())));
    }

    /** Writes {@code count} entries; returns the first one's index. */
    private static long write(final File journalDir, final int count, final String prefix) {
        long first = -1;
        try (Journal journal = Journal.open(journalDir)) {
            for (int i = 0; i < count; i++) {
                final byte[] e = entry(String.format("%s %05d", prefix, i));
                final long index = journal.append(new UnsafeBuffer(e), 0, e.length);
                first = first < 0 ? index : first;
            }
        }
        return first;
    }

    /** The place of the last entry that the newest daily file's header names. */
    private static long headerEnd(final File journalDir) {
        try (var queue = (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)
            Journal.openQueue(journalDir, true)) {
            final var store = queue.storeForCycle(queue.lastCycle(), 0, false, null);
            try {
                return store.writePosition();
            } finally {
                queue.closeStore(store);
            }
        }
    }

    /** Where the header of the entry at {@code index} is in its daily file. */
    private static long positionOfEntry(final File journalDir, final long index) {
        try (var queue = Journal.openQueue(journalDir, true);
            net.openhft.chronicle.queue.ExcerptTailer tailer = queue.createTailer()) {
            assertTrue(tailer.moveToIndex(index));
            try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument()) {
                assertTrue(dc.isPresent());
                return dc.wire().bytes().readPosition() - Integer.BYTES;
            }
        }
    }

    /** Writes {@code to} over the header's place of the last entry, {@code from}: one eight-byte field there. */
    private static void setHeaderEnd(final Path file, final long from, final long to) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            final byte[] header = new byte[4096];
            raf.readFully(header);
            final java.nio.ByteBuffer bytes =
                java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int found = -1;
            for (int at = 0; at + 8 <= header.length; at += 4) {
                if (bytes.getLong(at) == from) {
                    assertEquals(-1, found, "one field in the header holds the place");
                    found = at;
                }
            }
            assertTrue(found >= 0, "the header holds the place " + from);
            raf.seek(found);
            raf.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(to).array());
        }
    }

    /** Zeroes the last {@code bytes} of the file's written part (its header, at the start, keeps the end). */
    private static void tear(final Path file, final int bytes) throws IOException {
        PowerLoss.zeroEnd(file, 0, bytes);
    }

    private static String textOf(final JournalReader reader) {
        final int length = reader.length() - MessageHeader.LENGTH;
        return reader.buffer().getStringWithoutLengthAscii(MessageHeader.LENGTH, length);
    }
}
