package io.ecap.analytics.fraud;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fraud team asks of a score on held-out transactions, beside ROC-AUC and PR-AUC: with a review team that can
 * look at the top {@code reviewShare} of transactions (the highest scores), how many of those are fraud (precision)
 * and how much of all fraud they hold (recall); and the score at or above which a chosen share of transactions would
 * be declined.
 *
 * <p>Rules: transactions are ranked by score, highest first; ties keep their input order (so a constant score gives
 * the base rate). The top {@code share} is the first {@code ceil(share * n)} transactions. The threshold for a
 * decline share is the score of the last transaction in that top: declining {@code score >= threshold} declines at
 * least that share (more when scores tie there).
 */
public final class RankMetrics {
    private final double[] scores;
    private final boolean[] fraud;
    private final Integer[] order;
    private final long frauds;

    public RankMetrics(final double[] scores, final boolean[] fraud) {
        if (scores.length != fraud.length || scores.length == 0) {
            throw new IllegalArgumentException("scores and labels: one each, at least one, found " + scores.length
                + " and " + fraud.length);
        }
        this.scores = scores.clone();
        this.fraud = fraud.clone();
        this.order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> this.scores[i]).reversed());
        long count = 0;
        for (final boolean f : fraud) {
            count += f ? 1 : 0;
        }
        this.frauds = count;
    }

    /** Transactions in the top {@code share} (0 < share <= 1): at least one. */
    public int top(final double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a share of transactions is above 0 and at most 1, found " + share);
        }
        return (int) Math.max(1, Math.ceil(share * scores.length - 1e-9));
    }

    private long fraudInTop(final int count) {
        long hits = 0;
        for (int i = 0; i < count; i++) {
            hits += fraud[order[i]] ? 1 : 0;
        }
        return hits;
    }

    /** Fraud among the top {@code share}. */
    public double precisionAt(final double share) {
        final int count = top(share);
        return (double) fraudInTop(count) / count;
    }

    /** Share of all fraud in the top {@code share}; NaN when there is no fraud at all. */
    public double recallAt(final double share) {
        return frauds == 0 ? Double.NaN : (double) fraudInTop(top(share)) / frauds;
    }

    /** The lowest score in the top {@code share}. */
    public double thresholdFor(final double share) {
        return scores[order[top(share) - 1]];
    }

    /** {@link #thresholdFor} for each share, in the order given. */
    public Map<Double, Double> thresholds(final List<Double> shares) {
        final Map<Double, Double> out = new LinkedHashMap<>();
        shares.forEach(share -> out.put(share, thresholdFor(share)));
        return out;
    }

    /** Share of the examples whose score is at least {@code threshold}: what declining from it would decline. */
    public double shareAtOrAbove(final double threshold) {
        long at = 0;
        for (final double score : scores) {
            at += score >= threshold ? 1 : 0;
        }
        return (double) at / scores.length;
    }

    public long frauds() {
        return frauds;
    }

    public int size() {
        return scores.length;
    }

    /** The mean score: for a calibrated probability, close to the fraud rate ({@link #frauds} over {@link #size}). */
    public double meanScore() {
        return Arrays.stream(scores).average().orElse(Double.NaN);
    }
}
