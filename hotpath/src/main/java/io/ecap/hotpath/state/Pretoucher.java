package io.ecap.hotpath.state;

import java.util.concurrent.locks.LockSupport;
import org.agrona.UnsafeApi;

/**
 * Faults in, on a thread of its own, the pages the writer is about to write for the first time: those just ahead of
 * where each kind takes its next fresh records, and every page of a new index or transaction index generation. A
 * first write to a page of a memory-mapped file costs a fault in which the file system finds the page and reserves
 * its block (tens of microseconds on a busy virtual disk); done here, the writer rarely waits for it. A page is touched
 * with an atomic compare-and-set of 0 to 0 on its first word: the write fault maps it while the value stays whatever
 * it is, so racing with the writer on the same page is harmless.
 *
 * <p>It only touches what is mapped and stays mapped while it works: arena chunks (mapped one ahead, unmapped only
 * after it stopped), index generations (kept mapped until close) and transaction index tables (held by the region it
 * works on, so the garbage collector cannot release their mapping).
 */
final class Pretoucher implements AutoCloseable, PageToucher {
    /** Records kept faulted in ahead of each kind's next fresh record. */
    static final int AHEAD_RECORDS = 8192;
    private static final int PAGE = 4096;
    private static final int BATCH_RECORDS = 256;
    private static final int ACTIVITY_PER_PAGE = PAGE / 4;
    private static final long IDLE_NS = 1_000_000L;

    /** A whole mapped region to fault in once; {@code owner} keeps its mapping alive while it is being touched. */
    private record Region(Object owner, long address, long length) {
    }

    private final EntityTable[] tables;
    private final long[] touchedTo;
    private final java.util.concurrent.ConcurrentLinkedQueue<Region> regions =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Region region;
    private long regionDone;
    private final Thread thread;
    private volatile boolean running = true;
    /** True while touching must wait (the disk is nearly full: touching ahead would fill it). */
    private volatile java.util.function.BooleanSupplier paused = () -> false;
    private static final long PAUSED_NS = 100_000_000L;

    Pretoucher(final EntityTable[] tables) {
        this.tables = tables.clone();
        this.touchedTo = new long[tables.length];
        for (int i = 0; i < tables.length; i++) {
            touchedTo[i] = tables[i].highWater();
        }
        thread = new Thread(this::run, "ecap-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a whole region to fault in (a new index generation); any thread. */
    @Override
    public void touchOnce(final Object owner, final long address, final long length) {
        regions.add(new Region(owner, address, length));
        LockSupport.unpark(thread);
    }

    void pauseWhile(final java.util.function.BooleanSupplier condition) {
        paused = condition;
    }

    private void run() {
        while (running) {
            if (paused.getAsBoolean()) {
                LockSupport.parkNanos(PAUSED_NS);
                continue;
            }
            boolean worked = false;
            try {
                for (int i = 0; i < tables.length && running; i++) {
                    worked |= touchAhead(i);
                }
                worked |= touchRegion();
            } catch (final InternalError noRoom) {
                // a page the disk had no room for (SIGBUS, turned into an InternalError by the JVM): later, not never
                LockSupport.parkNanos(10 * PAUSED_NS);
                worked = true;
            }
            if (!worked) {
                LockSupport.parkNanos(IDLE_NS);
            }
        }
    }

    /** Touches the next pages of the queued regions, a batch at a time; false if none is queued. */
    private boolean touchRegion() {
        if (region == null) {
            region = regions.poll();
            regionDone = 0;
            if (region == null) {
                return false;
            }
        }
        final long end = Math.min(region.length(), regionDone + BATCH_PAGES * (long) PAGE);
        for (long at = regionDone; at < end; at += PAGE) {
            UnsafeApi.compareAndSetInt(null, region.address() + at, 0, 0);
        }
        regionDone = end;
        if (end >= region.length()) {
            region = null;
        }
        return true;
    }

    private static final int BATCH_PAGES = 64;

    /**
     * Touches the pages of the next records of table {@code i}, a batch at a time; false if none is due. Records are
     * smaller than a page, so every page of the records holds the start of one: touching the page of each record's
     * start reaches them all.
     */
    private boolean touchAhead(final int i) {
        final RecordArena arena = tables[i].arena();
        final long highWater = tables[i].highWater();
        final long mappedRecords = (long) arena.mappedChunks() << RecordArena.CHUNK_SHIFT;
        final long from = Math.max(touchedTo[i], highWater);
        final long to = Math.min(mappedRecords, highWater + AHEAD_RECORDS);
        if (from >= to) {
            return false;
        }
        final long batchEnd = Math.min(to, from + BATCH_RECORDS);
        long lastPage = -1;
        for (long r = from; r < batchEnd; r++) {
            final long page = arena.recordAddress(r) & -PAGE;
            if (page != lastPage) {
                UnsafeApi.compareAndSetInt(null, page, 0, 0);
                lastPage = page;
            }
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
