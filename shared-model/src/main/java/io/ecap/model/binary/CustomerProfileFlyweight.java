package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the lake knows of a customer, pushed to the engine (the feature-store loop, docs/TRAINING.md). Type id 6,
 * version 1. Every field but the customer and the time may be absent; a profile replaces the one before it whole.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    header (8 bytes, type 6)                   |  0
 *  +---------------------------------------------------------------+
 *  |        time the profile is as of, epoch ms (i64)              |  8
 *  +---------------------------------------------------------------+
 *  |   predicted lifetime value, minor units (i64, -1 if absent)   | 16
 *  +---------------------------------------------------------------+
 *  |            churn risk, 0 to 1 (f64, NaN if absent)            | 24
 *  +---------------------------------------------------------------+
 *  |               lifetime orders (i32, -1 if absent)             | 32
 *  +-------------------------------+---------------+---------------+
 *  |  currency, ISO 4217 num (u16) | segment (u8)  |   reserved    | 36
 *  +-------------------------------+---------------+---------------+
 *  | variable field: customerId                                    | 40
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The segment is a code of {@code io.ecap.model.field.Segments} (0: absent).
 */
public final class CustomerProfileFlyweight extends MessageFlyweight {
    public static final int TYPE_ID = MessageType.CUSTOMER_PROFILE;
    public static final int VERSION = 1;
    public static final int TS_OFFSET = 8;
    public static final int CLV_OFFSET = 16;
    public static final int CHURN_OFFSET = 24;
    public static final int ORDERS_OFFSET = 32;
    public static final int CURRENCY_OFFSET = 36;
    public static final int SEGMENT_OFFSET = 38;
    public static final int BLOCK_LENGTH = 40;
    public static final long ABSENT = -1;

    public static final int CUSTOMER_ID = 0;
    public static final int MAX_LENGTH = BLOCK_LENGTH + 1 + 64;

    public CustomerProfileFlyweight() {
        super(TYPE_ID, VERSION, BLOCK_LENGTH, 1);
    }

    public CustomerProfileFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        beginEncode(target, at);
        clvMinor(ABSENT).churnRisk(Double.NaN).lifetimeOrders((int) ABSENT);
        return this;
    }

    public int wrapForDecode(final DirectBuffer source, final int at, final int available) {
        final int length = beginDecode(source, at, available);
        endDecode(limit(), length);
        return length;
    }

    public long tsMs() {
        return buffer.getLong(offset + TS_OFFSET, ORDER);
    }

    public CustomerProfileFlyweight tsMs(final long value) {
        mutableBuffer.putLong(offset + TS_OFFSET, value, ORDER);
        return this;
    }

    public long clvMinor() {
        return buffer.getLong(offset + CLV_OFFSET, ORDER);
    }

    public CustomerProfileFlyweight clvMinor(final long value) {
        mutableBuffer.putLong(offset + CLV_OFFSET, value, ORDER);
        return this;
    }

    public double churnRisk() {
        return buffer.getDouble(offset + CHURN_OFFSET, ORDER);
    }

    public CustomerProfileFlyweight churnRisk(final double value) {
        mutableBuffer.putDouble(offset + CHURN_OFFSET, value, ORDER);
        return this;
    }

    public int lifetimeOrders() {
        return buffer.getInt(offset + ORDERS_OFFSET, ORDER);
    }

    public CustomerProfileFlyweight lifetimeOrders(final int value) {
        mutableBuffer.putInt(offset + ORDERS_OFFSET, value, ORDER);
        return this;
    }

    public int currency() {
        return buffer.getShort(offset + CURRENCY_OFFSET, ORDER) & 0xFFFF;
    }

    public CustomerProfileFlyweight currency(final int numeric) {
        mutableBuffer.putShort(offset + CURRENCY_OFFSET, (short) numeric, ORDER);
        return this;
    }

    public int segment() {
        return buffer.getByte(offset + SEGMENT_OFFSET) & 0xFF;
    }

    public CustomerProfileFlyweight segment(final int code) {
        mutableBuffer.putByte(offset + SEGMENT_OFFSET, (byte) code);
        return this;
    }

    public CustomerProfileFlyweight putString(final int field, final DirectBuffer src, final int srcOffset,
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
