package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.UserEventType;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A clickstream event. Type id 4, version 1.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    header (8 bytes, type 4)                   |  0
 *  +---------------------------------------------------------------+
 *  |                 event time, epoch ms (i64)                    |  8
 *  +---------------------------------------------------------------+
 *  |   order amount in minor units (i64, 0 if absent: purchases)   | 16
 *  +-------------------------------+---------------+---------------+
 *  |  currency, ISO 4217 num (u16) |   type (u8)   |  channel (u8) | 24
 *  +-------------------------------+---------------+---------------+
 *  |                           reserved                            | 28
 *  +---------------------------------------------------------------+
 *  | variable fields: eventId, sessionId, customerId, productId,   | 32
 *  | campaign (length 0: absent)                                   |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class UserEventFlyweight extends MessageFlyweight {
    public static final int TYPE_ID = MessageType.USER_EVENT;
    public static final int VERSION = 1;
    public static final int TS_OFFSET = 8;
    public static final int AMOUNT_OFFSET = 16;
    public static final int CURRENCY_OFFSET = 24;
    public static final int TYPE_OFFSET = 26;
    public static final int CHANNEL_OFFSET = 27;
    public static final int BLOCK_LENGTH = 32;

    public static final int EVENT_ID = 0;
    public static final int SESSION_ID = 1;
    public static final int CUSTOMER_ID = 2;
    public static final int PRODUCT_ID = 3;
    public static final int CAMPAIGN = 4;
    public static final int MAX_LENGTH = BLOCK_LENGTH + 5 * (1 + 64);

    public UserEventFlyweight() {
        super(TYPE_ID, VERSION, BLOCK_LENGTH, 5);
    }

    public UserEventFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        beginEncode(target, at);
        return this;
    }

    public int wrapForDecode(final DirectBuffer source, final int at, final int available) {
        final int length = beginDecode(source, at, available);
        endDecode(limit(), length);
        type();
        return length;
    }

    public long tsMs() {
        return buffer.getLong(offset + TS_OFFSET, ORDER);
    }

    public UserEventFlyweight tsMs(final long value) {
        mutableBuffer.putLong(offset + TS_OFFSET, value, ORDER);
        return this;
    }

    public long amountMinor() {
        return buffer.getLong(offset + AMOUNT_OFFSET, ORDER);
    }

    public UserEventFlyweight amountMinor(final long value) {
        mutableBuffer.putLong(offset + AMOUNT_OFFSET, value, ORDER);
        return this;
    }

    public int currency() {
        return buffer.getShort(offset + CURRENCY_OFFSET, ORDER) & 0xFFFF;
    }

    public UserEventFlyweight currency(final int numeric) {
        mutableBuffer.putShort(offset + CURRENCY_OFFSET, (short) numeric, ORDER);
        return this;
    }

    public UserEventType type() {
        return UserEventType.ofCode(buffer.getByte(offset + TYPE_OFFSET));
    }

    public UserEventFlyweight type(final UserEventType value) {
        mutableBuffer.putByte(offset + TYPE_OFFSET, (byte) value.code());
        return this;
    }

    public int channel() {
        return buffer.getByte(offset + CHANNEL_OFFSET) & 0xFF;
    }

    public UserEventFlyweight channel(final int code) {
        mutableBuffer.putByte(offset + CHANNEL_OFFSET, (byte) code);
        return this;
    }

    public UserEventFlyweight putString(final int field, final CharSequence value) {
        putVar(field, value);
        return this;
    }

    public UserEventFlyweight putString(final int field, final DirectBuffer src, final int srcOffset,
        final int length) {
        putVar(field, src, srcOffset, length);
        return this;
    }

    public String string(final int field) {
        return varString(field);
    }

    public int stringLength(final int field) {
        return varLength(field);
    }

    public int stringOffset(final int field) {
        return varOffset(field);
    }

    public AsciiSequenceView view(final int field, final AsciiSequenceView view) {
        return varView(field, view);
    }
}
