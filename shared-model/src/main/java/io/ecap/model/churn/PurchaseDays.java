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
 * before the cutoff, days counted back from it.
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

    /**
     * @param firstDay the first purchase day, as days since 1970-01-01
     * @param lastDay the last purchase day
     * @param days the days with a purchase
     * @param spend the spend of all of them, each day's sum taken as a double first (as the job does)
     * @param recent the spend of each purchase day in the window before the cutoff it was computed at (days since
     *     1970-01-01 to spend)
     */
    public PurchaseDays(final long firstDay, final long lastDay, final long days, final double spend,
        final Map<Long, Double> recent) {
        if (days < 1 || lastDay < firstDay) {
            throw new IllegalArgumentException("purchase days: " + days + " days from " + firstDay + " to " + lastDay);
        }
        this.firstDay = firstDay;
        this.lastDay = lastDay;
        this.days = days;
        this.spend = spend;
        this.recent = new TreeMap<>(recent);
    }

    /**
     * These purchase days and one more day's purchases (later than every day here), of {@code amount} in the
     * model's currency in all.
     */
    public PurchaseDays plus(final long day, final BigDecimal amount) {
        if (day <= lastDay) {
            throw new IllegalArgumentException("purchase days: day " + day + " is not after the last one, " + lastDay);
        }
        final double daySpend = amount.doubleValue();
        final TreeMap<Long, Double> more = new TreeMap<>(recent);
        more.put(day, daySpend);
        return new PurchaseDays(firstDay, day, days + 1, spend + daySpend, more);
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
