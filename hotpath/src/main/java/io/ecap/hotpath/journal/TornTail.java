package io.ecap.hotpath.journal;

import io.ecap.hotpath.state.FolderSync;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

/**
 * Repairs the torn end of the journal's newest daily file before the writer appends to it.
 *
 * <p>A power loss can leave a daily file whose header (the place of the last entry, written back to the disk first)
 * names a later end than its entries reach: the pages of the last entries never made it and read as zeros. Chronicle
 * would append the next entry at the place its header names, beyond a stretch of zeros that no reader crosses, and
 * number it after the lost ones; a reader of the whole journal then finds such entries only where the queue's sparse
 * index points, and loses the rest (seen: the first ~100 entries appended after the start).
 *
 * <p>The repair writes the file again, in a folder beside the journal: every entry it still holds, each at its own
 * index, and a marker ({@link #LOST_MARKER}) at the index of each entry it lost, up to the one before the next the
 * header names. Journal indices therefore stay what they were (no index names two entries, as readers and the Kafka
 * topics already hold some of the lost ones), and appends go on right after the markers. The damaged file is kept in
 * {@code journal-damaged} beside the journal (a hard link, made before the repaired file takes its place by a rename:
 * a crash at any point leaves one whole file, and a start repeats an unfinished repair).
 *
 * <p>The header page may also have reached the disk before the pages of the entries written after it: it then names
 * an older end, which is whole, and the lost entries past it are found by the queue's own index, which names one
 * entry in 128 on pages of its own ({@link Cause#STALE_HEADER}); the repair is the same, up to the last entry the index
 * names.
 *
 * <p>And the header's place of the last entry can be changed on the disk (bit rot) to a place inside an entry:
 * Chronicle's appender then numbers the next entries right but writes them where no reader finds them (seen in
 * {@code TornTailTest}: all 300 entries appended after it lost to readers). The writer's open checks that the place
 * the header names is where an entry begins, on the way to the last entry ({@link Cause#HEADER_OFF_ENTRY}); when not,
 * the file is written again as above, every entry kept, with a header that names its real end.
 *
 * <p>A daily file that lost its header altogether (empty, or its first page zeros) cannot be repaired this way: its
 * entries' indices are not known any more. {@link #checkHeaders} refuses it, for a person to decide.
 */
public final class TornTail {
    /** What a document of a lost entry holds: "LOST" in ASCII, shorter than any entry's header. */
    static final int LOST_MARKER = 0x54534F4C;

    private static final LargeRollCycles CYCLES = LargeRollCycles.LARGE_DAILY;

    /** Chronicle's document header: the bits of a document not yet complete, of metadata, and of its length. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    /** Documents walked at most between the header's place and the last indexed entry (at most 127 when whole). */
    private static final int MAX_STEPS = 4096;

    /** Bytes every document takes at least (its header and four bytes): bounds how many a header can claim. */
    private static final long MIN_DOCUMENT_BYTES = 8;

    /**
     * What the writer's check found: the newest file, its cycle, the index after the last entry known to have been
     * written (named by the file's header, or by the queue's index when the header is older than the entries), a
     * place in the file at or after that entry, and why it needs a repair.
     */
    record Probe(File file, int cycle, long nextIndex, long lastPosition, Cause cause) {
    }

    /** Why a daily file's end was repaired. */
    public enum Cause {
        /** The header names a last entry that is not there (its pages never reached the disk). */
        TORN_END,
        /** The header names an older end than its entries reach: the queue's index names entries past it. */
        STALE_HEADER,
        /** The header names a place where no entry begins (bit rot): the next entries would go where none reads. */
        HEADER_OFF_ENTRY
    }

    /**
     * What a repair did: the file repaired, the index of the first entry lost at its end and how many were, the
     * entries lost in holes before them, the entries it still held (copied), and where the damaged file is kept.
     */
    public record Repair(File file, long firstLost, long lost, long lostInHoles, long kept, Path damagedCopy,
        Cause cause) {
        /** True if the header was older than its entries. */
        public boolean staleHeader() {
            return cause == Cause.STALE_HEADER;
        }

        /** One line for the start's report. */
        public String describe() {
            if (cause == Cause.HEADER_OFF_ENTRY && lost == 0 && lostInHoles == 0) {
                return String.format("the header of journal file %s named a place inside an entry as its last (bit "
                    + "rot): the file was written again with its %,d entries, none lost, so that the next entry goes "
                    + "after the last; the damaged file is kept as %s", file.getName(), kept, damagedCopy);
            }
            return String.format("the end of journal file %s was torn (a power loss%s): %s%s, each marked as lost in "
                + "its place (%,d entries kept); the damaged file is kept as %s", file.getName(), staleHeader()
                    ? "; its header was older than its entries, the queue's index names entries past their end, and up "
                    + "to 127 more after the last it names may have been lost unseen" : "", lost == 0
                    ? "no entry lost at its end" : String.format("%,d entries lost at its end, indices %d to %d", lost,
                        firstLost, firstLost + lost - 1),
                lostInHoles == 0 ? "" : String.format(" and %,d in holes before them", lostInHoles), kept,
                damagedCopy);
        }
    }

