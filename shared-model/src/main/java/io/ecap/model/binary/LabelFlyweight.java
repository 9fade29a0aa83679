package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.LabelSource;
import io.ecap.model.LabelValue;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Ground truth for a scored transaction. Type id 3, version 1.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    header (8 bytes, type 3)                   |  0
 *  +---------------------------------------------------------------+
 *  |                 label time, epoch ms (i64)                    |  8
 *  +---------------+---------------+-------------------------------+
 *  |  label (u8)   |  source (u8)  |         reserved (6 bytes)    | 16
 *  +---------------+---------------+-------------------------------+
 *  | variable field: txnId                                         | 24
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class LabelFlyweight extends MessageFlyweight {
    public static final int TYPE_ID = MessageType.LABEL;
    public static final int VERSION = 1;
    public static final int TS_OFFSET = 8;
    public static final int LABEL_OFFSET = 16;
    public static final int SOURCE_OFFSET = 17;
    public static final int BLOCK_LENGTH = 24;
    public static final int TXN_ID = 0;
    public static final int MAX_LENGTH = BLOCK_LENGTH + 1 + 64;

    public LabelFlyweight() {
        super(TYPE_ID, VERSION, BLOCK_LENGTH, 1);
    }

    public LabelFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        beginEncode(target, at);
        return this;
    }

    public int wrapForDecode(final DirectBuffer source, final int at, final int available) {
        final int length = beginDecode(source, at, available);
        endDecode(limit(), length);
        label();
        source();
        return length;
    }

    public long tsMs() {
        return buffer.getLong(offset + TS_OFFSET, ORDER);
    }

    public LabelFlyweight tsMs(final long value) {
        mutableBuffer.putLong(offset + TS_OFFSET, value, ORDER);
        return this;
    }

    public LabelValue label() {
        return LabelValue.ofCode(buffer.getByte(offset + LABEL_OFFSET));
    }

    public LabelFlyweight label(final LabelValue value) {
        mutableBuffer.putByte(offset + LABEL_OFFSET, (byte) value.code());
        return this;
    }

    public LabelSource source() {
        return LabelSource.ofCode(buffer.getByte(offset + SOURCE_OFFSET));
    }

    public LabelFlyweight source(final LabelSource value) {
        mutableBuffer.putByte(offset + SOURCE_OFFSET, (byte) value.code());
        return this;
    }

    public LabelFlyweight txnId(final CharSequence value) {
        putVar(TXN_ID, value);
        return this;
    }

    public LabelFlyweight txnId(final DirectBuffer src, final int srcOffset, final int length) {
        putVar(TXN_ID, src, srcOffset, length);
        return this;
    }

    public String txnId() {
        return varString(TXN_ID);
    }

    public AsciiSequenceView txnId(final AsciiSequenceView view) {
        return varView(TXN_ID, view);
    }
}
