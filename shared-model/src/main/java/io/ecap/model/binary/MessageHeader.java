package io.ecap.model.binary;

import java.nio.ByteOrder;

/**
 * The header every binary message starts with. All multi-byte fields of every message are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          type id (u16)        |          version (u16)        |
 *  +-------------------------------+-------------------------------+
 *  |                  total length in bytes (i32)                  |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>After the header comes the message's fixed block, then its variable-length fields in a fixed order, each an
 * unsigned byte length followed by that many ASCII bytes. Decoders check the type id, the version and every length
 * before they expose a field.
 */
public final class MessageHeader {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int TYPE_ID_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int LENGTH = 8;

    private MessageHeader() {
    }
}
