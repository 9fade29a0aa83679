package io.ecap.hotpath.state;

import java.nio.charset.StandardCharsets;
import org.agrona.AsciiSequenceView;

/**
 * Map keys as byte arrays of exactly the id's length, one reusable array per length, so the writer looks keys up
 * without allocating and Chronicle Map hashes and compares them as plain bytes. One instance per map and thread: a
 * returned array is valid until the next call for the same length.
 */
final class KeyBytes {
    private final byte[][] byLength = new byte[256][];

    byte[] of(final AsciiSequenceView id) {
        final int length = id.length();
        byte[] key = byLength[length];
        if (key == null) {
            key = new byte[length];
            byLength[length] = key;
        }
        id.buffer().getBytes(id.offset(), key, 0, length);
        return key;
    }

    /** A fresh array for an id given as text (tools and other threads). */
    static byte[] of(final CharSequence id) {
        return id.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String text(final byte[] key) {
        return new String(key, StandardCharsets.US_ASCII);
    }
}
