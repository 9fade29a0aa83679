package io.ecap.hotpath.state;

import java.util.concurrent.locks.LockSupport;
import org.agrona.UnsafeApi;

/**
 * Faults in the pages just ahead of where the writer takes its next fresh records, on a thread of its own, so that
 * the writer rarely waits for the kernel to find a page for a new entity. A page is touched with an atomic
 * compare-and-set of 0 to 0 on its first word: the write fault maps it (and the file system reserves its block) while
 * the value stays whatever it is, so racing with the writer on the same page is harmless.
 *
 * <p>It only touches chunks already mapped (the arena maps one chunk ahead), and it is stopped before the arenas
 * are unmapped.
 */
final class Pretoucher implements AutoCloseable {
    /** Records kept faulted in ahead of each kind's next fresh record. */
    static final int AHEAD_RECORDS = 8192;
    private static final int PAGE = 4096;
    private static final int RECORDS_PER_PAGE = PAGE / RecordArena.RECORD;
    private static final int ACTIVITY_PER_PAGE = PAGE / 4;
    private static final long IDLE_NS = 1_000_000L;

    private final EntityTable[] tables;
    private final long[] touchedTo;
    private final Thread thread;
    private volatile boolean running = true;

    Pretoucher(final EntityTable[] tables) {
        this.tables = tables.clone();
        this.touchedTo = new long[tables.length];
        for (int i = 0; i < tables.length; i++) {
            touchedTo[i] = tables[i].highWater() & ~(RECORDS_PER_PAGE - 1);
        }
        thread = new Thread(this::run, "ecap-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            boolean worked = false;
            for (int i = 0; i < tables.length && running; i++) {
                worked |= touchAhead(i);
            }
            if (!worked) {
                LockSupport.parkNanos(IDLE_NS);
            }
        }
    }

    /** Touches the pages of the next records of table {@code i}, a batch at a time; false if none is due. */
    private boolean touchAhead(final int i) {
        final RecordArena arena = tables[i].arena();
        final long highWater = tables[i].highWater();
        final long mappedRecords = (long) arena.mappedChunks() << RecordArena.CHUNK_SHIFT;
        final long from = Math.max(touchedTo[i], highWater & ~(RECORDS_PER_PAGE - 1));
        final long to = Math.min(mappedRecords, highWater + AHEAD_RECORDS) & ~(RECORDS_PER_PAGE - 1);
        if (from >= to) {
            return false;
        }
        final long batchEnd = Math.min(to, from + 64 * RECORDS_PER_PAGE);
        for (long r = from; r < batchEnd; r += RECORDS_PER_PAGE) {
            UnsafeApi.compareAndSetInt(null, arena.recordAddress(r), 0, 0);
            if ((r & ACTIVITY_PER_PAGE - 1) == 0) {
                UnsafeApi.compareAndSetInt(null, arena.activityAddress(r), 0, 0);
            }
        }
        touchedTo[i] = batchEnd;
        return true;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
