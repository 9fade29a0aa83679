package io.ecap.model.field;

/**
 * Writes out the JSON escapes {@code \\uXXXX} that stand for a digit, an ASCII letter, a space or a dash, the
 * characters card numbers and the words around them are made of, so that {@link PanMask} sees a card number however
 * its digits were written. Other escapes (a quote, a backslash, control characters, non-ASCII) stay as they are, and
 * so does an escape whose backslash is itself escaped ({@code \\\\u0031} is a backslash and the text {@code u0031}).
 */
final class JsonLetterEscapes {
    private JsonLetterEscapes() {
    }

    /** The text with those escapes written out; the same array when it has none. */
    static byte[] decode(final byte[] utf8) {
        if (!hasEscape(utf8)) {
            return utf8;
        }
        final byte[] out = new byte[utf8.length];
        int n = 0;
        int backslashes = 0;
        for (int i = 0; i < utf8.length; i++) {
            final byte b = utf8[i];
            if (b == '\\' && backslashes % 2 == 0 && i + 5 < utf8.length && utf8[i + 1] == 'u') {
                final int c = hex4(utf8, i + 2);
                if (c >= 0 && isLetterOrDigit(c) || c == ' ' || c == '-') {
                    out[n++] = (byte) c;
                    i += 5;
                    backslashes = 0;
                    continue;
                }
            }
            backslashes = b == '\\' ? backslashes + 1 : 0;
            out[n++] = b;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static boolean hasEscape(final byte[] utf8) {
        for (int i = 0; i + 1 < utf8.length; i++) {
            if (utf8[i] == '\\' && utf8[i + 1] == 'u') {
                return true;
            }
        }
        return false;
    }

    private static boolean isLetterOrDigit(final int c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    /** The value of four hexadecimal digits at {@code at}, or -1. */
    private static int hex4(final byte[] text, final int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            final int b = text[i];
            final int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10
                : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
