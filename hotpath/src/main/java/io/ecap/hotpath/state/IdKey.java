package io.ecap.hotpath.state;

import java.nio.charset.StandardCharsets;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An id as a Chronicle Map key: its bytes copied into a small native buffer that Chronicle Map hashes and compares in
 * place ({@link IdKeyAccess}). Reused for every lookup: setting it allocates nothing. One per map and thread.
 */
public final class IdKey {
    public static final int MAX_LENGTH = 255;

    private final UnsafeBuffer bytes = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_LENGTH + 1, 8));
    private int length;

    /** Sets this key to the bytes of an id held in a buffer. */
    public IdKey set(final DirectBuffer source, final int offset, final int idLength) {
        if (idLength > MAX_LENGTH) {
            throw new IllegalArgumentException("key longer than " + MAX_LENGTH + " bytes");
        }
        bytes.putBytes(0, source, offset, idLength);
        length = idLength;
        return this;
    }

    /** A new key for an id given as text (tools and other threads). */
    public static IdKey of(final CharSequence id) {
        final byte[] ascii = id.toString().getBytes(StandardCharsets.US_ASCII);
        return new IdKey().set(new UnsafeBuffer(ascii), 0, ascii.length);
    }

    long address() {
        return bytes.addressOffset();
    }

    public int length() {
        return length;
    }

    DirectBuffer buffer() {
        return bytes;
    }

    @Override
    public String toString() {
        return bytes.getStringWithoutLengthAscii(0, length);
    }
}
