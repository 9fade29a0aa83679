package io.ecap.ops.report;

import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.ops.generate.Scenario;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** What a scoring run saw, and its printed summary. Not thread-safe. */
public final class ScoreStats {
    private final long[] outcomes = new long[4];
    private final Map<String, Long> reasons = new TreeMap<>();
    private final Histogram engineNanos = new Histogram(3_600_000_000_000L, 3);
    private final Map<Scenario, long[]> scenarios = new EnumMap<>(Scenario.class);
    private long lines;
    private long rejected;
    private long refused;
    private long duplicates;
    private long otherShards;
    private long truePositives;
    private long falsePositives;
    private long falseNegatives;
    private long trueNegatives;

    public void line() {
        lines++;
    }

    /** A line that is not a valid transaction (malformed JSON, a field missing or wrong). */
    public void rejected() {
        rejected++;
    }

    /** A valid transaction the engine did not score (an idempotency conflict, an engine error). */
    public void refusal() {
        refused++;
    }

    /** A valid transaction of a customer another shard owns ({@code ecap score --shard}): left to that shard. */
    public void otherShard() {
        otherShards++;
    }

    public long otherShards() {
        return otherShards;
    }

    public long refused() {
        return refused;
    }

    public long scored() {
        return outcomes[1] + outcomes[2] + outcomes[3];
    }

    public long lines() {
        return lines;
    }

    /** Decisions with this outcome. */
    public long count(final Outcome outcome) {
        return outcomes[outcome.code()];
    }

    /** Of the payments caught (REVIEW or DECLINE), the share that were fraud; NaN before any was caught. */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** Of the fraudulent payments, the share caught; NaN before any fraud was scored. */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** Records one decision; {@code truth} is its scenario if known to be fraud, null if legitimate or unknown. */
    public void decision(final DecisionFlyweight d, final boolean duplicate, final Scenario truth,
        final boolean truthKnown) {
        if (duplicate) {
            duplicates++;
            return;
        }
        final Outcome outcome = d.outcome();
        outcomes[outcome.code()]++;
        engineNanos.recordValue(Math.max(0, d.engineNanos()));
        for (int i = 0; i < d.reasonCount(); i++) {
            reasons.merge(d.reasonCode(i), 1L, Long::sum);
        }
        if (!truthKnown) {
            return;
        }
        final boolean flagged = outcome != Outcome.APPROVE;
        if (truth != null) {
            final long[] counts = scenarios.computeIfAbsent(truth, s -> new long[2]);
            counts[0]++;
            counts[1] += flagged ? 1 : 0;
            if (flagged) {
                truePositives++;
            } else {
                falseNegatives++;
            }
        } else if (flagged) {
            falsePositives++;
        } else {
            trueNegatives++;
        }
    }

    public String progressLine(final double seconds) {
        return String.format("scored %,d (%,.0f/s)  approve %,d  review %,d  decline %,d  malformed %,d  refused %,d",
            scored(), scored() / Math.max(seconds, 1e-9), outcomes[1], outcomes[2], outcomes[3], rejected, refused);
    }

    public void print(final PrintStream out, final double seconds, final boolean truthKnown) {
        print(out, seconds, truthKnown, 0);
    }

    /**
     * The summary; {@code requests}: all the requests sent in those seconds when payments were only part of them
     * (clickstream, catalog, labels), so that the per-second figure reads as the traffic's share, not a speed.
     */
    public void print(final PrintStream out, final double seconds, final boolean truthKnown, final long requests) {
        final long scored = scored();
        final double perSecond = scored / Math.max(seconds, 1e-9);
        if (requests > scored) {
            out.printf("%nScored %,d transactions in %.1f s, %,.0f a second: the payments among %,d requests (%,.0f a "
                + "second); these rates are the traffic's, not a measure of speed%n", scored, seconds, perSecond,
                requests, requests / Math.max(seconds, 1e-9));
        } else {
            out.printf("%nScored %,d transactions in %.1f s (%,.0f per second)%n", scored, seconds, perSecond);
        }
        if (lines > 0) {
            out.printf("  lines read %,d: malformed (not a valid transaction) %,d, refused by the engine %,d, "
                + "repeats answered with their first decision %,d%n", lines, rejected, refused, duplicates);
            if (otherShards > 0) {
                out.printf("  payments of other shards' customers, left to them %,d%n", otherShards);
            }
        } else if (refused + duplicates > 0) {
            out.printf("  refused by the engine %,d, repeats answered with their first decision %,d%n", refused,
                duplicates);
        }
        for (final Outcome o : Outcome.values()) {
            out.printf("  %-8s %,10d  %5.1f%%%n", o, outcomes[o.code()], percent(outcomes[o.code()], scored));
        }
        if (scored > 0) {
            out.printf("%nEngine time per transaction (decode, features, rules, model, journal):%n");
            out.printf("  p50 %s   p90 %s   p99 %s   p99.9 %s   max %s%n", micros(50), micros(90), micros(99),
                micros(99.9), micros(100));
        }
        if (!reasons.isEmpty()) {
            out.printf("%nTop reasons:%n");
            reasons.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> out.printf("  %-26s %,10d%n", e.getKey(), e.getValue()));
        }
        if (truthKnown) {
            printTruth(out);
        }
    }

    private void printTruth(final PrintStream out) {
        out.printf("%nAgainst the ground truth (caught = REVIEW or DECLINE):%n");
        final Map<String, String> rows = new LinkedHashMap<>();
        for (final Map.Entry<Scenario, long[]> e : scenarios.entrySet()) {
            final long[] c = e.getValue();
            rows.put(e.getKey().name(), String.format("%,6d of %,6d  %5.1f%%", c[1], c[0], percent(c[1], c[0])));
        }
        rows.forEach((k, v) -> out.printf("  %-20s caught %s%n", k, v));
        out.printf("  precision %s   recall %s   (true positives %,d, false positives %,d, missed %,d, "
            + "legitimate approved %,d)%n", share(truePositives, truePositives + falsePositives, "nothing caught"),
            share(truePositives, truePositives + falseNegatives, "no fraud scored"), truePositives, falsePositives,
            falseNegatives, trueNegatives);
    }

    /** A share to three places, or "n/a" and why when there is nothing to divide by (a run of repeats only). */
    private static String share(final long part, final long whole, final String whyNone) {
        return whole == 0 ? "n/a (" + whyNone + ")"
            : String.format(java.util.Locale.ROOT, "%.3f", (double) part / whole);
    }

    private String micros(final double percentile) {
        return LatencyReport.duration(percentile >= 100 ? engineNanos.getMaxValue()
            : engineNanos.getValueAtPercentile(percentile));
    }

    private static double percent(final long part, final long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static double ratio(final long part, final long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    public Histogram engineNanos() {
        return engineNanos;
    }
}
