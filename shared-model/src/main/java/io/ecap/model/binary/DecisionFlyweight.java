package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.Outcome;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The engine's answer for one transaction. Type id 2, version 1.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    header (8 bytes, type 2)                   |  0
 *  +---------------------------------------------------------------+
 *  |     journal index of the scored transaction (i64)             |  8
 *  +---------------------------------------------------------------+
 *  |     engine time spent on this transaction, ns (i64)           | 16
 *  +-------------------------------+---------------+---------------+
 *  |        score 0-1000 (u16)     | outcome (u8)  | reasons (u8)  | 24
 *  +-------------------------------+---------------+---------------+
 *  |                           reserved                            | 28
 *  +---------------------------------------------------------------+
 *  | variable fields: txnId, ruleSetVersion, modelVersion          | 32
 *  +---------------------------------------------------------------+
 *  | per reason: value (f64), then variable fields code, detail    |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DecisionFlyweight extends MessageFlyweight {
    public static final int TYPE_ID = MessageType.DECISION;
    public static final int VERSION = 1;
    public static final int JOURNAL_INDEX_OFFSET = 8;
    public static final int ENGINE_NANOS_OFFSET = 16;
    public static final int SCORE_OFFSET = 24;
    public static final int OUTCOME_OFFSET = 26;
    public static final int REASON_COUNT_OFFSET = 27;
    public static final int BLOCK_LENGTH = 32;
    public static final int MAX_REASONS = 8;
    public static final int MAX_SCORE = 1000;
    public static final int MAX_CODE_LENGTH = 32;
    public static final int MAX_DETAIL_LENGTH = 128;

    public static final int TXN_ID = 0;
    public static final int RULE_SET_VERSION = 1;
    public static final int MODEL_VERSION = 2;
    private static final int VAR_FIELDS = 3;

    /** Upper bound of an encoded decision. */
    public static final int MAX_LENGTH = BLOCK_LENGTH + 3 * 256
        + MAX_REASONS * (8 + 2 + MAX_CODE_LENGTH + MAX_DETAIL_LENGTH);

    private final int[] reasonPositions = new int[MAX_REASONS];

    public DecisionFlyweight() {
        super(TYPE_ID, VERSION, BLOCK_LENGTH, VAR_FIELDS);
    }

    public DecisionFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        beginEncode(target, at);
        return this;
    }

    public int wrapForDecode(final DirectBuffer source, final int at, final int available) {
        final int length = beginDecode(source, at, available);
        final int count = reasonCount();
        if (count > MAX_REASONS) {
            throw new MessageFormatException("decision with " + count + " reasons (at most " + MAX_REASONS + ")");
        }
        final int outcome = buffer.getByte(offset + OUTCOME_OFFSET);
        if (outcome < 1 || outcome > 3 || score() > MAX_SCORE) {
            throw new MessageFormatException("decision with outcome " + outcome + " and score " + score());
        }
        final int end = offset + length;
        int position = limit();
        for (int i = 0; i < count; i++) {
            if (position + 8 > end) {
                throw new MessageFormatException("decision reason " + i + " overruns the message");
            }
            reasonPositions[i] = position;
            position = skipString(position + 8, end);
            position = skipString(position, end);
        }
        endDecode(position, length);
        return length;
    }

    private int skipString(final int position, final int end) {
        if (position >= end) {
            throw new MessageFormatException("decision reason field missing");
        }
        final int next = position + 1 + (buffer.getByte(position) & 0xFF);
        if (next > end) {
            throw new MessageFormatException("decision reason field overruns the message");
        }
        return next;
    }

    public long journalIndex() {
        return buffer.getLong(offset + JOURNAL_INDEX_OFFSET, ORDER);
    }

    public DecisionFlyweight journalIndex(final long value) {
        mutableBuffer.putLong(offset + JOURNAL_INDEX_OFFSET, value, ORDER);
        return this;
    }

    public long engineNanos() {
        return buffer.getLong(offset + ENGINE_NANOS_OFFSET, ORDER);
    }

    public DecisionFlyweight engineNanos(final long value) {
        mutableBuffer.putLong(offset + ENGINE_NANOS_OFFSET, value, ORDER);
        return this;
    }

    public int score() {
        return buffer.getShort(offset + SCORE_OFFSET, ORDER) & 0xFFFF;
    }

    public DecisionFlyweight score(final int value) {
        mutableBuffer.putShort(offset + SCORE_OFFSET, (short) value, ORDER);
        return this;
    }

    public Outcome outcome() {
        return Outcome.ofCode(buffer.getByte(offset + OUTCOME_OFFSET));
    }

    public int outcomeCode() {
        return buffer.getByte(offset + OUTCOME_OFFSET);
    }

    public DecisionFlyweight outcome(final Outcome value) {
        mutableBuffer.putByte(offset + OUTCOME_OFFSET, (byte) value.code());
        return this;
    }

    public int reasonCount() {
        return buffer.getByte(offset + REASON_COUNT_OFFSET) & 0xFF;
    }

    public DecisionFlyweight putString(final int field, final CharSequence value) {
        putVar(field, value);
        return this;
    }

    public DecisionFlyweight putString(final int field, final DirectBuffer src, final int srcOffset,
        final int length) {
        putVar(field, src, srcOffset, length);
        return this;
    }

    public String string(final int field) {
        return varString(field);
    }

    public AsciiSequenceView view(final int field, final AsciiSequenceView view) {
        return varView(field, view);
    }

    public int stringOffset(final int field) {
        return varOffset(field);
    }

    public int stringLength(final int field) {
        return varLength(field);
    }

    /** Appends a reason; call after the three variable fields. */
    public DecisionFlyweight addReason(final CharSequence code, final CharSequence detail, final double value) {
        if (varWritten() != VAR_FIELDS) {
            throw new IllegalStateException("reasons come after txnId, ruleSetVersion and modelVersion");
        }
        final int count = reasonCount();
        if (count == MAX_REASONS) {
            throw new IllegalStateException("at most " + MAX_REASONS + " reasons");
        }
        final int codeLength = Math.min(code.length(), MAX_CODE_LENGTH);
        final int detailLength = Math.min(detail.length(), MAX_DETAIL_LENGTH);
        final int at = reserve(8 + 1 + codeLength + 1 + detailLength);
        mutableBuffer.putDouble(at, value, ORDER);
        mutableBuffer.putByte(at + 8, (byte) codeLength);
        for (int i = 0; i < codeLength; i++) {
            mutableBuffer.putByte(at + 9 + i, (byte) code.charAt(i));
        }
        final int detailAt = at + 9 + codeLength;
        mutableBuffer.putByte(detailAt, (byte) detailLength);
        for (int i = 0; i < detailLength; i++) {
            mutableBuffer.putByte(detailAt + 1 + i, (byte) detail.charAt(i));
        }
        reasonPositions[count] = at;
        mutableBuffer.putByte(offset + REASON_COUNT_OFFSET, (byte) (count + 1));
        return this;
    }

    public double reasonValue(final int i) {
        return buffer.getDouble(reasonPositions[i], ORDER);
    }

    public int reasonCodeOffset(final int i) {
        return reasonPositions[i] + 9;
    }

    public int reasonCodeLength(final int i) {
        return buffer.getByte(reasonPositions[i] + 8) & 0xFF;
    }

    public int reasonDetailOffset(final int i) {
        return reasonCodeOffset(i) + reasonCodeLength(i) + 1;
    }

    public int reasonDetailLength(final int i) {
        return buffer.getByte(reasonCodeOffset(i) + reasonCodeLength(i)) & 0xFF;
    }

    public String reasonCode(final int i) {
        return buffer.getStringWithoutLengthAscii(reasonCodeOffset(i), reasonCodeLength(i));
    }

    public String reasonDetail(final int i) {
        return buffer.getStringWithoutLengthAscii(reasonDetailOffset(i), reasonDetailLength(i));
    }
}
