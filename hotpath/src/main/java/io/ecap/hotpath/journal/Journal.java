package io.ecap.hotpath.journal;

import io.ecap.hotpath.state.FolderSync;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The write-ahead journal: a Chronicle Queue of binary entries (see {@link EntryType}), one document per entry, files
 * rolled daily. Only the engine's writer thread appends; any thread may read through its own {@link JournalReader}.
 *
 * <p>Each entry is stored with a CRC32C of its bytes after it, and a flag in its header that says so
 * ({@link EntryChecksums}); readers check it and skip an entry that does not match (torn by a power loss), counting it.
 * Entries written before checksums existed have no flag and are read as they are.
 *
 * <p>An entry is in the memory-mapped queue file once {@link #append} returns, so it survives the process being
 * killed. It survives a power loss only once the operating system has written the page back (Chronicle's sync modes
 * are not used: they would put a disk flush on every event).
 */
public final class Journal implements AutoCloseable {
    private final File dir;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private FileChannel forced;
    private int forcedCycle;
    /** The writer's cycle and the file position its last append ended at, packed (see {@link #appendedTo()}). */
    private volatile long appendedTo;
    private JournalToucher toucher;
    private final EntryChecksums checksums = new EntryChecksums();
    private final JournalClock clock;
    private TornTail.Repair repair;

    private Journal(final File dir, final JournalClock clock, final boolean readOnly) {
        this.dir = dir;
        this.clock = clock;
        this.queue = openQueue(dir, readOnly, clock);
        this.appender = readOnly ? null : queue.createAppender();
        if (appender != null) {
            // one thread appends (the writer), handed over once; Chronicle's per-call ownership check is redundant
            appender.singleThreadedCheckDisabled(true);
        }
    }

    /**
     * Opens (or creates) the journal for the engine, which appends; first completes a swap of a rewritten journal
     * that a crash interrupted, or deletes a rewritten copy that was never checked ({@link JournalSwap}).
     */
    public static Journal open(final File dir) {
        try {
            JournalSwap.prepareForWriter(dir.toPath());
            TornTail.discardUnfinished(dir.toPath());
            TornTail.checkHeaders(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("completing the swap of the rewritten journal in " + dir, e);
        }
        final Journal journal = new Journal(dir, new JournalClock(), false);
        final TornTail.Probe probe;
        try {
            probe = journal.probeTail();
        } catch (final IllegalStateException e) {
            journal.close();
            throw JournalDamage.named(dir.getPath(), e);
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
        if (probe == null) {
            return journal;
        }
        journal.close();
        final TornTail.Repair repair = TornTail.repair(dir, probe);
        final Journal repaired = new Journal(dir, new JournalClock(), false);
        repaired.repair = repair;
        return repaired;
    }

    /** A journal of its own for a copy being written ({@link TornTail}, {@link JournalRedaction}): no tail check. */
    static Journal openCopy(final File dir) {
        return new Journal(dir, new JournalClock(), false);
    }

    /** What the writer's open repaired (a torn end of the newest daily file), or null if nothing. */
    public TornTail.Repair repair() {
        return repair;
    }

    /**
     * Writer, before its first append: whether the newest daily file lost its end (see {@link TornTail}). Either its
     * header names the place of its last entry and there is nothing there, or (a header page the disk got before the
     * last entries' pages) the header names an older end while the queue's own index names entries past the place the
     * next entry would go. Null if the end is whole (the usual case: a read of four bytes and one index lookup).
     */
    private TornTail.Probe probeTail() {
        final File newest = newestFile(dir);
        if (newest == null) {
            return null;
        }
        final SingleChronicleQueue single = (SingleChronicleQueue) queue;
        final int cycle = single.lastCycle();
        final SingleChronicleQueueStore store = single.storeForCycle(cycle, 0, false, null);
        if (store == null) {
            return null;
        }
        final long lastPosition;
        try {
            lastPosition = store.writePosition();
        } finally {
            single.closeStore(store);
        }
        // before the appender looks at that place: when it is inside an entry, the appender writes over it
        final TornTail.Probe offEntry = headerOffEntry(newest, cycle, lastPosition);
        if (offEntry != null) {
            return offEntry;
        }
        final boolean endFound = TornTail.headerAt(newest, lastPosition) != 0;
        // where Chronicle would write the next entry (over a lost one, with its index, when the end is torn)
        final long next;
        clock.set(cycle * (long) single.rollCycle().lengthInMillis());
        try (DocumentContext dc = appender.writingDocument()) {
            next = dc.index();
            dc.rollbackOnClose();
        } finally {
            clock.release();
        }
        final RollCycle cycles = single.rollCycle();
        if (cycles.toSequenceNumber(next) == 0 || cycles.toCycle(next) != cycle) {
            return null; // nothing was written in the day yet
        }
        if (!endFound) {
            return new TornTail.Probe(newest, cycle, next + 1, lastPosition, TornTail.Cause.TORN_END);
        }
        final long indexedPast = lastIndexedPast(next);
        return indexedPast < 0 ? null
            : new TornTail.Probe(newest, cycle, indexedPast + 1, newest.length(), TornTail.Cause.STALE_HEADER);
    }

    /**
     * A probe when the place {@code lastPosition} the newest file's header names as its last entry's is not where an
     * entry begins (bit rot), found by walking the entries from the last one the queue's index names; else null.
     */
    private TornTail.Probe headerOffEntry(final File newest, final int cycle, final long lastPosition) {
        final RollCycle cycles = ((SingleChronicleQueue) queue).rollCycle();
        final long spacing = cycles.defaultIndexSpacing();
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (entryPosition(tailer, cycles.toIndex(cycle, 0)) < 0) {
                return null; // no entry in the day: nothing to walk from
            }
            // the last sequence the index names (a multiple of the spacing) that holds an entry: doubling, then halving
            long low = 0;
            long high = spacing;
            while (high < cycles.maxMessagesPerCycle() && entryPosition(tailer, cycles.toIndex(cycle, high)) >= 0) {
                low = high;
                high *= 2;
            }
            while (high - low > spacing) {
                final long mid = (low + high) / 2 / spacing * spacing;
                if (entryPosition(tailer, cycles.toIndex(cycle, mid)) >= 0) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            final long indexed = entryPosition(tailer, cycles.toIndex(cycle, low));
            final long entries = TornTail.entriesIfHeaderOffEntry(newest, lastPosition, indexed);
            return entries < 0 ? null : new TornTail.Probe(newest, cycle, cycles.toIndex(cycle, low) + entries,
                newest.length(), TornTail.Cause.HEADER_OFF_ENTRY);
        }
    }

    /** Where the header of the entry at {@code index} is in its daily file, or -1 if there is none. */
    private static long entryPosition(final ExcerptTailer tailer, final long index) {
        if (!tailer.moveToIndex(index)) {
            return -1;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            return dc.isPresent() ? dc.wire().bytes().readPosition() - Integer.BYTES : -1;
        }
    }

    /**
     * The last index after {@code next} that the queue's sparse index names (one entry in 128 is indexed) while no
     * entry is there, or -1: a whole journal indexes nothing past its end. The index slot of {@code next} itself is
     * not looked at (a process killed while appending the entry may have left it).
     */
    private long lastIndexedPast(final long next) {
        final RollCycle cycles = ((SingleChronicleQueue) queue).rollCycle();
        final int spacing = cycles.defaultIndexSpacing();
        final int cycle = cycles.toCycle(next);
        long last = -1;
        try (ExcerptTailer tailer = queue.createTailer()) {
            for (long sequence = (cycles.toSequenceNumber(next) / spacing + 1) * spacing;
                sequence < cycles.maxMessagesPerCycle(); sequence += spacing) {
                final long index = cycles.toIndex(cycle, sequence);
                if (!tailer.moveToIndex(index)) {
                    break;
                }
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent()) {
                        break;
                    }
                }
                last = index;
            }
        }
        return last;
    }

    /** Opens an existing journal for reading only, for tools that may run beside a live engine. */
    public static Journal openReadOnly(final File dir) {
        if (!new File(dir, "metadata.cq4t").exists()) {
            throw new IllegalArgumentException("no journal in " + dir);
        }
        return new Journal(dir, new JournalClock(), true);
    }

    static ChronicleQueue openQueue(final File dir, final boolean readOnly) {
        return openQueue(dir, readOnly, new JournalClock());
    }

    private static ChronicleQueue openQueue(final File dir, final boolean readOnly, final JournalClock clock) {
        return SingleChronicleQueueBuilder.single(dir)
            .rollCycle(LargeRollCycles.LARGE_DAILY)
            .timeProvider(clock)
            .readOnly(readOnly)
            .build();
    }

    /**
     * Sets the time the journal's daily files roll by, for a simulation that drives the clock itself (no toucher
     * runs then). Time must not go back.
     */
    public void clockAt(final long epochMillis) {
        clock.set(epochMillis);
    }

    /** The clock the queue rolls by; the toucher sets it (see {@link JournalClock}). */
    JournalClock clock() {
        return clock;
    }

    public File dir() {
        return dir;
    }

    /**
     * Appends one entry copied from an off-heap (direct) buffer.
     *
     * @return the entry's journal index.
     */
    public long append(final DirectBuffer entry, final int offset, final int length) {
        final int checksum = checksums.stage(entry, offset, length);
        try (DocumentContext dc = appender.writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.unsafeWrite(checksums.stagedAddress(), length);
            bytes.writeInt(checksum);
            APPENDED_TO.setRelease(this, (long) appender.cycle() << POSITION_BITS | bytes.writePosition());
        }
        return appender.lastIndexAppended();
    }

    /**
     * Appends a marker in the place of an entry a torn tail lost ({@link TornTail}): a document of its own that keeps
     * the journal's indices in order, which every reader skips and counts as lost ({@link JournalReader#lost()}).
     *
     * @return the marker's journal index.
     */
    long appendLost() {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().writeInt(TornTail.LOST_MARKER);
        }
        return appender.lastIndexAppended();
    }

    /** Bytes of the next entry's place loaded by {@link #prefetchNext()}: a scored entry is about 480. */
    private static final int PREFETCH_BYTES = 512;

    /**
     * Writer: loads the cache lines the next append will write, where the current mapping holds them; returns a value
     * that depends on every load. The lines of a page just faulted in are not in any cache: loading them early,
     * beside the entity records, lets their misses overlap instead of stalling the copy into the journal.
     */
    public long prefetchNext() {
        final Wire wire = appender == null ? null : appender.wire();
        if (wire == null) {
            return 0;
        }
        final Bytes<?> bytes = wire.bytes();
        final long position = bytes.writePosition();
        if (!(bytes.bytesStore() instanceof MappedBytesStore store) || !store.inside(position, PREFETCH_BYTES)) {
            return 0;
        }
        final long address = store.addressForRead(position) & -64L;
        long sink = 0;
        for (int line = 0; line < PREFETCH_BYTES; line += 64) {
            sink += UnsafeApi.getLong(null, address + line);
        }
        return sink;
    }

    private static final int POSITION_BITS = 40;
    private static final VarHandle APPENDED_TO;

    static {
        try {
            APPENDED_TO = MethodHandles.lookup().findVarHandle(Journal.class, "appendedTo", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Where the writer's last append ended: its daily cycle and the position in that cycle's file, packed in one
     * value ({@link #cycleOf}, {@link #positionOf}); 0 before the first append. Any thread.
     */
    long appendedTo() {
        return appendedTo;
    }

    static long cycleOf(final long appendedTo) {
        return appendedTo >>> POSITION_BITS;
    }

    static long positionOf(final long appendedTo) {
        return appendedTo & (1L << POSITION_BITS) - 1;
    }

    /**
     * Starts faulting in, on a thread of its own, the journal's pages just ahead of the writer (the engine does; tools
     * and replays need not). Stopped by {@link #close}.
     */
    public void touchAhead() {
        touchAhead(() -> false);
    }

    /** {@link #touchAhead()}, pausing while {@code paused} says so (a disk nearly full: touching would fill it). */
    public void touchAhead(final java.util.function.BooleanSupplier paused) {
        if (appender != null && toucher == null) {
            toucher = JournalToucher.start(this, paused);
        }
    }

    /**
     * Writer: forces the entries appended so far to the disk ({@code fdatasync} of the current daily file), for the
     * journal sync policy that syncs every entry. The pages written through the mapping are in the same page cache,
     * so the file's sync covers them.
     */
    public void force() {
        try {
            if (forced == null || appender.cycle() != forcedCycle) {
                if (forced != null) {
                    forced.close();
                }
                forcedCycle = appender.cycle();
                forced = FileChannel.open(newestFile().toPath(), StandardOpenOption.READ);
            }
            forced.force(false);
        } catch (final IOException e) {
            throw new UncheckedIOException("could not sync the journal: " + e.getMessage(), e);
        }
    }

    /** The daily file being appended to: the newest (a file exists once its day's first entry is written). */
    private File newestFile() {
        final File newest = newestFile(dir);
        if (newest == null) {
            throw new IllegalStateException("no journal file in " + dir);
        }
        return newest;
    }

    /** The newest daily file of a journal, or null if it has none yet. */
    static File newestFile(final File dir) {
        final File[] files = dailyFiles(dir);
        return files.length == 0 ? null : files[files.length - 1];
    }

    /**
     * Forces the newest daily files of a journal to the disk; any thread, beside the writer (the periodic journal
     * sync). The two newest, so that a sync just after midnight still covers the day before.
     */
    public static void syncNewestFiles(final File dir) {
        final File[] files = dailyFiles(dir);
        try {
            for (int i = Math.max(0, files.length - 2); i < files.length; i++) {
                FolderSync.syncFile(files[i].toPath());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("could not sync the journal: " + e.getMessage(), e);
        }
    }

    /**
     * Which file is the journal's newest daily file: its name and the file system's key for it (its inode), or null
     * when the journal has none. A reader in another process compares it with a later one to learn that the file was
     * replaced under it ({@link FileIdentity#replacedBy}: a start that repaired a torn end, {@link TornTail}).
     */
    public static FileIdentity newestFileIdentity(final File dir) {
        final File newest = newestFile(dir);
        if (newest == null) {
            return null;
        }
        try {
            final Object key = java.nio.file.Files.readAttributes(newest.toPath(),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return new FileIdentity(newest.getName(), key == null ? newest.lastModified() : key);
        } catch (final java.nio.file.NoSuchFileException gone) {
            return null;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A daily file's name and its file system key (see {@link #newestFileIdentity}). */
    public record FileIdentity(String name, Object key) {
        /** Whether {@code now} is another file under the same name (not merely the next day's file). */
        public boolean replacedBy(final FileIdentity now) {
            return now != null && name.equals(now.name) && !key.equals(now.key);
        }
    }

    /** The journal's daily files, oldest first (their names sort by day). */
    static File[] dailyFiles(final File dir) {
        final File[] files = dir.listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (files == null) {
            return new File[0];
        }
        java.util.Arrays.sort(files);
        return files;
    }

    /**
     * Lets the calling thread become the appender's owner. Chronicle checks that one thread uses an appender; the
     * engine opens the journal on the starting thread and then hands it to the writer thread.
     */
    public void handOverToCurrentThread() {
        if (appender != null) {
            appender.singleThreadedCheckReset();
        }
    }

    /** A reader of this journal for the calling thread. */
    public JournalReader reader() {
        return new JournalReader(queue.createTailer());
    }

    /** Index of the last entry, or 0 if the journal is empty. */
    public long lastIndex() {
        final long last = queue.lastIndex();
        return last < 0 ? 0 : last;
    }

    /**
     * Entries written after {@code index} (0: all of them). Counts across daily files; for monitoring, not for the
     * writer thread.
     */
    public long entriesAfter(final long index) {
        final long last = queue.lastIndex();
        if (last < 0 || index >= last) {
            return 0;
        }
        final SingleChronicleQueue single = (SingleChronicleQueue) queue;
        if (index == 0) {
            return single.entryCount();
        }
        return single.countExcerpts(index, last);
    }

    @Override
    public void close() {
        if (toucher != null) {
            toucher.close();
            toucher = null;
        }
        if (forced != null) {
            try {
                forced.close();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (appender != null) {
            appender.singleThreadedCheckReset();
            appender.close();
        }
        queue.close();
    }
}
