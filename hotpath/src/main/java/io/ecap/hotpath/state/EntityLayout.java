package io.ecap.hotpath.state;

/**
 * Byte layout of one entity's state: the whole value of its Chronicle Map entry, updated in place by the single
 * writer under the entry's write lock, with its previous bytes saved in the {@link UndoLog} first. All fields are
 * little-endian.
 *
 * <pre>
 *   0      i64  journal index of the last event applied (0: none)
 *   8      i64  first seen, epoch ms (0: never)
 *   16     i64  last seen, epoch ms (the newest event time)
 *   24     i64  transactions applied
 *   32     f64  amount mean, US cents (see EntityUpdater)
 *   40     f64  amount variance, US cents squared
 *   48     f64  last latitude (NaN: none)
 *   56     f64  last longitude
 *   64     i64  time of the last location, epoch ms
 *   72     i32  last country (packed ISO 3166, 0: none)
 *   76     i32  declines in a row
 *   80     i32  transactions labelled FRAUD
 *   84     i32  declines in total
 *   88     i64  out-of-order events (older than last seen)
 *   96     4 transaction windows x 152 bytes: i64 head bucket, i32 counts[12], i64 sums[12] (US cents)
 *   704    clicks window, 56 bytes: i64 head bucket, i32 counts[12]
 *   760    i32  distinct counterpart hashes[16] (0: empty)
 *   824    i32  distinct counterpart last seen, epoch seconds[16]
 *   888    reserved
 * </pre>
 */
public final class EntityLayout {
    public static final int LENGTH = 896;

    public static final int LAST_APPLIED_INDEX = 0;
    public static final int FIRST_SEEN_MS = 8;
    public static final int LAST_SEEN_MS = 16;
    public static final int TXN_COUNT = 24;
    public static final int AMOUNT_MEAN = 32;
    public static final int AMOUNT_VARIANCE = 40;
    public static final int LAST_LAT = 48;
    public static final int LAST_LON = 56;
    public static final int LAST_LOCATION_MS = 64;
    public static final int LAST_COUNTRY = 72;
    public static final int CONSECUTIVE_DECLINES = 76;
    public static final int FRAUD_LABELS = 80;
    public static final int DECLINES = 84;
    public static final int OUT_OF_ORDER = 88;
    public static final int WINDOWS = 96;
    public static final int WINDOW_COUNTS = 8;
    public static final int WINDOW_SUMS = WINDOW_COUNTS + WindowSpec.BUCKETS * 4;
    public static final int WINDOW_LENGTH = WINDOW_SUMS + WindowSpec.BUCKETS * 8;
    public static final int CLICKS_WINDOW = WINDOWS + 4 * WINDOW_LENGTH;
    public static final int SKETCH_SIZE = 16;
    public static final int SKETCH_HASHES = CLICKS_WINDOW + WINDOW_SUMS;
    public static final int SKETCH_SEEN = SKETCH_HASHES + SKETCH_SIZE * 4;
    public static final int USED = SKETCH_SEEN + SKETCH_SIZE * 4;

    static {
        if (USED > LENGTH || WindowSpec.TRANSACTION_WINDOWS.length != 4) {
            throw new AssertionError("entity layout does not fit: " + USED);
        }
    }

    private EntityLayout() {
    }

    /** Offset of each window by ordinal: the four transaction windows in order, then the clicks window. */
    private static final int[] WINDOW_OFFSETS = new int[WindowSpec.ALL.length];

    static {
        for (final WindowSpec w : WindowSpec.ALL) {
            WINDOW_OFFSETS[w.ordinal()] = w.hasSums() ? WINDOWS + w.ordinal() * WINDOW_LENGTH : CLICKS_WINDOW;
        }
    }

    /** Offset of a window: the four transaction windows in order, then the clicks window (counts only). */
    public static int windowOffset(final WindowSpec w) {
        return WINDOW_OFFSETS[w.ordinal()];
    }
}
