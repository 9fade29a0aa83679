package io.ecap.hotpath.journal;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Journal entry: a scored transaction. Type id 16, version 2, or 4 when the challenger's decision follows in the
 * next entry ({@link ShadowEntryFlyweight}); versions 1 and 3 (the challenger's decision inside the entry, written
 * before 2026-12-06) are still read. It carries everything a replay, a backtest or the model trainer needs to see
 * exactly what the engine saw.
 *
 * <pre>
 *   0   header (8 bytes, type 16)
 *   8   u16 feature count      10  u16 feature set version
 *   12  u32 where the shadow's decision starts, from the entry's start (version 3; 0 otherwise)
 *   16  transaction message (its own header and length)
 *   ..  decision message (journalIndex 0: the entry's own index is its journal index)
 *   ..  feature tags, 4 bits per feature, 2 per byte (feature i in the low nibble of byte i/2 when i is even):
 *         0 missing (NaN), 1 zero, 2 a whole number, 3 a whole number of hundredths (an amount in dollars and
 *         cents), 4 any other value
 *   ..  feature values for tags 2 to 4, in feature order: tags 2 and 3 a zig-zag LEB128 varint (of the value, or of
 *       the value times 100; at most 7 bytes), tag 4 an f64
 *   ..  version 3: the shadow's decision message (the challenger's outcome, score, versions and reasons; its engine
 *       time 0), to the entry's end
 * </pre>
 *
 * Version 1 had 2-bit tags (0 missing, 1 zero, 2 whole number as i32, 3 f64), 4 per byte.
 *
 * <p>The encoding is lossless: a value takes a varint only if decoding it gives back the same bits, so a decoded
 * vector equals the engine's bit for bit (missing values decode as the canonical NaN). Most features are counts or
 * dollar amounts, so a vector takes about half the bytes of version 1.
 */
public final class ScoredEntryFlyweight {
    public static final int TYPE_ID = EntryType.SCORED;
    public static final int VERSION = 2;
    /** The version of an entry that carries the shadow's decision. */
    public static final int VERSION_WITH_SHADOW = 3;
    /** The version of an entry whose challenger's decision is the next entry in the journal. */
    public static final int VERSION_SHADOW_FOLLOWS = 4;
    private static final int SHADOW_OFFSET = 12;
    public static final int FEATURE_COUNT_OFFSET = 8;
    public static final int FEATURE_VERSION_OFFSET = 10;
    public static final int TRANSACTION_OFFSET = 16;
    private static final boolean NATIVE_ORDER = ORDER == java.nio.ByteOrder.nativeOrder();

    private DirectBuffer buffer;
    private MutableDirectBuffer mutable;
    private int offset;
    private int decisionOffset;
    private int featuresOffset;
    private int length;
    private int version;
    /** Checks a shadow decision's length when an entry is wrapped. */
    private final DecisionFlyweight shadowDecision = new DecisionFlyweight();

