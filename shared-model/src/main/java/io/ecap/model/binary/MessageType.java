package io.ecap.model.binary;

/** Type ids of the binary messages. Ids 1-15 are contract types; the engine's journal uses 16 and up. */
public final class MessageType {
    public static final int TRANSACTION = 1;
    public static final int DECISION = 2;
    public static final int LABEL = 3;
    public static final int USER_EVENT = 4;
    public static final int PRODUCT_UPDATE = 5;
    public static final int CUSTOMER_PROFILE = 6;

    private MessageType() {
    }

    /** Reads the type id of the message at {@code offset}. */
    public static int of(final org.agrona.DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + MessageHeader.TYPE_ID_OFFSET, MessageHeader.ORDER) & 0xFFFF;
    }
}
