package io.ecap.hotpath.state;

/**
 * The sliding windows, as rings of {@link #BUCKETS} equal buckets.
 *
 * <p>Exact semantics, for an entity whose newest event time so far is {@code t} (its head bucket
 * {@code h = floor(t / bucketMs)}): a window counts and sums exactly the applied events whose own bucket
 * {@code floor(ts / bucketMs)} lies in {@code (h - BUCKETS, h]}. So the one-minute window covers between 55 and 60
 * seconds of event time, the hour 55-60 minutes, the day 22-24 hours and the week 6 days 10 hours to 7 days. An event
 * enters its bucket when it is applied and leaves when the head moves {@link #BUCKETS} buckets past it. A late event
 * (older than the head) is counted if its bucket is still in the ring, and otherwise ignored by that window only; the
 * allowed lateness is therefore {@code BUCKETS - 1} buckets per window. Time is always the event's own timestamp.
 */
public enum WindowSpec {
    MINUTE("1m", 5_000L, false),
    HOUR("1h", 300_000L, true),
    DAY("24h", 7_200_000L, true),
    WEEK("7d", 50_400_000L, false),
    /** Clickstream events of a customer over the last hour (counts only). */
    CLICKS_HOUR("clicks_1h", 300_000L, false);

    public static final int BUCKETS = 12;
    public static final WindowSpec[] ALL = values();
    /** The windows over transactions (the clicks window is fed by user events). */
    public static final WindowSpec[] TRANSACTION_WINDOWS = {MINUTE, HOUR, DAY, WEEK};

    private final String suffix;
    private final long bucketMs;
    private final boolean sums;

    WindowSpec(final String suffix, final long bucketMs, final boolean sums) {
        this.suffix = suffix;
        this.bucketMs = bucketMs;
        this.sums = sums;
    }

    /** True if the window sums amounts as well as counting events (the hour and the day: the features use no other). */
    public boolean hasSums() {
        return sums;
    }

    public String suffix() {
        return suffix;
    }

    public long bucketMs() {
        return bucketMs;
    }

    /** Nominal length of the window. */
    public long lengthMs() {
        return bucketMs * BUCKETS;
    }

    public long bucketOf(final long tsMs) {
        return Math.floorDiv(tsMs, bucketMs);
    }

    /** The bucket of {@code tsMs} in each of the {@link #TRANSACTION_WINDOWS}, in their order, into {@code out}. */
    public static void transactionBuckets(final long tsMs, final long[] out) {
        for (int i = 0; i < TRANSACTION_WINDOWS.length; i++) {
            out[i] = TRANSACTION_WINDOWS[i].bucketOf(tsMs);
        }
    }
}
