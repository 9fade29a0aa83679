package io.ecap.model.json;

import java.nio.ByteOrder;
import org.agrona.UnsafeApi;

/**
 * The bytes inside JSON strings, in memory as for {@link UnsafeApi#getByte(Object, long)}: runs of plain bytes
 * (printable ASCII other than the quote and the backslash, copied as they are; eight tested at a time where eight are
 * left) and UTF-8 sequences (validated: no overlong forms, no surrogates, nothing above U+10FFFF).
 */
final class StringBytes {
    /** {@link #sequenceLength}: not a UTF-8 lead byte, or a continuation byte missing. */
    static final int INVALID = 0;
    /** {@link #sequenceLength}: the document ends inside the sequence. */
    static final int TRUNCATED = -1;
    /** {@link #sequenceLength}: an overlong form, a surrogate or a code point above U+10FFFF. */
    static final int OUT_OF_RANGE = -2;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private StringBytes() {
    }

    /**
     * The index of the first byte in {@code [from, end)} that is not plain: a quote, a backslash, a control
     * character or a byte above 0x7F; {@code end} if there is none.
     */
    static int plainRunEnd(final byte[] base, final long address, final int from, final int end) {
        int p = from;
        if (NATIVE_LE) {
            while (p + 8 <= end) {
                final long special = specialBytes(UnsafeApi.getLong(base, address + p));
                if (special != 0) {
                    return p + (Long.numberOfTrailingZeros(special) >>> 3);
                }
                p += 8;
            }
        }
        while (p < end) {
            final int b = UnsafeApi.getByte(base, address + p);
            if (b < 0x20 || b == '"' || b == '\\') { // a byte from 0x80 up is negative here
                return p;
            }
            p++;
        }
        return end;
    }

    /**
     * For eight bytes read little-endian: a word whose high bit is set in the first (lowest) byte that is a quote, a
     * backslash, below 0x20 or above 0x7F, and zero if there is none. Bytes after the first such one may be flagged
     * wrongly (a borrow carries upwards), which is why only the lowest flag counts.
     */
    static long specialBytes(final long word) {
        final long quote = word ^ 0x2222222222222222L;
        final long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
        return (word | (word - 0x2020202020202020L & ~word)
            | (quote - 0x0101010101010101L & ~quote)
            | (backslash - 0x0101010101010101L & ~backslash)) & 0x8080808080808080L;
    }

    /**
     * The length of the valid UTF-8 sequence that starts with a byte above 0x7F at {@code at} and ends before
     * {@code end - 1} (a closing quote must still fit), or {@link #INVALID}, {@link #TRUNCATED} or
     * {@link #OUT_OF_RANGE}.
     */
    static int sequenceLength(final byte[] base, final long address, final int at, final int end) {
        final int lead = UnsafeApi.getByte(base, address + at) & 0xFF;
        final int extra;
        final int min;
        int cp;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
            min = 0x80;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            min = 0x800;
            cp = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            min = 0x10000;
            cp = lead & 0x07;
        } else {
            return INVALID;
        }
        if (at + extra >= end) {
            return TRUNCATED;
        }
        for (int i = 1; i <= extra; i++) {
            final int c = UnsafeApi.getByte(base, address + at + i) & 0xFF;
            if ((c & 0xC0) != 0x80) {
                return INVALID;
            }
            cp = cp << 6 | (c & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
            return OUT_OF_RANGE;
        }
        return extra + 1;
    }
}
