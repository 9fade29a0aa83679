package io.ecap.ops.drive;

import io.ecap.model.ValidationException;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.json.DecisionJson;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.Scenario;
import io.ecap.ops.report.LatencyReport;
import io.ecap.ops.report.ScoreStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a traffic run saw, safe to feed from many event loops: answers per kind, failures by status and error,
 * decisions against the ground truth, and latency from each request's intended send time to its answer.
 */
public final class Tally {
    private static final long MAX_NS = 3_600_000_000_000L;

    private final Recorder scoreLatency = new Recorder(MAX_NS, 3);
    private final Recorder otherLatency = new Recorder(MAX_NS, 3);
    private final Histogram scoreTotal = new Histogram(MAX_NS, 3);
    private final Histogram otherTotal = new Histogram(MAX_NS, 3);
    private final LongAdder[] sent = adders();
    private final LongAdder[] accepted = adders();
    private final Map<String, Long> failures = new TreeMap<>();
    private final Map<String, Long> warmUpFailures = new TreeMap<>();
    private long warmUpSent;
    private ScoreStats stats = new ScoreStats();
    private final DecisionJson decisionJson = new DecisionJson();
    private final ExpandableArrayBuffer decoded = new ExpandableArrayBuffer(512);
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final boolean truthKnown;
    private final Hiccups hiccups = Hiccups.shared();
    private Histogram hiccupsStart = hiccups.histogram();
    private Histogram interval;

    /** @param truthKnown whether the traffic carries its ground truth (generated traffic does) */
    public Tally(final boolean truthKnown) {
        this.truthKnown = truthKnown;
    }

