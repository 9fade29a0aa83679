package io.ecap.ops.drive;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load tool's own stalls: a daemon thread asks to sleep 1 ms at a time and records how much longer each sleep
 * took (garbage collection, safepoints, waiting for a CPU the server also wants). Latency counted from each request's
 * intended send time charges such a stall to the server, so the summary shows it beside the latency: where the
 * client's worst stall is as long as the server's worst latency, the figure says as much about the client.
 */
final class Hiccups {
    private static final long SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static Hiccups shared;

    private final Recorder recorder = new Recorder(TimeUnit.HOURS.toNanos(1), 2);
    private final Histogram total = new Histogram(TimeUnit.HOURS.toNanos(1), 2);

    private Hiccups() {
        final Thread thread = new Thread(this::run, "ecap-load-hiccups");
        thread.setDaemon(true);
        thread.start();
    }

    /** The one meter of this JVM, started on first use; runs until the JVM ends. */
    static synchronized Hiccups shared() {
        if (shared == null) {
            shared = new Hiccups();
        }
        return shared;
    }

    private void run() {
        while (true) {
            final long start = System.nanoTime();
            try {
                Thread.sleep(1);
            } catch (final InterruptedException e) {
                return;
            }
            recorder.recordValue(Math.max(0, System.nanoTime() - start - SLEEP_NS));
        }
    }

    /** Everything recorded so far; a user keeps one as its starting point and subtracts it later. */
    synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /** What was recorded since {@code start} (an earlier {@link #histogram}). */
    Histogram since(final Histogram start) {
        final Histogram now = histogram();
        now.subtract(start);
        return now;
    }
}
