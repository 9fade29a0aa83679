package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A payment to score. Type id 1, versions 1 and 2: version 2 appends the card's BIN as an eighth variable field, and a
 * payment without a BIN is written in version 1, byte for byte as before.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    header (8 bytes, type 1)                   |  0
 *  +---------------------------------------------------------------+
 *  |                event time, epoch ms (i64)                     |  8
 *  +---------------------------------------------------------------+
 *  |           amount in minor units of currency (i64)             | 16
 *  +---------------------------------------------------------------+
 *  |                latitude (f64, NaN if absent)                  | 24
 *  +---------------------------------------------------------------+
 *  |                longitude (f64, NaN if absent)                 | 32
 *  +-------------------------------+-------------------------------+
 *  |  currency, ISO 4217 num (u16) | country, packed A-Z A-Z (u16) | 40
 *  +-------------------------------+---------------+---------------+
 *  |   mcc (u16, 0xFFFF absent)    | channel (u8)  |   reserved    | 44
 *  +-------------------------------+---------------+---------------+
 *  | variable fields, each u8 length + ASCII: txnId, customerId,   | 48
 *  | cardId, merchantId, deviceId, ip, emailHash (length 0: absent)|
 *  | version 2: bin (6 or 8 digits)                                |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class TransactionFlyweight extends MessageFlyweight {
    public static final int TYPE_ID = MessageType.TRANSACTION;
    public static final int VERSION = 2;
    /** The version of a payment without a BIN. */
    public static final int VERSION_WITHOUT_BIN = 1;
    public static final int TS_OFFSET = 8;
    public static final int AMOUNT_OFFSET = 16;
    public static final int LAT_OFFSET = 24;
    public static final int LON_OFFSET = 32;
    public static final int CURRENCY_OFFSET = 40;
    public static final int COUNTRY_OFFSET = 42;
    public static final int MCC_OFFSET = 44;
    public static final int CHANNEL_OFFSET = 46;
    public static final int BLOCK_LENGTH = 48;
    public static final int MCC_ABSENT = 0xFFFF;

    public static final int TXN_ID = 0;
    public static final int CUSTOMER_ID = 1;
    public static final int CARD_ID = 2;
    public static final int MERCHANT_ID = 3;
    public static final int DEVICE_ID = 4;
    public static final int IP = 5;
    public static final int EMAIL_HASH = 6;
    /** The card's issuer identification number (BIN): its first 6 or 8 digits, as ASCII digits. Version 2. */
    public static final int BIN = 7;
    private static final int VAR_FIELDS = 8;
    public static final int MAX_BIN_LENGTH = 8;

    /** Upper bound of an encoded transaction: the fixed block plus every variable field at its longest. */
    public static final int MAX_LENGTH = BLOCK_LENGTH + 6 * (1 + 64) + 1 + 128 + 1 + MAX_BIN_LENGTH;

    public TransactionFlyweight() {
        super(TYPE_ID, VERSION, VERSION_WITHOUT_BIN, BLOCK_LENGTH, VAR_FIELDS);
    }

    @Override
    protected int varFields(final int messageVersion) {
        return messageVersion == VERSION_WITHOUT_BIN ? BIN : VAR_FIELDS;
    }

    public TransactionFlyweight wrapForEncode(final MutableDirectBuffer target, final int at) {
        beginEncode(target, at);
        lat(Double.NaN).lon(Double.NaN).mcc(MCC_ABSENT);
        return this;
    }

    /** Wraps and checks a message; returns its length. */
    public int wrapForDecode(final DirectBuffer source, final int at, final int available) {
        final int length = beginDecode(source, at, available);
        endDecode(limit(), length);
        return length;
    }

    public long tsMs() {
        return buffer.getLong(offset + TS_OFFSET, ORDER);
    }

    public TransactionFlyweight tsMs(final long value) {
        mutableBuffer.putLong(offset + TS_OFFSET, value, ORDER);
        return this;
    }

    public long amountMinor() {
        return buffer.getLong(offset + AMOUNT_OFFSET, ORDER);
    }

    public TransactionFlyweight amountMinor(final long value) {
        mutableBuffer.putLong(offset + AMOUNT_OFFSET, value, ORDER);
        return this;
    }

    public double lat() {
        return buffer.getDouble(offset + LAT_OFFSET, ORDER);
    }

    public TransactionFlyweight lat(final double value) {
        mutableBuffer.putDouble(offset + LAT_OFFSET, value, ORDER);
        return this;
    }

    public double lon() {
        return buffer.getDouble(offset + LON_OFFSET, ORDER);
    }

    public TransactionFlyweight lon(final double value) {
        mutableBuffer.putDouble(offset + LON_OFFSET, value, ORDER);
        return this;
    }

    public boolean hasLocation() {
        return !Double.isNaN(lat()) && !Double.isNaN(lon());
    }

    public int currency() {
        return buffer.getShort(offset + CURRENCY_OFFSET, ORDER) & 0xFFFF;
    }

    public TransactionFlyweight currency(final int numeric) {
        mutableBuffer.putShort(offset + CURRENCY_OFFSET, (short) numeric, ORDER);
        return this;
    }

    public int country() {
        return buffer.getShort(offset + COUNTRY_OFFSET, ORDER) & 0xFFFF;
    }

    public TransactionFlyweight country(final int packed) {
        mutableBuffer.putShort(offset + COUNTRY_OFFSET, (short) packed, ORDER);
        return this;
    }

    public int mcc() {
        return buffer.getShort(offset + MCC_OFFSET, ORDER) & 0xFFFF;
    }

    public TransactionFlyweight mcc(final int value) {
        mutableBuffer.putShort(offset + MCC_OFFSET, (short) value, ORDER);
        return this;
    }

    public int channel() {
        return buffer.getByte(offset + CHANNEL_OFFSET) & 0xFF;
    }

    public TransactionFlyweight channel(final int code) {
        mutableBuffer.putByte(offset + CHANNEL_OFFSET, (byte) code);
        return this;
    }

    /** Sets the next variable field, in declared order ({@link #TXN_ID} first). */
    public TransactionFlyweight putString(final int field, final CharSequence value) {
        putVar(field, value);
        return this;
    }

    public TransactionFlyweight putString(final int field, final DirectBuffer src, final int srcOffset,
        final int length) {
        putVar(field, src, srcOffset, length);
        return this;
    }

    public int stringLength(final int field) {
        return varLength(field);
    }

    public int stringOffset(final int field) {
        return varOffset(field);
    }

    /** A string field as a String, or null if absent. Allocates: off the hot path. */
    public String string(final int field) {
        return varString(field);
    }

    /** A zero-copy view of a string field. */
    public AsciiSequenceView view(final int field, final AsciiSequenceView view) {
        return varView(field, view);
    }
}
