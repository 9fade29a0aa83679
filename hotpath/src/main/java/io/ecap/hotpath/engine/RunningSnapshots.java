package io.ecap.hotpath.engine;

import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.FolderSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a state kept in memory taken while the engine runs, so that a reboot or a power loss after a long run
 * without a clean stop does not rebuild the state from the whole journal. Every interval a thread of its own (never the
 * writer, whose state it does not read) copies the newest complete snapshot of the data folder into
 * {@code data/state-snapshot-building} (none yet: an empty state), applies the journal's entries after it up to the
 * last one the writer has applied, as recovery would, forces the files to the disk and publishes the folder as
 * {@code state-snapshot-INDEX} ({@link StateSnapshot#publish}); older snapshots are then removed. The state is a pure
 * function of the journal, so the copy is exactly the writer's state at that entry, however busy the writer was.
 *
 * <p>A snapshot must not outlive an erasure it predates (it would hold the erased entity): one whose last entry is
 * older than an erasure done meanwhile is discarded, before or right after it is published (the erasure itself
 * removes the snapshots it finds).
 */
final class RunningSnapshots implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningSnapshots.class);
    private final EngineConfig config;
    private final Path stateFolder;
    private final Journal journal;
    private final LongSupplier appliedThrough;
    private final LongSupplier erasedAt;
    private final LongUnaryOperator entryDigest;
    private final Thread thread;
    private volatile boolean closing;
    private volatile long lastIndex = -1;
    private volatile long lastNanos;
    private volatile String failure;

    /**
     * @param appliedThrough the writer's last applied journal index
     * @param erasedAt       the journal index of the newest erasure the writer has applied (0: none); set before the
     *                       erasure removes the snapshots
     * @param entryDigest    the checksum of the journal's entry at an index, or -1
     */
    RunningSnapshots(final EngineConfig config, final Path stateFolder, final Journal journal,
        final LongSupplier appliedThrough, final LongSupplier erasedAt, final LongUnaryOperator entryDigest) {
        this.config = config;
        this.stateFolder = stateFolder;
        this.journal = journal;
        this.appliedThrough = appliedThrough;
        this.erasedAt = erasedAt;
        this.entryDigest = entryDigest;
        this.thread = new Thread(this::run, "ecap-snapshot");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closing) {
            final long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.snapshotIntervalMs());
            while (!closing && System.nanoTime() - due < 0) {
                LockSupport.parkNanos(Math.min(due - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
            }
            if (closing) {
                return;
            }
            try {
                takeOne();
                failure = null;
            } catch (final IOException | RuntimeException e) {
                failure = e.toString();
            }
        }
    }

    /**
     * Takes a snapshot now on the calling thread, unless the newest one already holds everything the writer applied.
     * Returns its journal index, or -1 when none was needed, or it was discarded (an erasure came after its last
     * entry, or the engine is stopping).
     */
    synchronized long takeOne() throws IOException {
        final long limit = appliedThrough.getAsLong();
        final Path dataDir = config.dataDir();
        final Path base = StateSnapshot.newest(dataDir, entryDigest);
        if (limit <= 0 || base != null && StateSnapshot.indexOf(base) >= limit) {
            return -1;
        }
        checkRoom(dataDir);
        final long start = System.nanoTime();
        final long erasedBefore = erasedAt.getAsLong();
        final Path building = StateSnapshot.building(dataDir);
        final long last;
        try {
            if (base != null) {
                StateSnapshot.copyChecked(base, building, StateSnapshot.META); // each file as it was taken
                checkFree(dataDir);
            }
            last = replay(building, limit, dataDir);
            checkFree(dataDir);
        } catch (final IOException | RuntimeException e) {
            StateSnapshot.delete(building);
            if (erasedAt.getAsLong() != erasedBefore) {
                return discarded(limit, "an erasure removed what it was built from"); // (the erasure's snapshots)
            }
            throw e;
        }
        final long digest = entryDigest.applyAsLong(last);
        if (closing || digest < 0 || erasedAt.getAsLong() > last) {
            StateSnapshot.delete(building);
            return discarded(last, closing ? "the engine is stopping (its stop takes a copy of its own)"
                : digest < 0 ? "its last journal entry cannot be read" : erasureAfter(last));
        }
        final Path published = StateSnapshot.publish(building, dataDir, journal.dir().toPath(), last, digest,
            null); // its files changed after the copy: their digests are read at the publish
        if (erasedAt.getAsLong() > last) {
            StateSnapshot.delete(published); // an erasure came while it was published, and may have missed it
            return discarded(last, erasureAfter(last));
        }
        lastIndex = last;
        lastNanos = System.nanoTime() - start;
        return last;
    }

    /** Says why a snapshot was thrown away (rare: the log has each one); returns -1. */
    private static long discarded(final long index, final String why) {
        LOG.info("state snapshot of journal index {} discarded: {}", index, why);
        return -1;
    }

    private String erasureAfter(final long index) {
        return "an erasure (journal index " + erasedAt.getAsLong() + ") came after its last entry " + index
            + ", and a snapshot never holds what an erasure removed; the next interval takes one without it";
    }

    /**
     * Refuses to begin when the data folder's disk could not take a copy as large as the live state's files and still
     * keep {@code engine.min-free-disk-mb} free: the copy is written through memory-mapped files, and a full disk
     * would stop the whole process (SIGBUS), not only the snapshot.
     */
    private void checkRoom(final Path dataDir) throws IOException {
        long needed = config.minFreeDiskBytes();
        try (Stream<Path> files = Files.list(stateFolder)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    needed += Files.size(file);
                }
            }
        }
        final long free = DiskFill.usableBytes(dataDir);
        if (free < needed) {
            throw new IOException(String.format("not begun: the disk of %s has %,d MB free, a copy of the state "
                + "needs %,d MB (with engine.min-free-disk-mb kept free)", dataDir, free >> 20, needed >> 20));
        }
    }

    /** Stops a copy that has brought the disk below {@code engine.min-free-disk-mb}, where the engine refuses work. */
    private void checkFree(final Path dataDir) throws IOException {
        if (belowMinimum(dataDir)) {
            throw new IOException(String.format("stopped and discarded: the disk of %s fell below "
                + "engine.min-free-disk-mb (%,d MB) while the copy was made", dataDir,
                config.minFreeDiskBytes() >> 20));
        }
    }

    private boolean belowMinimum(final Path dataDir) {
        try {
            return DiskFill.usableBytes(dataDir) < config.minFreeDiskBytes();
        } catch (final IOException e) {
            return true;
        }
    }

    /** Applies the journal up to {@code limit} onto the state in {@code folder}; returns the last entry applied. */
    private long replay(final Path folder, final long limit, final Path dataDir) throws IOException {
        try (FeatureStore store = FeatureStore.openQuiet(folder, config.entityEntries(), config.txnEntries());
             JournalReader lookup = journal.reader();
             JournalReader reader = journal.reader()) {
            store.meta().markRunning();
            final Engine engine = new Engine(store, RunningSnapshots::refuse, lookup, DefaultRules.ruleSet(),
                new EngineCounters());
            final int[] entries = {0};
            final long last = Recovery.runUpTo(engine, reader, store.meta(), limit,
                () -> closing || ++entries[0] % 4096 == 0 && belowMinimum(dataDir));
            FolderSync.sync(store.dir());
            store.meta().markClean();
            FolderSync.sync(store.dir());
            return last;
        }
    }

    private static long refuse(final org.agrona.DirectBuffer entry, final int offset, final int length) {
        throw new IllegalStateException("a snapshot being built must not journal anything");
    }

    /** The journal index of the last snapshot this engine took while running, or -1. */
    long lastIndex() {
        return lastIndex;
    }

    /** How long the last snapshot took, in nanoseconds. */
    long lastNanos() {
        return lastNanos;
    }

    /** Why the last attempt failed, or null if it did not. */
    String failure() {
        return failure;
    }

    /** Stops the thread, a snapshot in progress between two entries (it is discarded), and waits for it. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
