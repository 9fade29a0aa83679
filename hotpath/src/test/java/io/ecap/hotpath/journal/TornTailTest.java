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

    /** Zeroes the last {@code bytes} of the file's written part (its header, at the start, keeps the end). */
    private static void tear(final Path file, final int bytes) throws IOException {
        PowerLoss.zeroEnd(file, 0, bytes);
    }

    private static String textOf(final JournalReader reader) {
        final int length = reader.length() - MessageHeader.LENGTH;
        return reader.buffer().getStringWithoutLengthAscii(MessageHeader.LENGTH, length);
    }
}
