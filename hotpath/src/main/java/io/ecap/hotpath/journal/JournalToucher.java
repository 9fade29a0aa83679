package io.ecap.hotpath.journal;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults in, on a thread of its own, the pages of the journal's daily file just ahead of where the writer appends.
 * The file is sparse: the first write to each of its pages costs the writer a fault in which the kernel makes a
 * zeroed page and reserves its block (about a quarter of the writer's time when scoring a file, most of it zeroing
 * memory the virtual machine had not touched yet). Done here, through a mapping of its own, the page is in the page
 * cache, dirty and reserved before the writer reaches it; the writer's own fault then only maps it.
 *
 * <p>A page is touched with an atomic compare-and-set of 0 to 0 on its first word, so the file's content never
 * changes, whatever the writer does at the same moment. Only the file's existing length is mapped (a mapping of its
 * own never extends it) and only up to {@link #AHEAD} bytes past the writer's position, which the journal publishes
 * with each append ({@link Journal#appendedTo()}).
 *
 * <p>Each round it also reads the wall clock into the journal's {@link JournalClock}, which Chronicle reads on every
 * append to know the day: the writer reads a field instead of the system clock.
 */
final class JournalToucher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalToucher.class);
    /** Bytes kept faulted in ahead of the writer: about 13,000 entries, tens of milliseconds at full speed. */
    static final long AHEAD = 8L << 20;
    private static final long WINDOW = 64L << 20;
    private static final int PAGE = 4096;
    private static final long IDLE_NS = 1_000_000L;
    private static final long PAUSED_NS = 100_000_000L;

    private final Journal journal;
    private final Thread thread;
    private volatile boolean running = true;
    private long cycle = -1;
    private FileChannel channel;
    private MappedByteBuffer window;
    private long windowStart;
    private long windowEnd;
    private long windowAddress;
    private long touchedTo;

    private JournalToucher(final Journal journal, final java.util.function.BooleanSupplier paused,
        final boolean start) {
        this.journal = journal;
        this.paused = paused;
        thread = start ? new Thread(this::run, "ecap-journal-touch") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Touches ahead on a thread of its own until closed. */
    static JournalToucher start(final Journal journal, final java.util.function.BooleanSupplier paused) {
        return new JournalToucher(journal, paused, true);
    }

    /** True while touching ahead must wait (the disk is nearly full). */
    private final java.util.function.BooleanSupplier paused;

    /** Touches ahead only when {@link #touchAhead()} is called, on the caller's thread (tests step it). */
    static JournalToucher stepped(final Journal journal) {
        return new JournalToucher(journal, () -> false, false);
    }

    /**
     * One step of {@link #touchAhead}; a page the disk had no room for (SIGBUS, which the JVM turns into an
     * {@link InternalError}) is left for later rather than ending the thread.
     */
    private boolean touchAheadSurvivingAFullDisk() throws IOException {
        try {
            return touchAhead();
        } catch (final InternalError noRoom) {
            LockSupport.parkNanos(PAUSED_NS * 10);
            return true;
        }
    }

    private void run() {
        final JournalClock clock = journal.clock();
        try {
            while (running) {
                clock.tick();
                if (paused.getAsBoolean()) {
                    LockSupport.parkNanos(PAUSED_NS);
                } else if (!touchAheadSurvivingAFullDisk()) {
                    LockSupport.parkNanos(IDLE_NS);
                }
            }
        } catch (final IOException | RuntimeException e) {
            // touching ahead only saves the writer time: without it the writer faults the pages in itself
            LOG.warn("the journal's pages are no longer faulted in ahead of the writer (it faults them itself)", e);
        } finally {
            clock.release();
            release();
        }
    }

    /** Touches the next pages ahead of the writer, a batch at a time; false if none is due. */
    boolean touchAhead() throws IOException {
        final long appended = journal.appendedTo();
        if (appended == 0) {
            return false;
        }
        final long appendedCycle = Journal.cycleOf(appended);
        final long position = Journal.positionOf(appended);
        if (appendedCycle != cycle) {
            openCycle(appendedCycle);
            if (channel == null) {
                return false;
            }
        }
        final long from = Math.max(touchedTo, (position + PAGE - 1) & -PAGE);
        final long to = Math.min(position + AHEAD, channel.size()) & -PAGE;
        if (from >= to) {
            return false;
        }
        if (from < windowStart || from >= windowEnd) {
            map(from);
        }
        final long end = Math.min(Math.min(to, windowEnd), from + 64L * PAGE);
        for (long at = from; at < end; at += PAGE) {
            UnsafeApi.compareAndSetInt(null, windowAddress + (at - windowStart), 0, 0);
        }
        touchedTo = end;
        return true;
    }

    /** Opens the newest daily file, which the writer appends to once its cycle is published. */
    private void openCycle(final long newCycle) throws IOException {
        release();
        final File file = Journal.newestFile(journal.dir());
        if (file == null) {
            return;
        }
        channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        cycle = newCycle;
        touchedTo = 0;
    }

    /** Maps up to {@link #WINDOW} bytes of the file from {@code from}, never beyond its current length. */
    private void map(final long from) throws IOException {
        unmap();
        final long start = from & -WINDOW;
        final long length = Math.min(2 * WINDOW, channel.size() - start) & -PAGE;
        window = channel.map(FileChannel.MapMode.READ_WRITE, start, length);
        windowStart = start;
        windowEnd = start + length;
        windowAddress = new UnsafeBuffer(window).addressOffset();
    }

    private void unmap() {
        if (window != null) {
            IoUtil.unmap(window);
            window = null;
            windowStart = 0;
            windowEnd = 0;
        }
    }

    private void release() {
        unmap();
        if (channel != null) {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // read and written through the mapping only; nothing to lose
            }
            channel = null;
        }
        cycle = -1;
    }

    /** The file position up to which the current daily file's pages are faulted in (for tests). */
    long touchedTo() {
        return touchedTo;
    }

    @Override
    public void close() {
        if (thread == null) {
            release();
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
