package io.ecap.hotpath.state;

/**
 * Byte layout of one entity's state: the state part of its {@link EntityTable} record, updated in place by the single
 * writer, with its previous bytes saved in the {@link UndoLog} first. All fields are little-endian. Only the hour and
 * day windows sum amounts (the features read no other sums), which keeps the state at eleven cache lines.
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
 *   96     windows, in WindowSpec order, each an i64 head bucket and i32 counts[12], followed by i64 sums[12]
 *          (US cents) for the windows that sum amounts:
 *   96       1m   counts only (56 bytes)
 *   152      1h   counts and sums (152 bytes)
 *   304      24h  counts and sums
 *   456      7d   counts only
 *   512      clicks 1h, counts only
 *   568    i32  distinct counterpart hashes[16] (0: empty)
 *   632    i32  distinct counterpart last seen, epoch seconds[16]
 *   696    u32  profile: predicted lifetime value in whole US dollars, plus one (0: none; customers only, like
 *               the three below: see EntityUpdater#applyProfile)
 *   700    u16  profile: lifetime orders plus one (0: none)
 *   702    u8   profile: churn risk in steps of 1/250, plus one (0: none)
 *   703    u8   profile: RFM segment code (io.ecap.model.field.Segments; 0: none)
 * </pre>
 */
public final class EntityLayout {
    public static final int LENGTH = 704;

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
    /** Bytes of a window that counts only; one that sums too is {@link #WINDOW_WITH_SUMS} bytes. */
    public static final int WINDOW_COUNTS_ONLY = WINDOW_SUMS;
    public static final int WINDOW_WITH_SUMS = WINDOW_SUMS + WindowSpec.BUCKETS * 8;
    /** Offset of each window by ordinal, one after the other in {@link WindowSpec} order. */
    private static final int[] WINDOW_OFFSETS = new int[WindowSpec.ALL.length];
    public static final int SKETCH_SIZE = 16;
    public static final int SKETCH_HASHES;

    static {
        int at = WINDOWS;
        for (final WindowSpec w : WindowSpec.ALL) {
            WINDOW_OFFSETS[w.ordinal()] = at;
            at += w.hasSums() ? WINDOW_WITH_SUMS : WINDOW_COUNTS_ONLY;
        }
        SKETCH_HASHES = at;
    }

    public static final int SKETCH_SEEN = SKETCH_HASHES + SKETCH_SIZE * 4;
    public static final int PROFILE_CLV = SKETCH_SEEN + SKETCH_SIZE * 4;
    public static final int PROFILE_ORDERS = PROFILE_CLV + 4;
    public static final int PROFILE_CHURN = PROFILE_ORDERS + 2;
    public static final int PROFILE_SEGMENT = PROFILE_CHURN + 1;
    public static final int USED = PROFILE_SEGMENT + 1;

    static {
        if (USED > LENGTH || LENGTH % 64 != 0) {
            throw new AssertionError("entity layout does not fit: " + USED);
        }
    }

    private EntityLayout() {
    }

    /** Offset of a window (see the layout above). */
    public static int windowOffset(final WindowSpec w) {
        return WINDOW_OFFSETS[w.ordinal()];
    }
}