    private static LongAdder[] adders() {
        final LongAdder[] a = new LongAdder[GeneratedEvent.Kind.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Forgets the latency recorded so far, keeping the counts and decisions (after a warm-up). */
    public synchronized void resetLatency() {
        hiccupsStart = hiccups.histogram();
        scoreLatency.reset();
        otherLatency.reset();
        scoreTotal.reset();
        otherTotal.reset();
    }

    /**
     * Ends a warm-up: forgets the latency, counts and decisions recorded so far, but keeps what was sent and what
     * failed, so that {@link #failure()} and {@link #print} still report a request that failed while warming up.
     */
    public synchronized void endWarmUp() {
        warmUpSent += sentTotal();
        failures.forEach((what, n) -> warmUpFailures.merge(what, n, Long::sum));
        reset();
    }

    /** Forgets everything recorded so far, warm-up failures excepted. */
    public synchronized void reset() {
        hiccupsStart = hiccups.histogram();
        scoreLatency.reset();
        otherLatency.reset();
        scoreTotal.reset();
        otherTotal.reset();
        for (int i = 0; i < sent.length; i++) {
            sent[i].reset();
            accepted[i].reset();
        }
        failures.clear();
        stats = new ScoreStats();
    }

    void sent(final GeneratedEvent.Kind kind) {
        sent[kind.ordinal()].increment();
    }

    /** A scoring answer: the decision document (as JSON) that came back for a transaction. */
    void decision(final byte[] json, final Scenario truth, final long latencyNs) {
        scoreLatency.recordValue(Math.min(MAX_NS, Math.max(0, latencyNs)));
        accepted[GeneratedEvent.Kind.TRANSACTION.ordinal()].increment();
        synchronized (this) {
            try {
                final int length = decisionJson.parse(new UnsafeBuffer(json), 0, json.length, decoded, 0);
                decision.wrapForDecode(decoded, 0, length);
                stats.decision(decision, false, truth, truthKnown);
            } catch (final ValidationException e) {
                failure("unreadable decision: " + e.getMessage());
            }
        }
    }

    /** Any other accepted input (event, product update, label). */
    void accepted(final GeneratedEvent.Kind kind, final long latencyNs) {
        otherLatency.recordValue(Math.min(MAX_NS, Math.max(0, latencyNs)));
        accepted[kind.ordinal()].increment();
    }

    /** A refusal or a transport failure, by what it was ({@code "503 saturated"}, {@code "400 ts: ..."}). */
    void failure(final String what) {
        failure(what, 1);
    }

    synchronized void failure(final String what, final long count) {
        failures.merge(what, count, Long::sum);
    }

    public long sent(final GeneratedEvent.Kind kind, final boolean onlyAccepted) {
        return (onlyAccepted ? accepted : sent)[kind.ordinal()].sum();
    }

    public long sentTotal() {
        long n = 0;
        for (final LongAdder a : sent) {
            n += a.sum();
        }
        return n;
    }

    public synchronized long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Why a run that sent to a server failed, or null if every request was answered as it should be. The rule of
     * {@code ecap load} and {@code ecap generate --url}: a single refused, failed or unanswered request (or an
     * answer that is not a decision) fails the run, since its numbers would no longer describe what was asked for.
     */
    public synchronized String failure() {
        final long failed = failed();
        final long warmUpFailed = warmUpFailures.values().stream().mapToLong(Long::longValue).sum();
        if (failed == 0 && warmUpFailed == 0) {
            return null;
        }
        final String warmUp = warmUpFailed == 0 ? "" : String.format("%,d of %,d requests failed during the warm-up",
            warmUpFailed, warmUpSent);
        final String measured = failed == 0 ? "" : String.format("%,d of %,d requests failed", failed, sentTotal());
        return (warmUp.isEmpty() ? measured : measured.isEmpty() ? warmUp : measured + " and " + warmUp)
            + " (refused, failed, unanswered or not a decision; what they were is listed above)";
    }

    /** Moves what was recorded since the last call into the totals; returns the scoring latency of that interval. */
    public synchronized Histogram sample() {
        interval = scoreLatency.getIntervalHistogram(interval);
        scoreTotal.add(interval);
        otherTotal.add(otherLatency.getIntervalHistogram());
        return interval;
    }

    /** Scoring latency (intended send to decision received) of the whole run so far, in nanoseconds. */
    public synchronized Histogram scoreLatency() {
        sample();
        return scoreTotal.copy();
    }

    public synchronized Histogram otherLatency() {
        sample();
        return otherTotal.copy();
    }

    public synchronized ScoreStats stats() {
        return stats;
    }

    /** What was sent and answered, the decisions against the truth, latency, and every kind of failure. */
    public synchronized void print(final PrintStream out, final double seconds) {
        final boolean mixed = sentTotal() > sent(GeneratedEvent.Kind.TRANSACTION, false);
        stats.print(out, seconds, truthKnown, mixed ? sentTotal() : 0);
        out.printf("%nSent and accepted:%n");
        for (final GeneratedEvent.Kind kind : GeneratedEvent.Kind.values()) {
            if (sent(kind, false) > 0) {
                out.printf("  %-15s %,10d sent  %,10d accepted  (%s)%n", kind.name().toLowerCase(Locale.ROOT),
                    sent(kind, false), sent(kind, true), kind.path());
            }
        }
        final Histogram score = scoreLatency();
        if (score.getTotalCount() > 0) {
            out.printf("%nScoring latency seen by the client, from each request's intended send time:%n  %s%n",
                LatencyReport.summary(score));
        }
        final Histogram other = otherLatency();
        if (other.getTotalCount() > 0) {
            out.printf("Other inputs (events, products, labels):%n  %s%n", LatencyReport.summary(other));
        }
        final Histogram stalls = hiccups.since(hiccupsStart);
        if (stalls.getTotalCount() > 0 && score.getTotalCount() + other.getTotalCount() > 0) {
            out.printf("This tool's own stalls (a thread sleeping 1 ms at a time, the time beyond it; counted in the "
                + "latency above as if the server had taken it):%n  p99 %s  p99.9 %s  max %s%n",
                LatencyReport.duration(stalls.getValueAtPercentile(99)),
                LatencyReport.duration(stalls.getValueAtPercentile(99.9)),
                LatencyReport.duration(stalls.getMaxValue()));
        }
        if (!failures.isEmpty()) {
            out.printf("%nRefused or failed requests:%n");
            failures.forEach((what, n) -> out.printf("  %,10d  %s%n", n, what));
            if (failures.keySet().stream().anyMatch(what -> what.contains("idempotency_conflict"))) {
                out.printf("  (idempotency_conflict: those txnIds were already used for other payments in this "
                    + "service, most likely by an earlier run of the same --seed, ecap demo's included: give "
                    + "another --seed)%n");
            }
        }
        if (warmUpSent > 0) {
            final long warmUpFailed = warmUpFailures.values().stream().mapToLong(Long::longValue).sum();
            out.printf("%nWarm-up (not measured): %,d sent, %,d failed%n", warmUpSent, warmUpFailed);
            warmUpFailures.forEach((what, n) -> out.printf("  %,10d  %s%n", n, what));
        }
    }
}
