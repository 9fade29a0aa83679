package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A change to the product catalogue. Type id 5, version 1.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    header (8 bytes, type 5)                   |  0
 *  +---------------------------------------------------------------+
 *  |                 update time, epoch ms (i64)                   |  8
 *  +---------------------------------------------------------------+
 *  |         price in minor units (i64, -1 if absent)              | 16
 *  +---------------------------------------------------------------+
 *  |               stock (i32, -1 if absent)                       | 24
 *  +-------------------------------+-------------------------------+
 *  |  currency, ISO 4217 num (u16) |          reserved             | 28
 *  +-------------------------------+-------------------------------+
 *  | variable fields: productId, category (length 0: absent)       | 32
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ProductUpdateFlyweight extends MessageFlyweight {
    public static final int TYPE_ID = MessageType.PRODUCT_UPDATE;
    public static final int VERSION = 1;
    public static final int TS_OFFSET = 8;
    public static final int PRICE_OFFSET = 16;
    public static final int STOCK_OFFSET = 24;
    public static final int CURRENCY_OFFSET = 28;
    public static final int BLOCK_LENGTH = 32;
    public static final long ABSENT = -1;

    public static final int PRODUCT_ID = 0;
    public static final int CATEGORY = 1;
    public static final int MAX_LENGTH = BLOCK_LENGTH + 2 * (1 + 64);

    public ProductUpdateFlyweight() {
        super(TYPE_ID, VERSION, BLOCK_LENGTH, 2);
    }

    public ProductUpdateFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        beginEncode(target, at);
        priceMinor(ABSENT).stock((int) ABSENT);
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

    public ProductUpdateFlyweight tsMs(final long value) {
        mutableBuffer.putLong(offset + TS_OFFSET, value, ORDER);
        return this;
    }

    public long priceMinor() {
        return buffer.getLong(offset + PRICE_OFFSET, ORDER);
    }

    public ProductUpdateFlyweight priceMinor(final long value) {
        mutableBuffer.putLong(offset + PRICE_OFFSET, value, ORDER);
        return this;
    }

    public int stock() {
        return buffer.getInt(offset + STOCK_OFFSET, ORDER);
    }

    public ProductUpdateFlyweight stock(final int value) {
        mutableBuffer.putInt(offset + STOCK_OFFSET, value, ORDER);
        return this;
    }

    public int currency() {
        return buffer.getShort(offset + CURRENCY_OFFSET, ORDER) & 0xFFFF;
    }

    public ProductUpdateFlyweight currency(final int numeric) {
        mutableBuffer.putShort(offset + CURRENCY_OFFSET, (short) numeric, ORDER);
        return this;
    }

    public ProductUpdateFlyweight putString(final int field, final CharSequence value) {
        putVar(field, value);
        return this;
    }

    public ProductUpdateFlyweight putString(final int field, final DirectBuffer src, final int srcOffset,
        final int length) {
        putVar(field, src, srcOffset, length);
        return this;
    }

    public String string(final int field) {
        return varString(field);
    }
}
