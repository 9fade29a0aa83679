package io.ecap.hotpath.journal;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Journal entry: a scored transaction. Type id 16, version 1. It carries everything a replay, a backtest or the model
 * trainer needs to see exactly what the engine saw.
 *
 * <pre>
 *   0   header (8 bytes, type 16)
 *   8   u16 feature count      10  u16 feature set version      12  u32 reserved
 *   16  transaction message (its own header and length)
 *   ..  decision message (journalIndex 0: the entry's own index is its journal index)
 *   ..  features, f64 x feature count
 * </pre>
 */
public final class ScoredEntryFlyweight {
    public static final int TYPE_ID = EntryType.SCORED;
    public static final int VERSION = 1;
    public static final int FEATURE_COUNT_OFFSET = 8;
    public static final int FEATURE_VERSION_OFFSET = 10;
    public static final int TRANSACTION_OFFSET = 16;

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
        for (int i = 0; i < featureCount; i++) {
            mutable.putDouble(featuresOffset + i * 8, features[i], ORDER);
        }
        length = featuresOffset + featureCount * 8 - offset;
        mutable.putInt(offset + MessageHeader.LENGTH_OFFSET, length, ORDER);
        return length;
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
        if (featuresOffset + featureCount() * 8 != end) {
            throw new MessageFormatException("scored entry features do not fill the entry");
        }
        return length;
    }

    public int featureCount() {
        return buffer.getShort(offset + FEATURE_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    public int featureVersion() {
        return buffer.getShort(offset + FEATURE_VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    public double feature(final int i) {
        return buffer.getDouble(featuresOffset + i * 8, ORDER);
    }

    public int length() {
        return length;
    }
}
