package io.ecap.hotpath.state;

/**
 * Byte layout of one entity's value in its Chronicle Map: a one-byte selector and two copies ("slots") of the entity
 * state. The engine copies the active slot into the other, updates that copy, journals, and only then flips the
 * selector with a single ordered byte store, so a process killed at any moment leaves either the old or the new state
 * and never a torn one. All fields are little-endian.
 *
 * <pre>
 * value (2240 bytes):
 *   0      u8   active slot (0 or 1)
 *   1      u8   layout version (1)
 *   64     slot 0 (1088 bytes)
 *   1152   slot 1 (1088 bytes)
 *
 * slot:
 *   0      i64  journal index of the last event applied (0: none)
 *   8      i64  first seen, epoch ms (0: never)
 *   16     i64  last seen, epoch ms (the newest event time)
 *   24     i64  transactions applied
 *   32     f64  amount mean, US cents (exponentially weighted, see EntityUpdater)
 *   40     f64  amount variance, US cents squared
 *   48     f64  last latitude (NaN: none)
 *   56     f64  last longitude
 *   64     i64  time of the last location, epoch ms
 *   72     i32  last country (packed ISO 3166, 0: none)
 *   76     i32  declines in a row
 *   80     i32  transactions labelled FRAUD
 *   84     i32  declines in total
 *   88     i64  out-of-order events (older than last seen)
 *   96     5 windows x 152 bytes: i64 head bucket, i32 counts[12], i64 sums[12] (US cents)
 *   856    i64  distinct counterpart hashes[16] (0: empty)
 *   984    i32  distinct counterpart last seen, epoch seconds[16]
 *   1048   reserved
 * </pre>
 */
public final class EntityLayout {
    public static final int SELECTOR_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int LAYOUT_VERSION = 1;
    public static final int SLOT0_OFFSET = 64;
    public static final int SLOT_LENGTH = 1088;
    public static final int VALUE_LENGTH = SLOT0_OFFSET + 2 * SLOT_LENGTH;

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
    public static final int WINDOW_LENGTH = 8 + WindowSpec.BUCKETS * 4 + WindowSpec.BUCKETS * 8;
    public static final int WINDOW_COUNTS = 8;
    public static final int WINDOW_SUMS = 8 + WindowSpec.BUCKETS * 4;
    public static final int SKETCH_SIZE = 16;
    public static final int SKETCH_HASHES = WINDOWS + 5 * WINDOW_LENGTH;
    public static final int SKETCH_SEEN = SKETCH_HASHES + SKETCH_SIZE * 8;
    public static final int SLOT_USED = SKETCH_SEEN + SKETCH_SIZE * 4;

    static {
        if (SLOT_USED > SLOT_LENGTH || WindowSpec.ALL.length != 5) {
            throw new AssertionError("entity slot layout does not fit: " + SLOT_USED);
        }
    }

    private EntityLayout() {
    }

    /** Offset of window {@code w} inside a slot. */
    public static int windowOffset(final WindowSpec w) {
        return WINDOWS + w.ordinal() * WINDOW_LENGTH;
    }
}