    /** What a copy did: entries copied, markers written in holes, and the first index of the lost end. */
    private record Copied(long entries, long holes, long endFrom) {
    }

    private TornTail() {
    }

    /** Bytes at the start of a daily file that hold its header: never all zeros once the file was made. */
    private static final int HEADER_PAGE = 4096;

    /**
     * Refuses a journal with a daily file whose header is gone: empty, or its first page zeros (a power loss before
     * the file system wrote the file's first page back). Chronicle would take such a file for a new one and write over
     * its entries; its entries' indices are not known any more either, so a new file in its place would use them
     * again. A person decides (the message says how). Reads the first page of each daily file.
     */
    public static void checkHeaders(final File dir) {
        for (final File file : Journal.dailyFiles(dir)) {
            final byte[] page = new byte[HEADER_PAGE];
            int read = 0;
            try (java.io.FileInputStream in = new java.io.FileInputStream(file)) {
                for (int n; read < page.length && (n = in.read(page, read, page.length - read)) > 0; ) {
                    read += n;
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("reading the header of journal file " + file, e);
            }
            boolean zeros = true;
            for (int i = 0; i < read && zeros; i++) {
                zeros = page[i] == 0;
            }
            if (zeros) {
                throw new IllegalStateException(String.format("journal file %s has lost its header (%s: a power loss "
                    + "before the file system wrote the file's first page). Chronicle Queue would take it for a new "
                    + "file and write over the entries it still holds, and the indices of its entries are not known "
                    + "any more. Nothing was changed. To keep it for a look and start the day's file again, move it "
                    + "into %s; the indices of its entries will then be used again, so reset what follows the journal "
                    + "by index (the Kafka publisher's topics, the lake tailer's bronze-mark) or restore a backup",
                    file, read == 0 ? "the file is empty" : "its first " + read + " bytes are zeros",
                    damagedFolder(dir.toPath())));
            }
        }
    }

    /**
     * Whether the place a daily file's header names as its last entry's is inside an entry (bit rot). {@code indexed}
     * is the place of an entry the queue's index names; the documents are walked, each header giving the length to
     * the next, from the earlier of the two towards the later. It is inside an entry when the walk steps over the
     * later one; or, walking from the place, when it finds zeros right there or a header of a document not complete
     * (only the very end of a file has one, after the last entry). It is not when the walk lands on the later one;
     * nor, walking from {@code indexed}, when the entries end before the place (a torn end), nor, from the place, when
     * zeros come after whole documents (holes a power loss left, or more documents than this walks): those are
     * {@link Journal}'s other checks. When inside an entry, returns the number of entries from {@code indexed} (itself
     * included) to the end of the file (the first header that is zeros or not complete); otherwise -1.
     */
    static long entriesIfHeaderOffEntry(final File file, final long place, final long indexed) {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            if (!offEntry(channel, place, indexed)) {
                return -1;
            }
            long entries = 0;
            long at = indexed;
            for (int header = headerAt(channel, at); header != 0 && (header & NOT_COMPLETE) == 0;
                header = headerAt(channel, at)) {
                entries += (header & META_DATA) == 0 ? 1 : 0;
                at = next(at, header);
            }
            return entries;
        } catch (final IOException e) {
            throw new UncheckedIOException("reading the entries of journal file " + file, e);
        }
    }

    private static boolean offEntry(final FileChannel channel, final long place, final long indexed)
        throws IOException {
        final boolean fromPlace = place < indexed;
        final long to = fromPlace ? indexed : place;
        long at = fromPlace ? place : indexed;
        for (int step = 0; step < MAX_STEPS && at < to; step++) {
            final int header = headerAt(channel, at);
            if (header == 0) {
                return fromPlace && step == 0;
            }
            if ((header & NOT_COMPLETE) != 0) {
                return fromPlace;
            }
            at = next(at, header);
        }
        return at > to;
    }

    /** Where the document after the one at {@code at} begins (headers are four-byte aligned). */
    private static long next(final long at, final int header) {
        return at + Integer.BYTES + (header & LENGTH_MASK) + 3 & ~3L;
    }

