package io.ecap.model.churn;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One customer's purchases as the churn model reads them: the first and last purchase day, the days with a purchase
 * and the spend in all, and the spend of each purchase day of the last {@link #WINDOW_DAYS} days before a cutoff. The
 * lake publishes it as of the churn job's day; purchases after that day are added ({@link #plus}) and the features
 * computed at any later cutoff ({@link #features}) exactly as the churn job computes them: every purchase strictly
 * before the cutoff, days counted back from it. Money is given as decimals and kept as doubles, as the model reads it.
 */
public final class PurchaseDays {
    /** The churn model's features, in its order. */
    public static final List<String> FEATURES = List.of("recency_days", "tenure_days", "purchase_days", "spend",
        "mean_order", "purchase_days_30d", "purchase_days_90d", "spend_90d");
    /** The longest window a feature reads. */
    public static final int WINDOW_DAYS = 90;

    private final long firstDay;
    private final long lastDay;
    private final long days;
    private final double spend;
    private final TreeMap<Long, Double> recent;
    private final long knownFrom;

    /**
     * @param firstDay the first purchase day, as days since 1970-01-01
     * @param lastDay the last purchase day
     * @param days the days with a purchase
     * @param spend the spend of all of them
     * @param recent the spend of each purchase day from {@code knownFrom} on (days since 1970-01-01 to spend)
     * @param knownFrom the first day {@code recent} is complete from: the window's first day before the cutoff it was
     *     computed at ({@code Long.MIN_VALUE}: every day)
     */
    public PurchaseDays(final long firstDay, final long lastDay, final long days, final double spend,
        final Map<Long, Double> recent, final long knownFrom) {
        if (days < 1 || lastDay < firstDay) {
            throw new IllegalArgumentException("purchase days: " + days + " days from " + firstDay + " to " + lastDay);
        }
        this.firstDay = firstDay;
        this.lastDay = lastDay;
        this.days = days;
        this.spend = spend;
        this.recent = new TreeMap<>(recent);
        this.knownFrom = knownFrom;
    }

    /** One day's purchases alone, {@code amount} in all. */
    public static PurchaseDays first(final long day, final BigDecimal amount) {
        return new PurchaseDays(day, day, 1, amount.doubleValue(), Map.of(day, amount.doubleValue()), Long.MIN_VALUE);
    }

    /**
     * These purchase days and more purchases on {@code day}, of {@code amount} in the model's currency in all. A day
     * later than the last is a new purchase day; an earlier one (a payment that arrived late) adds to that day's spend
     * when it was a purchase day, and is a new one otherwise. Before {@code knownFrom} that cannot be told, except for
     * the first and the last purchase day: another day there counts as a new purchase day (such a day never comes back
     * into a window, so only the counts and the total can change).
     */
    public PurchaseDays plus(final long day, final BigDecimal amount) {
        final double daySpend = amount.doubleValue();
        final TreeMap<Long, Double> more = new TreeMap<>(recent);
        final Double before = more.get(day);
        if (day >= knownFrom) {
            more.put(day, before == null ? daySpend : before + daySpend);
        }
        final boolean purchaseDay = before != null || day == firstDay || day == lastDay;
        return new PurchaseDays(Math.min(firstDay, day), Math.max(lastDay, day), purchaseDay ? days : days + 1,
            spend + daySpend, more, knownFrom);
    }

    public long lastDay() {
        return lastDay;
    }

    /** The features at {@code cutoffDay} (after the last purchase day), in the order of {@link #FEATURES}. */
    public double[] features(final long cutoffDay) {
        if (cutoffDay <= lastDay) {
            throw new IllegalArgumentException("purchase days: cutoff " + cutoffDay + " not after the last purchase "
                + lastDay);
        }
        long days30 = 0;
        long days90 = 0;
        double spend90 = 0;
        for (final Map.Entry<Long, Double> day : recent.tailMap(cutoffDay - WINDOW_DAYS, true).entrySet()) {
            days90++;
            spend90 += day.getValue();
            if (day.getKey() >= cutoffDay - 30) {
                days30++;
            }
        }
        return new double[] {cutoffDay - lastDay, cutoffDay - firstDay, days, spend, spend / days, days30, days90,
            spend90};
    }
}
