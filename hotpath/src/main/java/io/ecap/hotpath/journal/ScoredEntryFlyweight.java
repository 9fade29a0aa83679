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
 * Journal entry: a scored transaction. Type id 16, version 1. It carries everything a replay, a backtest or the model
 * trainer needs to see exactly what the engine saw.
 *
 * <pre>
 *   0   header (8 bytes, type 16)
 *   8   u16 feature count      10  u16 feature set version      12  u32 reserved
 *   16  transaction message (its own header and length)
 *   ..  decision message (journalIndex 0: the entry's own index is its journal index)
 *   ..  feature tags, 2 bits per feature, 4 per byte (feature i in bits 2*(i%4) of byte i/4):
 *         0 missing (NaN), 1 zero, 2 a whole number (i32 follows), 3 any other value (f64 follows)
 *   ..  feature values for tags 2 and 3, in feature order
 * </pre>
 *
 * The encoding is lossless: a value is written as i32 only if converting it back gives the same bits, so a decoded
 * vector equals the engine's bit for bit (missing values decode as the canonical NaN).
 */
public final class ScoredEntryFlyweight {
    public static final int TYPE_ID = EntryType.SCORED;
    public static final int VERSION = 1;
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

    /** Starts an entry; write the transaction at {@link #transactionOffset()} next. */
    public ScoredEntryFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        this.buffer = target;
        this.mutable = target;
        this.offset = at;
        target.putShort(at + MessageHeader.TYPE_ID_OFFSET, (short) TYPE_ID, ORDER);
        target.putShort(at + MessageHeader.VERSION_OFFSET, (short) VERSION, ORDER);
        target.putInt(at + 12, 0, ORDER);
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
        final int tagBytes = (featureCount + 3) / 4;
        int valueBytes = 0;
        for (int i = 0; i < featureCount; i++) {
            valueBytes += VALUE_BYTES[tagOf(features[i])];
        }
        // one bounds check for the whole vector, then unchecked writes in the journal's byte order
        mutable.boundsCheck(featuresOffset, tagBytes + valueBytes);
        final byte[] array = mutable.byteArray();
        final long base = mutable.addressOffset();
        int at = featuresOffset + tagBytes;
        int tags = 0;
        for (int i = 0; i < featureCount; i++) {
            final double x = features[i];
            final int tag = tagOf(x);
            if (tag == TAG_INT) {
                UnsafeApi.putInt(array, base + at, NATIVE_ORDER ? (int) x : Integer.reverseBytes((int) x));
            } else if (tag == TAG_DOUBLE) {
                final long bits = Double.doubleToRawLongBits(x);
                UnsafeApi.putLong(array, base + at, NATIVE_ORDER ? bits : Long.reverseBytes(bits));
            }
            at += VALUE_BYTES[tag];
            tags |= tag << 2 * (i & 3);
            if ((i & 3) == 3 || i == featureCount - 1) {
                UnsafeApi.putByte(array, base + featuresOffset + i / 4, (byte) tags);
                tags = 0;
            }
        }
        length = at - offset;
        mutable.putInt(offset + MessageHeader.LENGTH_OFFSET, length, ORDER);
        return length;
    }

    private static final int TAG_MISSING = 0;
    private static final int TAG_ZERO = 1;
    private static final int TAG_INT = 2;
    private static final int TAG_DOUBLE = 3;
    /** Bytes that follow the tags for a value of each tag. */
    private static final int[] VALUE_BYTES = {0, 0, 4, 8};

    /** The tag of a value: the smallest encoding that gives back its exact bits. */
    private static int tagOf(final double x) {
        if (Double.isNaN(x)) {
            return TAG_MISSING;
        }
        final long bits = Double.doubleToRawLongBits(x);
        if (bits == 0) {
            return TAG_ZERO;
        }
        return bits == Double.doubleToRawLongBits((int) x) ? TAG_INT : TAG_DOUBLE;
    }

    /** Wraps an entry and its two embedded messages for reading; checks every length. */
    public int wrapForDecode(final DirectBuffer source, final int at, final int available,
        final TransactionFlyweight txn, final DecisionFlyweight decision) {
        this.buffer = source;
        this.mutable = null;
        this.offset = at;
        if (available < TRANSACTION_OFFSET
            || (source.getShort(at + MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF) != TYPE_ID
            || (source.getShort(at + MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF) != VERSION) {
            throw new MessageFormatException("not a version 1 scored entry");
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
        if (featuresOffset + valuesLength() != end) {
            throw new MessageFormatException("scored entry features do not fill the entry");
        }
        return length;
    }

    /** Bytes of tags and values, from the tags. */
    private int valuesLength() {
        final int count = featureCount();
        int bytes = (count + 3) / 4;
        for (int i = 0; i < count; i++) {
            final int tag = tag(i);
            bytes += tag == TAG_INT ? 4 : tag == TAG_DOUBLE ? 8 : 0;
        }
        return bytes;
    }

    private int tag(final int i) {
        return buffer.getByte(featuresOffset + i / 4) >> 2 * (i & 3) & 3;
    }

    public int featureCount() {
        return buffer.getShort(offset + FEATURE_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    public int featureVersion() {
        return buffer.getShort(offset + FEATURE_VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    /** Decodes every feature into {@code out} (at least {@link #featureCount()} long). */
    public void features(final double[] out) {
        final int count = featureCount();
        int at = featuresOffset + (count + 3) / 4;
        for (int i = 0; i < count; i++) {
            switch (tag(i)) {
                case TAG_MISSING -> out[i] = Double.NaN;
                case TAG_ZERO -> out[i] = 0.0;
                case TAG_INT -> {
                    out[i] = buffer.getInt(at, ORDER);
                    at += 4;
                }
                default -> {
                    out[i] = buffer.getDouble(at, ORDER);
                    at += 8;
                }
            }
        }
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
