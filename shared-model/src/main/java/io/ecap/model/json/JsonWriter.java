package io.ecap.model.json;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes compact JSON into a growable buffer. Commas are placed automatically; nesting is up to 16 levels. Strings are
 * escaped per RFC 8259 (control characters, quote and backslash); non-ASCII UTF-8 bytes are copied as they are.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 16;

    private final ExpandableArrayBuffer buffer;
    private final boolean[] needsComma = new boolean[MAX_DEPTH];
    private int length;
    private int depth;

    public JsonWriter() {
        this(new ExpandableArrayBuffer(1024));
    }

    public JsonWriter(final ExpandableArrayBuffer buffer) {
        this.buffer = buffer;
    }

    public JsonWriter reset() {
        length = 0;
        depth = 0;
        needsComma[0] = false;
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    /** The JSON written so far, as a String (allocates). */
    @Override
    public String toString() {
        return buffer.getStringWithoutLengthUtf8(0, length);
    }

    public JsonWriter beginObject() {
        beforeValue();
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        beforeValue();
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    /** Writes a field name; the next call writes its value. */
    public JsonWriter name(final String name) {
        beforeValue();
        raw('"');
        for (int i = 0; i < name.length(); i++) {
            raw(name.charAt(i));
        }
        raw('"');
        raw(':');
        needsComma[depth] = false;
        return this;
    }

    public JsonWriter value(final CharSequence text) {
        if (text == null) {
            return nullValue();
        }
        beforeValue();
        raw('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                escaped(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, text.charAt(++i)));
            } else {
                utf8(Character.isSurrogate(c) ? 0xFFFD : c);
            }
        }
        raw('"');
        return this;
    }

    private void utf8(final int cp) {
        if (cp < 0x800) {
            rawByte(0xC0 | cp >> 6);
        } else if (cp < 0x10000) {
            rawByte(0xE0 | cp >> 12);
            rawByte(0x80 | cp >> 6 & 0x3F);
        } else {
            rawByte(0xF0 | cp >> 18);
            rawByte(0x80 | cp >> 12 & 0x3F);
            rawByte(0x80 | cp >> 6 & 0x3F);
        }
        rawByte(0x80 | cp & 0x3F);
    }

    /** Writes a string held as UTF-8 or ASCII bytes in a buffer. */
    public JsonWriter value(final DirectBuffer src, final int offset, final int count) {
        beforeValue();
        raw('"');
        for (int i = 0; i < count; i++) {
            escaped(src.getByte(offset + i) & 0xFF);
        }
        raw('"');
        return this;
    }

    public JsonWriter value(final long number) {
        beforeValue();
        buffer.checkLimit(length + 20);
        length += buffer.putLongAscii(length, number);
        return this;
    }

    /** Writes a double in its shortest exact form; NaN and infinities become null (JSON has no such numbers). */
    public JsonWriter value(final double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            return nullValue();
        }
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return value((long) number);
        }
        beforeValue();
        final String s = Double.toString(number);
        for (int i = 0; i < s.length(); i++) {
            raw(s.charAt(i));
        }
        return this;
    }

    /** Writes {@code units * 10^-exponent} exactly, as a decimal string (e.g. "12.50"). */
    public JsonWriter decimalString(final long units, final int exponent) {
        beforeValue();
        raw('"');
        long magnitude = units;
        if (units < 0) {
            raw('-');
            magnitude = -units;
        }
        if (exponent == 0) {
            buffer.checkLimit(length + 20);
            length += buffer.putLongAscii(length, magnitude);
        } else {
            long pow = 1;
            for (int i = 0; i < exponent; i++) {
                pow *= 10;
            }
            buffer.checkLimit(length + 20);
            length += buffer.putLongAscii(length, magnitude / pow);
            raw('.');
            final long fraction = magnitude % pow;
            for (long p = pow / 10; p > 0; p /= 10) {
                raw((char) ('0' + fraction / p % 10));
            }
        }
        raw('"');
        return this;
    }

    public JsonWriter value(final boolean flag) {
        beforeValue();
        final String s = flag ? "true" : "false";
        for (int i = 0; i < s.length(); i++) {
            raw(s.charAt(i));
        }
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        raw('n');
        raw('u');
        raw('l');
        raw('l');
        return this;
    }

    private JsonWriter open(final char c) {
        if (depth + 1 == MAX_DEPTH) {
            throw new IllegalStateException("JSON nesting deeper than " + MAX_DEPTH);
        }
        raw(c);
        needsComma[++depth] = false;
        return this;
    }

    private JsonWriter close(final char c) {
        raw(c);
        depth--;
        needsComma[depth] = true;
        return this;
    }

    private void beforeValue() {
        if (needsComma[depth]) {
            raw(',');
        }
        needsComma[depth] = true;
    }

    private void escaped(final int c) {
        if (c >= 0x20 && c != '"' && c != '\\') {
            rawByte(c); // the common case first: one test instead of the switch
            return;
        }
        switch (c) {
            case '"' -> {
                raw('\\');
                raw('"');
            }
            case '\\' -> {
                raw('\\');
                raw('\\');
            }
            case '\n' -> {
                raw('\\');
                raw('n');
            }
            case '\r' -> {
                raw('\\');
                raw('r');
            }
            case '\t' -> {
                raw('\\');
                raw('t');
            }
            default -> { // the other control characters
                raw('\\');
                raw('u');
                raw('0');
                raw('0');
                raw((char) HEX[c >> 4]);
                raw((char) HEX[c & 0xF]);
            }
        }
    }

    private void raw(final char c) {
        rawByte(c);
    }

    /**
     * One byte, stored straight into the buffer's array (JSON is written a byte at a time: a bounds check and a limit
     * check per byte through the buffer's accessors were a third of the Kafka publisher's JSON time); the buffer grows
     * only when the array is full.
     */
    private void rawByte(final int b) {
        byte[] array = buffer.byteArray();
        if (length >= array.length) {
            buffer.checkLimit(length + 1);
            array = buffer.byteArray();
        }
        array[length++] = (byte) b;
    }
}
