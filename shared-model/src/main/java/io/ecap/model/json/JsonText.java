package io.ecap.model.json;

import org.agrona.DirectBuffer;

/** Names what a reader found at a position, for error messages ("found a number", "found 'x'"); checks bounds. */
final class JsonText {
    private JsonText() {
    }

    /** Checks that a document lies within its buffer, once, before a reader reads it without further checks. */
    static void checkBounds(final DirectBuffer source, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset > source.capacity() - length) {
            throw new IndexOutOfBoundsException("document at " + offset + " of " + length + " bytes in a buffer of "
                + source.capacity());
        }
    }

    static String describe(final DirectBuffer buffer, final int at, final int end) {
        if (at >= end) {
            return "the end of the document";
        }
        final byte b = buffer.getByte(at);
        return switch (b) {
            case '"' -> "a string";
            case '{' -> "an object";
            case '[' -> "an array";
            case 't' -> startsWith(buffer, at, end, "true") ? "a boolean" : "'t'";
            case 'f' -> startsWith(buffer, at, end, "false") ? "a boolean" : "'f'";
            case 'n' -> startsWith(buffer, at, end, "null") ? "null" : "'n'";
            default -> b == '-' || b >= '0' && b <= '9' ? "a number"
                : b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b & 0xFF);
        };
    }

    private static boolean startsWith(final DirectBuffer buffer, final int at, final int end, final String word) {
        if (at + word.length() > end) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (buffer.getByte(at + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
