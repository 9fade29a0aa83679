package io.ecap.hotpath.engine;

import io.ecap.hotpath.journal.Journal;
import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The periodic journal sync ({@link JournalSync.Mode#INTERVAL}): a thread that forces the journal's newest files to
 * the disk every interval, and then knows every entry up to the index it read before the sync began to be on the
 * disk. The writer is not involved: answers are never delayed by it.
 */
final class JournalSyncer implements AutoCloseable {
    private final File dir;
    private final long intervalNs;
    private final LongSupplier lastIndex;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long syncedIndex;
    private volatile String failure;

    JournalSyncer(final File dir, final long intervalMs, final LongSupplier lastIndex) {
        this.dir = dir;
        this.intervalNs = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.lastIndex = lastIndex;
        this.thread = new Thread(this::run, "ecap-journal-sync");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(intervalNs);
            syncOnce();
        }
    }

    private void syncOnce() {
        final long index = lastIndex.getAsLong();
        if (index == syncedIndex) {
            return;
        }
        try {
            Journal.syncNewestFiles(dir);
            syncedIndex = index;
            failure = null;
        } catch (final RuntimeException e) {
            failure = e.getMessage(); // the next interval tries again; the index does not move meanwhile
        }
    }

    /** The newest journal index known to be on the disk (0: none yet). */
    long syncedIndex() {
        return syncedIndex;
    }

    /** Why the last sync failed, or null. */
    String failure() {
        return failure;
    }

    /** Stops the thread, then syncs once more: after the writer stopped, this covers every entry. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        syncOnce();
    }
}
