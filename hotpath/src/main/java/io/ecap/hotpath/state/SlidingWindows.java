package io.ecap.hotpath.state;

/** The ring-of-buckets windows of {@link WindowSpec}, over an {@link EntityState}. */
public final class SlidingWindows {
    private SlidingWindows() {
    }

    /**
     * Adds an event to a window. Returns false if the event is too late for this window (its bucket already left the
     * ring), in which case the window is unchanged.
     */
    public static boolean add(final EntityState s, final WindowSpec w, final long tsMs, final long amount) {
        return addToBucket(s, w, w.bucketOf(tsMs), amount);
    }

    /**
     * {@link #add} for an event whose bucket in this window, {@link WindowSpec#bucketOf}, is already known: the writer
     * computes it once per transaction for all five entities (a 64-bit division each).
     */
    public static boolean addToBucket(final EntityState s, final WindowSpec w, final long bucket, final long amount) {
        final long head = s.windowHead(w);
        if (head == 0) {
            s.windowHead(w, bucket); // never used: every bucket is still zero (event times start in 2000)
        } else if (bucket >= head + WindowSpec.BUCKETS) {
            s.clearWindow(w);
            s.windowHead(w, bucket);
        } else if (bucket > head) {
            for (long b = head + 1; b <= bucket; b++) {
                clearBucket(s, w, slotOf(b));
            }
            s.windowHead(w, bucket);
        } else if (bucket <= head - WindowSpec.BUCKETS) {
            return false;
        }
        final int slot = slotOf(bucket);
        s.bucketCount(w, slot, s.bucketCount(w, slot) + 1);
        if (w.hasSums()) {
            s.bucketSum(w, slot, s.bucketSum(w, slot) + amount);
        }
        return true;
    }

    /** Events in the window, as of the entity's newest event. */
    public static long count(final EntityState s, final WindowSpec w) {
        long total = 0;
        for (int i = 0; i < WindowSpec.BUCKETS; i++) {
            total += s.bucketCount(w, i);
        }
        return total;
    }

    /** Sum of the amounts in the window (US cents), as of the entity's newest event. */
    public static long sum(final EntityState s, final WindowSpec w) {
        if (!w.hasSums()) {
            throw new IllegalArgumentException(w + " counts only");
        }
        long total = 0;
        for (int i = 0; i < WindowSpec.BUCKETS; i++) {
            total += s.bucketSum(w, i);
        }
        return total;
    }

    /**
     * Events in the window as seen at {@code tsMs}: those in buckets {@code (b(ts) - 12, b(ts)]} that the ring still
     * holds. Used for windows fed by other events than the one being scored (clicks).
     */
    public static long countAt(final EntityState s, final WindowSpec w, final long tsMs) {
        final long head = s.windowHead(w);
        if (head == 0) {
            return 0;
        }
        final long at = w.bucketOf(tsMs);
        long total = 0;
        for (int k = 0; k < WindowSpec.BUCKETS; k++) {
            final long bucket = head - k;
            if (bucket > at - WindowSpec.BUCKETS && bucket <= at) {
                total += s.bucketCount(w, slotOf(bucket));
            }
        }
        return total;
    }

    private static void clearBucket(final EntityState s, final WindowSpec w, final int slot) {
        s.bucketCount(w, slot, 0);
        if (w.hasSums()) {
            s.bucketSum(w, slot, 0);
        }
    }

    private static int slotOf(final long bucket) {
        return (int) Math.floorMod(bucket, (long) WindowSpec.BUCKETS);
    }
}
