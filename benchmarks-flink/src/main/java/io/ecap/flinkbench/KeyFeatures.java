package io.ecap.flinkbench;

/**
 * What the job keeps per key (one card, or one customer) in Flink's keyed {@code ValueState}: the 60 s and 1 h
 * windows, a running mean and variance of the amounts, and the last location. A Flink POJO.
 *
 * <p>Windows are bucketed as ECAP's own (io.ecap.hotpath.state.WindowSpec): a ring of {@link #BUCKETS} buckets of
 * 5 s (the 60 s window) and of 5 min (the 1 h window), driven by each event's own timestamp; an event enters its
 * bucket when it is processed and leaves when the key's newest event moves the ring {@link #BUCKETS} buckets past
 * it. No timers, no watermarks: a late event is counted while its bucket is still in the ring, else ignored by that
 * window only.
 */
public class KeyFeatures {
    public static final int BUCKETS = 12;
    public static final long MINUTE_BUCKET_MS = 5_000L;
    public static final long HOUR_BUCKET_MS = 300_000L;
    /** Earlier amounts a key needs before its z-score is computed. */
    public static final int MIN_HISTORY = 5;
    /** Shortest time between two locations for the speed: two places at the same instant read as 1 s apart. */
    public static final long MIN_TRAVEL_MS = 1_000L;
    private static final double EARTH_RADIUS_KM = 6_371.0;

    public long minuteHead;
    public long[] minuteCounts = new long[BUCKETS];
    public double[] minuteSums = new double[BUCKETS];
    public long hourHead;
    public long[] hourCounts = new long[BUCKETS];
    public double[] hourSums = new double[BUCKETS];

    /** Welford's running mean and sum of squared deviations of the amounts. */
    public long amounts;
    public double mean;
    public double m2;

    public boolean hasLocation;
    public long lastLocationTs;
    public double lastLat;
    public double lastLon;

    /** Set by {@link #apply}: the features of the transaction just applied. */
    public transient long count60s;
    public transient double sum60s;
    public transient long count1h;
    public transient double sum1h;
    public transient double z;
    public transient double kmh;

    public KeyFeatures() {
    }

    /**
     * Applies one transaction and leaves its features in {@link #count60s}, {@link #sum60s}, {@link #count1h},
     * {@link #sum1h} (the windows include it), {@link #z} (against the amounts before it) and {@link #kmh}.
     */
    public void apply(final Txn t) {
        final long minuteBucket = Math.floorDiv(t.ts, MINUTE_BUCKET_MS);
        if (add(minuteHead, minuteCounts, minuteSums, minuteBucket, t.amount)) {
            minuteHead = Math.max(minuteHead, minuteBucket);
        }
        final long hourBucket = Math.floorDiv(t.ts, HOUR_BUCKET_MS);
        if (add(hourHead, hourCounts, hourSums, hourBucket, t.amount)) {
            hourHead = Math.max(hourHead, hourBucket);
        }
        count60s = total(minuteCounts);
        sum60s = total(minuteSums);
        count1h = total(hourCounts);
        sum1h = total(hourSums);

        z = Double.NaN;
        if (amounts >= MIN_HISTORY) {
            final double sd = Math.sqrt(m2 / (amounts - 1));
            if (sd > 0) {
                z = (t.amount - mean) / sd;
            }
        }
        amounts++;
        final double delta = t.amount - mean;
        mean += delta / amounts;
        m2 += delta * (t.amount - mean);

        kmh = 0;
        if (t.hasLocation()) {
            if (hasLocation) {
                final double km = haversineKm(lastLat, lastLon, t.lat, t.lon);
                final long ms = Math.max(MIN_TRAVEL_MS, Math.abs(t.ts - lastLocationTs));
                kmh = km / (ms / 3_600_000.0);
            }
            if (!hasLocation || t.ts >= lastLocationTs) {
                hasLocation = true;
                lastLocationTs = t.ts;
                lastLat = t.lat;
                lastLon = t.lon;
            }
        }
    }

    /** Adds to the ring whose head is {@code head}; false if the event's bucket already left it. */
    private static boolean add(final long head, final long[] counts, final double[] sums, final long bucket,
            final double amount) {
        if (head == 0 || bucket >= head + BUCKETS) {
            java.util.Arrays.fill(counts, 0);
            java.util.Arrays.fill(sums, 0);
        } else if (bucket > head) {
            for (long b = head + 1; b <= bucket; b++) {
                final int slot = (int) Math.floorMod(b, (long) BUCKETS);
                counts[slot] = 0;
                sums[slot] = 0;
            }
        } else if (bucket <= head - BUCKETS) {
            return false;
        }
        final int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
        counts[slot]++;
        sums[slot] += amount;
        return true;
    }

    private static long total(final long[] values) {
        long total = 0;
        for (final long v : values) {
            total += v;
        }
        return total;
    }

    private static double total(final double[] values) {
        double total = 0;
        for (final double v : values) {
            total += v;
        }
        return total;
    }

    /** Great-circle distance in km. */
    public static double haversineKm(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double dLat = Math.toRadians(lat2 - lat1);
        final double dLon = Math.toRadians(lon2 - lon1);
        final double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }
}
