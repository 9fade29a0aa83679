package io.ecap.ops.cli;

import io.ecap.ops.drive.Driver;
import io.ecap.ops.drive.Tally;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.report.LatencyReport;
import java.io.PrintStream;
import org.HdrHistogram.Histogram;

/** Once a second during a traffic run: what was sent, what came back, and the last second's scoring latency. */
final class LiveProgress implements Runnable {
    private final PrintStream out;
    private final Tally tally;
    private final Driver driver;
    private long lastSent;

    LiveProgress(final PrintStream out, final Tally tally, final Driver driver) {
        this.out = out;
        this.tally = tally;
        this.driver = driver;
    }

    /** Starts counting the rate afresh, after the tally was reset (the end of a warm-up). */
    void restart() {
        lastSent = tally.sentTotal();
    }

    @Override
    public void run() {
        final long sent = tally.sentTotal();
        final Histogram second = tally.sample();
        final String latency = second.getTotalCount() == 0 ? "-" : String.format("p50 %s p99 %s",
            LatencyReport.duration(second.getValueAtPercentile(50)),
            LatencyReport.duration(second.getValueAtPercentile(99)));
        out.printf("%5.0fs  sent %,d (%,d/s)  scored %,d  events %,d  failed %,d  in flight %,d  latency %s%n",
            driver.elapsedSeconds(), sent, sent - lastSent, tally.sent(Kind.TRANSACTION, true),
            tally.sent(Kind.USER_EVENT, true) + tally.sent(Kind.PRODUCT_UPDATE, true) + tally.sent(Kind.LABEL, true),
            tally.failed(), driver.inFlight(), latency);
        lastSent = sent;
    }
}