    private static int headerAt(final FileChannel channel, final long position) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining() && channel.read(header, position + header.position()) > 0) {
            continue;
        }
        return header.hasRemaining() ? 0 : header.getInt(0);
    }

    /** The four bytes of a document's header at {@code position} in a daily file (0: nothing was written there). */
    static int headerAt(final File file, final long position) {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            return headerAt(channel, position);
        } catch (final IOException e) {
            throw new UncheckedIOException("reading the end of journal file " + file, e);
        }
    }

    /** Folder beside the journal the repaired file is written in (deleted once it took the file's place). */
    static Path repairFolder(final Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".repair");
    }

    /** Deletes what a repair a crash interrupted left beside the journal (its file had taken its place or not). */
    static void discardUnfinished(final Path journal) throws IOException {
        JournalSwap.delete(repairFolder(journal));
    }

    /** Folder beside the journal damaged files are kept in. */
    public static Path damagedFolder(final Path journal) {
        return journal.resolveSibling(journal.getFileName() + "-damaged");
    }

    /**
     * The names of the damaged daily files earlier repairs kept beside {@code journal} (a start that repaired one says
     * so; a later start, or one after a crash that came between the repair and its report, lists them), sorted.
     */
    public static List<String> keptDamaged(final Path journal) {
        final Path folder = damagedFolder(journal);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (final IOException e) {
            throw new UncheckedIOException("listing " + folder, e);
        }
    }

    /** Rewrites the probed file with its lost entries marked, then puts it in the damaged file's place. */
    static Repair repair(final File dir, final Probe probe) {
        final Path journal = dir.toPath();
        final long firstOfDay = CYCLES.toIndex(probe.cycle(), 0);
        final long claimed = probe.nextIndex() - firstOfDay;
        if (claimed > probe.lastPosition() / MIN_DOCUMENT_BYTES + 1) {
            throw new IllegalStateException(String.format("journal file %s cannot be repaired: its header names "
                + "%,d entries, more than its first %,d bytes can hold; move it out of %s by hand (its entries are "
                + "lost)", probe.file(), claimed, probe.lastPosition(), dir));
        }
        final Path folder = repairFolder(journal);
        try {
            JournalSwap.delete(folder);
            final Copied copied = copyMarkingLost(dir, folder.toFile(), probe.cycle(), firstOfDay, probe.nextIndex());
            final Path repaired = folder.resolve(probe.file().getName());
            FolderSync.syncFile(repaired);
            final Path damaged = keepDamaged(probe.file().toPath(), damagedFolder(journal));
            Files.move(repaired, probe.file().toPath(), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
            FolderSync.sync(journal);
            JournalSwap.delete(folder);
            return new Repair(probe.file(), copied.endFrom(), probe.nextIndex() - copied.endFrom(), copied.holes(),
                copied.entries(), damaged, probe.cause());
        } catch (final IOException e) {
            throw new UncheckedIOException("repairing the torn end of journal file " + probe.file(), e);
        }
    }

    /**
     * Copies the day's entries that can still be read into a new journal in {@code target}, each at its index, with a
     * marker at every index of an entry that cannot (a hole, a failed checksum, the torn end) up to {@code endIndex};
     * markers of an earlier repair are copied as they are.
     */
    private static Copied copyMarkingLost(final File source, final File target, final int cycle,
        final long firstOfDay, final long endIndex) {
        long next = firstOfDay;
        long entries = 0;
        long holes = 0;
        try (Journal in = Journal.openReadOnly(source);
            JournalReader reader = in.reader().hoppingGaps().hoppingUpTo(endIndex - 1).includingLost();
            Journal copy = Journal.openCopy(target)) {
            copy.clockAt(cycle * (long) CYCLES.lengthInMillis());
            final boolean readable = reader.moveTo(firstOfDay);
            while (readable && reader.next() && reader.index() < endIndex) {
                holes += Math.max(0, reader.index() - next);
                next = markLost(copy, next, reader.index());
                final long written = reader.isLost() ? copy.appendLost()
                    : copy.append(reader.buffer(), 0, reader.length());
                entries += reader.isLost() ? 0 : 1;
                check(written, next);
                next++;
            }
            final long endFrom = next;
            markLost(copy, next, endIndex);
            return new Copied(entries, holes, endFrom);
        }
    }

    /** Appends markers for the indices from {@code next} up to (not including) {@code upTo}; returns {@code upTo}. */
    private static long markLost(final Journal copy, final long next, final long upTo) {
        for (long index = next; index < upTo; index++) {
            check(copy.appendLost(), index);
        }
        return Math.max(next, upTo);
    }

    private static void check(final long written, final long expected) {
        if (written != expected) {
            throw new IllegalStateException("the repaired journal file would not keep the journal's indices: entry "
                + Long.toHexString(expected) + " was written as " + Long.toHexString(written));
        }
    }

    /** Keeps the damaged file (a hard link where the file system has them, else a copy); returns where. */
    private static Path keepDamaged(final Path file, final Path folder) throws IOException {
        Files.createDirectories(folder);
        final String name = file.getFileName().toString();
        Path kept = folder.resolve(name);
        for (int n = 2; Files.exists(kept) && !Files.isSameFile(kept, file); n++) {
            kept = folder.resolve(name + "." + n);
        }
        if (!Files.exists(kept)) {
            try {
                Files.createLink(kept, file);
            } catch (final UnsupportedOperationException | FileSystemException e) {
                Files.copy(file, kept);
            }
        }
        FolderSync.sync(folder);
        return kept;
    }
}