    /** Starts an entry; write the transaction at {@link #transactionOffset()} next. */
    public ScoredEntryFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        this.buffer = target;
        this.mutable = target;
        this.offset = at;
        target.putShort(at + MessageHeader.TYPE_ID_OFFSET, (short) TYPE_ID, ORDER);
        target.putShort(at + MessageHeader.VERSION_OFFSET, (short) VERSION, ORDER);
        target.putInt(at + SHADOW_OFFSET, 0, ORDER);
        version = VERSION;
        return this;
    }

    public int transactionOffset() {
        return offset + TRANSACTION_OFFSET;
    }

    /** Records the transaction's length; the decision goes at {@link #decisionOffset()}. */
    public ScoredEntryFlyweight transactionLength(final int txnLength) {
        decisionOffset = transactionOffset() + txnLength;
        return this;
    }

    public int decisionOffset() {
        return decisionOffset;
    }

    /** Records the decision's length and appends the features; returns the entry's total length. */
    public int finish(final int decisionLength, final double[] features, final int featureCount,
        final int featureVersion) {
        featuresOffset = decisionOffset + decisionLength;
        mutable.putShort(offset + FEATURE_COUNT_OFFSET, (short) featureCount, ORDER);
        mutable.putShort(offset + FEATURE_VERSION_OFFSET, (short) featureVersion, ORDER);
        final int tagBytes = (featureCount + 1) / 2;
        // room for the longest vector (every value an f64; an expandable buffer grows), then unchecked writes
        mutable.checkLimit(featuresOffset + tagBytes + featureCount * 8);
        final byte[] array = mutable.byteArray();
        final long base = mutable.addressOffset();
        long at = base + featuresOffset + tagBytes;
        int tags = 0;
        for (int i = 0; i < featureCount; i++) {
            final double x = features[i];
            final int tag;
            if (x != x) {
                tag = TAG_MISSING;
            } else {
                final long bits = Double.doubleToRawLongBits(x);
                final long whole = (long) x;
                if (bits == 0) {
                    tag = TAG_ZERO;
                } else if (bits == Double.doubleToRawLongBits(whole) && fitsVarint(whole)) {
                    tag = TAG_WHOLE;
                    at = putVarint(array, at, whole);
                } else {
                    final double scaled = x * 100.0;
                    final long hundredths = (long) Math.rint(scaled);
                    // the division proves a value of hundredths exact; most other values (ratios, z-scores) are far
                    // from a whole number of hundredths and skip it. An x that is hundredths / 100 comes back within
                    // a few units in the last place of hundredths when multiplied by 100: well within the slack
                    if (Math.abs(scaled - hundredths) <= CENTS_SLACK * Math.abs(scaled)
                        && bits == Double.doubleToRawLongBits(hundredths / 100.0) && fitsVarint(hundredths)) {
                        tag = TAG_CENTS;
                        at = putVarint(array, at, hundredths);
                    } else {
                        tag = TAG_DOUBLE;
                        UnsafeApi.putLong(array, at, NATIVE_ORDER ? bits : Long.reverseBytes(bits));
                        at += 8;
                    }
                }
            }
            tags |= tag << 4 * (i & 1);
            if ((i & 1) == 1 || i == featureCount - 1) {
                UnsafeApi.putByte(array, base + featuresOffset + i / 2, (byte) tags);
                tags = 0;
            }
        }
        length = (int) (at - base) - offset;
        mutable.putInt(offset + MessageHeader.LENGTH_OFFSET, length, ORDER);
        return length;
    }

    /** After {@link #finish}: where the shadow's decision goes, if there is one. */
    public int shadowDecisionOffset() {
        return offset + length;
    }

    /**
     * After {@link #finish}, with the shadow's decision written at {@link #shadowDecisionOffset()}: makes it part of
     * the entry (version 3, as the engine wrote them before 2026-12-06; kept to test their readers); returns the
     * entry's new total length.
     */
    public int appendShadow(final int shadowLength) {
        mutable.putInt(offset + SHADOW_OFFSET, length, ORDER);
        mutable.putShort(offset + MessageHeader.VERSION_OFFSET, (short) VERSION_WITH_SHADOW, ORDER);
        version = VERSION_WITH_SHADOW;
        length += shadowLength;
        mutable.putInt(offset + MessageHeader.LENGTH_OFFSET, length, ORDER);
        return length;
    }

    /**
     * After {@link #finish}: marks the entry as one whose challenger's decision is the next entry (version 4), to be
     * written once the transaction is answered.
     */
    public void markShadowFollows() {
        mutable.putShort(offset + MessageHeader.VERSION_OFFSET, (short) VERSION_SHADOW_FOLLOWS, ORDER);
        version = VERSION_SHADOW_FOLLOWS;
    }

    /** True if the scored entry at {@code at} in {@code buffer} says its challenger's decision is the next entry. */
    public static boolean shadowFollows(final DirectBuffer buffer, final int at) {
        return (buffer.getShort(at + MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF) == VERSION_SHADOW_FOLLOWS;
    }

    /** True if the challenger's decision on this transaction is the next entry ({@link ShadowEntryFlyweight}). */
    public boolean shadowFollows() {
        return version == VERSION_SHADOW_FOLLOWS;
    }

    /** True if the entry carries the shadow's decision inside it (version 3; read it with {@link #shadow}). */
    public boolean hasShadow() {
        return version == VERSION_WITH_SHADOW;
    }

    /** Wraps the shadow's decision of an entry that has one ({@link #hasShadow()}). */
    public DecisionFlyweight shadow(final DecisionFlyweight into) {
        final int at = offset + buffer.getInt(offset + SHADOW_OFFSET, ORDER);
        into.wrapForDecode(buffer, at, offset + length - at);
        return into;
    }

    private static final int TAG_MISSING = 0;
    private static final int TAG_ZERO = 1;
    private static final int TAG_WHOLE = 2;
    private static final int TAG_CENTS = 3;
    private static final int TAG_DOUBLE = 4;
    /** Version 1's tags 2 (i32) and 3 (f64). */
    private static final int V1_TAG_INT = 2;
    /** How far from a whole number of hundredths, relative to it, a value of hundredths can be once times 100. */
    private static final double CENTS_SLACK = 1e-12;
    /** Varints carry magnitudes below 2^47: at most 7 bytes, never longer than the f64 they replace. */
    private static final long VARINT_LIMIT = 1L << 47;

    private static boolean fitsVarint(final long v) {
        return v < VARINT_LIMIT && v > -VARINT_LIMIT;
    }

    private static long putVarint(final byte[] array, final long at, final long v) {
        long zigzag = v << 1 ^ v >> 63;
        long p = at;
        while ((zigzag & ~0x7FL) != 0) {
            UnsafeApi.putByte(array, p++, (byte) (zigzag & 0x7F | 0x80));
            zigzag >>>= 7;
        }
        UnsafeApi.putByte(array, p++, (byte) zigzag);
        return p;
    }

    /** Wraps an entry and its two embedded messages for reading; checks every length. */
    public int wrapForDecode(final DirectBuffer source, final int at, final int available,
        final TransactionFlyweight txn, final DecisionFlyweight decision) {
        return wrapForDecode(source, at, available, txn, decision, null);
    }

    /**
     * {@link #wrapForDecode(DirectBuffer, int, int, TransactionFlyweight, DecisionFlyweight)}, also decoding every
     * feature into {@code features} (at least {@link #featureCount()} long; null: none) in the same walk that checks
     * them.
     */
    public int wrapForDecode(final DirectBuffer source, final int at, final int available,
        final TransactionFlyweight txn, final DecisionFlyweight decision, final double[] features) {
        this.buffer = source;
        this.mutable = null;
        this.offset = at;
        if (available < TRANSACTION_OFFSET
            || (source.getShort(at + MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF) != TYPE_ID) {
            throw new MessageFormatException("not a scored entry");
        }
        version = source.getShort(at + MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF;
        if (version < 1 || version > VERSION_SHADOW_FOLLOWS) {
            throw new MessageFormatException("scored entry of unknown version " + version);
        }
        length = source.getInt(at + MessageHeader.LENGTH_OFFSET, ORDER);
        if (length > available || length < TRANSACTION_OFFSET) {
            throw new MessageFormatException("scored entry length " + length + " outside the available " + available);
        }
        final int end = at + length;
        final int txnLength = txn.wrapForDecode(source, transactionOffset(), end - transactionOffset());
        decisionOffset = transactionOffset() + txnLength;
        final int decisionLength = decision.wrapForDecode(source, decisionOffset, end - decisionOffset);
        featuresOffset = decisionOffset + decisionLength;
        final int featuresEnd = hasShadow() ? at + source.getInt(at + SHADOW_OFFSET, ORDER) : end;
        if (featuresEnd < featuresOffset || featuresEnd > end) {
            throw new MessageFormatException("scored entry's shadow decision starts outside the entry");
        }
        if (features != null && features.length < featureCount()) {
            throw new IllegalArgumentException("room for " + features.length + " features, the entry has "
                + featureCount());
        }
        if (featuresOffset > end || decodeFeatures(features, featuresEnd) != featuresEnd) {
            throw new MessageFormatException("scored entry features do not fill the entry");
        }
        if (hasShadow() && shadowDecision.wrapForDecode(source, featuresEnd, end - featuresEnd) != end - featuresEnd) {
            throw new MessageFormatException("scored entry's shadow decision does not fill the entry");
        }
        return length;
    }

    /** The feature count of the scored entry at {@code at} of {@code available} bytes, or -1 if it is too short. */
    public static int featureCount(final DirectBuffer source, final int at, final int available) {
        return available < TRANSACTION_OFFSET ? -1 : source.getShort(at + FEATURE_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    public int featureCount() {
        return buffer.getShort(offset + FEATURE_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    public int featureVersion() {
        return buffer.getShort(offset + FEATURE_VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    /** Decodes every feature into {@code out} (at least {@link #featureCount()} long). */
    public void features(final double[] out) {
        decodeFeatures(out, hasShadow() ? offset + buffer.getInt(offset + SHADOW_OFFSET, ORDER) : offset + length);
    }

    /**
     * Walks the features, writing them to {@code out} unless it is null, reading no byte at or past {@code end};
     * returns where they end, or -1 if they run past {@code end}.
     */
    private int decodeFeatures(final double[] out, final int end) {
        if (featuresOffset < 0 || end > buffer.capacity()) {
            return -1;
        }
        // every read below is within [featuresOffset, end), checked once here: no bounds check per byte
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset();
        final int count = featureCount();
        if (version != 1) {
            return decodeTagged(array, base, count, out, end);
        }
        // version 1: two-bit tags, four to a byte (missing, zero, a four-byte int, a double), then the values
        int at = featuresOffset + (count + 3) / 4;
        for (int i = 0; i < count; i++) {
            if (at > end) {
                return -1;
            }
            final int tag = UnsafeApi.getByte(array, base + featuresOffset + i / 4) >> 2 * (i & 3) & 3;
            final double x;
            if (tag == TAG_MISSING) {
                x = Double.NaN;
            } else if (tag == TAG_ZERO) {
                x = 0.0;
            } else if (tag == V1_TAG_INT) {
                x = at + 4 <= end ? intAt(array, base + at) : Double.NaN;
                at += 4;
            } else {
                x = at + 8 <= end ? Double.longBitsToDouble(longAt(array, base + at)) : Double.NaN;
                at += 8;
            }
            if (out != null) {
                out[i] = x;
            }
        }
        return at <= end ? at : -1;
    }

    /**
     * {@link #decodeFeatures} for entries of version 2 and later: four-bit tags, two to a byte, then the values. The
     * bounds of {@code [featuresOffset, end)} are checked by the caller.
     */
    private int decodeTagged(final byte[] array, final long base, final int count, final double[] out,
        final int end) {
        int at = featuresOffset + (count + 1) / 2;
        if (at > end) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            final int tag = UnsafeApi.getByte(array, base + featuresOffset + (i >> 1)) >> ((i & 1) << 2) & 0xF;
            final double x;
            switch (tag) {
                case TAG_MISSING -> x = Double.NaN;
                case TAG_ZERO -> x = 0.0;
                case TAG_WHOLE, TAG_CENTS -> {
                    if (at >= end) {
                        return -1;
                    }
                    long zigzag = UnsafeApi.getByte(array, base + at++);
                    if (zigzag < 0) {
                        // more than one byte: seven bits a byte, the high bit says another follows
                        zigzag &= 0x7F;
                        int shift = 7;
                        int b;
                        do {
                            if (at >= end || shift > 42) {
                                return -1;
                            }
                            b = UnsafeApi.getByte(array, base + at++);
                            zigzag |= (long) (b & 0x7F) << shift;
                            shift += 7;
                        } while ((b & 0x80) != 0);
                    }
                    final long v = zigzag >>> 1 ^ -(zigzag & 1);
                    x = tag == TAG_WHOLE ? v : v / 100.0;
                }
                case TAG_DOUBLE -> {
                    if (at + 8 > end) {
                        return -1;
                    }
                    x = Double.longBitsToDouble(longAt(array, base + at));
                    at += 8;
                }
                default -> {
                    return -1;
                }
            }
            if (out != null) {
                out[i] = x;
            }
        }
        return at;
    }

    private static int intAt(final byte[] array, final long address) {
        final int v = UnsafeApi.getInt(array, address);
        return NATIVE_ORDER ? v : Integer.reverseBytes(v);
    }

    private static long longAt(final byte[] array, final long address) {
        final long v = UnsafeApi.getLong(array, address);
        return NATIVE_ORDER ? v : Long.reverseBytes(v);
    }

    /** One feature; decodes the ones before it (use {@link #features} for all). */
    public double feature(final int index) {
        final double[] all = new double[featureCount()];
        features(all);
        return all[index];
    }

    public int length() {
        return length;
    }
}
