package io.ecap.model.json;

import io.ecap.model.ValidationException;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A strict pull reader for one JSON document (RFC 8259) held in a buffer, made for flat objects of known fields.
 *
 * <p>Strict means: UTF-8 is validated (no overlong forms, no surrogates, nothing above U+10FFFF); control characters
 * must be escaped; numbers follow the JSON grammar; nesting is bounded; nothing but white space may follow the
 * document. Every problem is a {@link ValidationException} that names the field being read (or {@code $} for the
 * document) and says what was expected and what was found. Reading a valid document allocates nothing.
 */
public final class JsonReader {
    /** Deepest nesting accepted, counting the top-level object. */
    public static final int MAX_DEPTH = 32;
    /** Longest string value accepted, in bytes after unescaping. */
    public static final int MAX_STRING_BYTES = 4096;
    /** Longest number token accepted. */
    public static final int MAX_NUMBER_CHARS = 64;

    private static final long BYTES_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private final byte[] stringBytes = new byte[MAX_STRING_BYTES];
    private final UnsafeBuffer stringValue = new UnsafeBuffer(stringBytes);
    private DirectBuffer buffer;
    /** The document's bytes, read directly: {@link #reset} checked its bounds once, {@link #at} checks the end. */
    private byte[] array;
    private long address;
    private int position;
    private int end;
    private int start;
    private int stringLength;
    private int numberStart;
    private int numberLength;
    private int fieldStart;
    private int fieldLength;
    private final boolean[] first = new boolean[MAX_DEPTH + 1];
    private int depth;
    private String field = "$";
    private boolean discard;
    private boolean escaped;

    /** Starts reading the document in {@code buffer[offset, offset + length)}. */
    public JsonReader reset(final DirectBuffer source, final int offset, final int length) {
        JsonText.checkBounds(source, offset, length);
        this.buffer = source;
        this.array = source.byteArray();
        this.address = source.addressOffset();
        this.start = offset;
        this.position = offset;
        this.end = offset + length;
        this.field = "$";
        this.depth = 0;
        return this;
    }

    /** Expects the start of an object at the top level. */
    public void beginObject() {
        skipWhitespace();
        if (position >= end) {
            throw syntax("the document is empty (expected a JSON object)");
        }
        if (at(position) != '{') {
            throw new ValidationException("$", "expected a JSON object, found " + describe(position));
        }
        open();
    }

    /** Expects an array at the top level; then read it with {@link #nextElement()}. */
    public void beginArrayDocument() {
        skipWhitespace();
        if (position >= end) {
            throw syntax("the document is empty (expected a JSON array)");
        }
        if (at(position) != '[') {
            throw new ValidationException("$", "expected a JSON array, found " + describe(position));
        }
        open();
    }

    /** Where the reader is, as an offset into the buffer. */
    public int position() {
        return position;
    }

    /** Expects an object as the current value; then read it with {@link #nextField()}. */
    public void beginObjectValue() {
        if (at(position) != '{') {
            throw wrongType("an object");
        }
        open();
    }

    /** Expects an array as the current value; then read it with {@link #nextElement()}. */
    public void beginArray() {
        if (at(position) != '[') {
            throw wrongType("an array");
        }
        open();
    }

    private void open() {
        if (depth == MAX_DEPTH) {
            throw new ValidationException("$", "nesting deeper than " + MAX_DEPTH + " levels");
        }
        position++;
        first[++depth] = true;
    }

    /** Moves to the next element of the current array. Returns false at the closing bracket. */
    public boolean nextElement() {
        skipWhitespace();
        if (position >= end) {
            throw syntax("the array is not closed");
        }
        if (at(position) == ']') {
            position++;
            depth--;
            return false;
        }
        if (!first[depth]) {
            if (at(position) != ',') {
                throw syntax("expected ',' or ']' after an array element, found " + describe(position));
            }
            position++;
            skipWhitespace();
            if (position >= end) {
                throw syntax("the array is not closed");
            }
        }
        first[depth] = false;
        return true;
    }

    /**
     * Moves to the next field of the current object. Returns false at the closing brace.
     *
     * <p>Field names are compared with {@link #fieldIs(byte[])} as written: a name written with an escape is refused
     * (a name with an escape for one of its letters is a known field to other readers, and must not be a second one).
     */
    public boolean nextField() {
        skipWhitespace();
        if (position >= end) {
            throw syntax("the object is not closed");
        }
        byte b = at(position);
        if (b == '}') {
            position++;
            depth--;
            field = "$";
            return false;
        }
        if (!first[depth]) {
            if (b != ',') {
                throw syntax("expected ',' or '}' after a field, found " + describe(position));
            }
            position++;
            skipWhitespace();
            b = position < end ? at(position) : 0;
        }
        if (b != '"') {
            throw syntax("expected a field name in double quotes, found " + describe(position));
        }
        first[depth] = false;
        fieldStart = position + 1;
        escaped = false;
        scanString();
        if (escaped) {
            throw syntax("a field name is written with an escape (\\); write field names plainly");
        }
        fieldLength = position - 1 - fieldStart;
        skipWhitespace();
        if (position >= end || at(position) != ':') {
            throw syntax("expected ':' after a field name, found " + describe(position));
        }
        position++;
        skipWhitespace();
        if (position >= end) {
            throw syntax("a field has no value");
        }
        field = "$";
        return true;
    }

    /** True if the current field name is exactly these ASCII bytes. */
    public boolean fieldIs(final byte[] name) {
        if (name.length != fieldLength) {
            return false;
        }
        for (int i = 0; i < fieldLength; i++) {
            if (at(fieldStart + i) != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** The current field's name as written (escapes left as they are), for messages. Allocates. */
    public String fieldName() {
        return buffer.getStringWithoutLengthUtf8(fieldStart, fieldLength);
    }

    /** Names the field being read, for error messages. */
    public JsonReader field(final String name) {
        this.field = name;
        return this;
    }

    public String field() {
        return field;
    }

    /** Checks that only white space follows the document. */
    public void endDocument() {
        skipWhitespace();
        if (position != end) {
            throw new ValidationException("$",
                "unexpected content after the JSON object at byte " + (position - start));
        }
    }

    /** What the next value is: one of {@code " { [ t f n} or {@code 0} for a number. */
    public int peek() {
        final byte b = at(position);
        return b == '-' || b >= '0' && b <= '9' ? '0' : b;
    }

    public boolean peekNull() {
        return at(position) == 'n';
    }

    /** Reads {@code null}. */
    public void readNull() {
        literal("null");
    }

    /**
     * Reads a string value into {@link #stringBuffer()} (UTF-8, unescaped) and returns its length in bytes.
     */
    public int readString() {
        if (at(position) != '"') {
            throw wrongType("a string");
        }
        stringLength = 0;
        position++;
        while (true) {
            copyPlainRun();
            if (position >= end) {
                throw syntax("a string is not closed");
            }
            final int b = at(position) & 0xFF;
            if (b == '"') {
                position++;
                return stringLength;
            }
            if (b == '\\') {
                readEscape();
            } else if (b < 0x20) {
                throw value("contains an unescaped control character");
            } else if (b < 0x80) {
                appendByte(b);
                position++;
            } else {
                copyUtf8Sequence();
            }
        }
    }

    /** Copies the run of plain bytes at the position ({@link StringBytes}) and moves past it. */
    private void copyPlainRun() {
        final int p = StringBytes.plainRunEnd(array, address, position, end);
        final int n = p - position;
        if (n == 0) {
            return;
        }
        if (stringLength + n > MAX_STRING_BYTES) {
            throw value("is a string longer than " + MAX_STRING_BYTES + " bytes");
        }
        if (!discard) {
            UnsafeApi.copyMemory(array, address + position, stringBytes, BYTES_BASE + stringLength, n);
        }
        stringLength += n;
        position = p;
    }

    /** The bytes of the last string read. */
    public DirectBuffer stringBuffer() {
        return stringValue;
    }

    public int stringLength() {
        return stringLength;
    }

    /** Reads a number token; its text is then at {@link #numberStart()} for {@link #numberLength()} bytes. */
    public void readNumber() {
        final byte first = at(position);
        if (first != '-' && (first < '0' || first > '9')) {
            throw wrongType("a number");
        }
        numberStart = position;
        position += first == '-' ? 1 : 0;
        if (position < end && at(position) == '0') {
            position++;
        } else if (!digits()) {
            throw value("is not a valid JSON number");
        }
        if (position < end && at(position) == '.') {
            position++;
            if (!digits()) {
                throw value("is not a valid JSON number (digits must follow the decimal point)");
            }
        }
        if (position < end && (at(position) | 0x20) == 'e') {
            position++;
            if (position < end && (at(position) == '+' || at(position) == '-')) {
                position++;
            }
            if (!digits()) {
                throw value("is not a valid JSON number (digits must follow the exponent)");
            }
        }
        numberLength = position - numberStart;
        if (numberLength > MAX_NUMBER_CHARS) {
            throw value("is a number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        final byte next = at(position);
        if (position < end && next != ',' && next != '}' && next != ']' && !isWhitespace(next)) {
            throw value("is not a valid JSON number");
        }
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    public int numberStart() {
        return numberStart;
    }

    public int numberLength() {
        return numberLength;
    }

    /** Skips any value, nested or not, within the depth bound. */
    public void skipValue() {
        long objectLevels = 0; // bit i set: the container at nesting level i is an object
        int depth = 0;
        while (true) {
            skipWhitespace();
            if (position >= end) {
                throw syntax("the document ends inside a value");
            }
            final byte b = at(position);
            if (b == '{' || b == '[') {
                if (this.depth + depth + 1 > MAX_DEPTH) {
                    throw new ValidationException("$", "nesting deeper than " + MAX_DEPTH + " levels");
                }
                position++;
                final boolean isObject = b == '{';
                objectLevels = isObject ? objectLevels | 1L << depth : objectLevels & ~(1L << depth);
                depth++;
                skipWhitespace();
                if (position < end && at(position) == (isObject ? '}' : ']')) {
                    position++;
                    depth--;
                } else {
                    if (isObject) {
                        skipFieldName();
                    }
                    continue;
                }
            } else {
                skipScalar(b);
            }
            depth = afterValue(objectLevels, depth);
            if (depth == 0) {
                return;
            }
        }
    }

    /**
     * After a value: consumes closing brackets of finished containers, or a comma (and the next field name).
     *
     * @return the depth at which the next value is expected, or 0 when the skipped value is complete.
     */
    private int afterValue(final long objectLevels, final int depthIn) {
        int depth = depthIn;
        while (depth > 0) {
            skipWhitespace();
            if (position >= end) {
                throw syntax("the document ends inside a value");
            }
            final byte b = at(position);
            final boolean inObject = (objectLevels & 1L << depth - 1) != 0;
            if (b == ',') {
                position++;
                if (inObject) {
                    skipWhitespace();
                    skipFieldName();
                }
                return depth;
            }
            if (b != (inObject ? '}' : ']')) {
                throw syntax("expected ',' or a closing bracket, found " + describe(position));
            }
            position++;
            depth--;
        }
        return 0;
    }

    private void skipFieldName() {
        if (position >= end || at(position) != '"') {
            throw syntax("expected a field name in double quotes, found " + describe(position));
        }
        scanString();
        skipWhitespace();
        if (position >= end || at(position) != ':') {
            throw syntax("expected ':' after a field name, found " + describe(position));
        }
        position++;
    }

    private void skipScalar(final byte b) {
        switch (b) {
            case '"' -> scanString();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> readNumber();
        }
    }

    /** Validates a string (escapes and UTF-8) without keeping its bytes; position ends after the closing quote. */
    private void scanString() {
        final int keptLength = stringLength;
        discard = true;
        try {
            readString();
        } finally {
            discard = false;
            stringLength = keptLength;
        }
    }

    private void readEscape() {
        if (position + 1 >= end) {
            throw syntax("a string ends inside an escape");
        }
        final byte e = at(position + 1);
        position += 2;
        escaped = true;
        switch (e) {
            case '"' -> appendByte('"');
            case '\\' -> appendByte('\\');
            case '/' -> appendByte('/');
            case 'b' -> appendByte('\b');
            case 'f' -> appendByte('\f');
            case 'n' -> appendByte('\n');
            case 'r' -> appendByte('\r');
            case 't' -> appendByte('\t');
            case 'u' -> readUnicodeEscape();
            default -> throw value("contains an invalid escape \\" + (char) e);
        }
    }

    private void readUnicodeEscape() {
        int cp = hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (position + 1 < end && at(position) == '\\' && at(position + 1) == 'u') {
                position += 2;
                final int low = hex4();
                if (low < 0xDC00 || low > 0xDFFF) {
                    throw value("contains an unpaired surrogate escape");
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
                throw value("contains an unpaired surrogate escape");
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            throw value("contains an unpaired surrogate escape");
        }
        appendCodePoint(cp);
    }

    private int hex4() {
        if (position + 4 > end) {
            throw value("contains a truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            final int c = at(position + i);
            final int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                throw value("contains an invalid \\u escape");
            }
            v = v << 4 | d;
        }
        position += 4;
        return v;
    }

    private void copyUtf8Sequence() {
        final int n = StringBytes.sequenceLength(array, address, position, end);
        if (n <= 0) {
            throw value(n == StringBytes.TRUNCATED ? "is not valid UTF-8 (truncated sequence)"
                : n == StringBytes.OUT_OF_RANGE ? "is not valid UTF-8 (overlong form, surrogate or out of range)"
                : "is not valid UTF-8");
        }
        for (int i = 0; i < n; i++) {
            appendByte(at(position + i));
        }
        position += n;
    }

    private void appendCodePoint(final int cp) {
        if (cp < 0x80) {
            appendByte(cp);
        } else if (cp < 0x800) {
            appendByte(0xC0 | cp >> 6);
            appendByte(0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            appendByte(0xE0 | cp >> 12);
            appendByte(0x80 | cp >> 6 & 0x3F);
            appendByte(0x80 | cp & 0x3F);
        } else {
            appendByte(0xF0 | cp >> 18);
            appendByte(0x80 | cp >> 12 & 0x3F);
            appendByte(0x80 | cp >> 6 & 0x3F);
            appendByte(0x80 | cp & 0x3F);
        }
    }

    private void appendByte(final int b) {
        if (stringLength == MAX_STRING_BYTES) {
            throw value("is a string longer than " + MAX_STRING_BYTES + " bytes");
        }
        if (!discard) {
            stringBytes[stringLength] = (byte) b;
        }
        stringLength++;
    }

    /** The document's byte at {@code i}, or 0 past its end. */
    private byte at(final int i) {
        return i < end ? UnsafeApi.getByte(array, address + i) : 0;
    }

    private boolean digits() {
        final int from = position;
        while (position < end && at(position) >= '0' && at(position) <= '9') {
            position++;
        }
        return position > from;
    }

    private void literal(final String word) {
        final int length = word.length();
        for (int i = 0; i < length; i++) { // past the end reads as 0, which is no letter
            if (at(position + i) != word.charAt(i)) {
                throw value("is not a valid JSON value");
            }
        }
        position += length;
    }

    private void skipWhitespace() {
        while (isWhitespace(at(position))) { // past the end reads as 0, which is not white space
            position++;
        }
    }

    private static boolean isWhitespace(final byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** An error about the current field's value. */
    public ValidationException value(final String problem) {
        return new ValidationException(field, problem);
    }

    /** An error for a value of the wrong JSON type. */
    public ValidationException wrongType(final String expected) {
        return new ValidationException(field, "expected " + expected + ", found " + describe(position));
    }

    private ValidationException syntax(final String problem) {
        return new ValidationException("$", "malformed JSON at byte " + (position - start) + ": " + problem);
    }

    private String describe(final int at) {
        return JsonText.describe(buffer, at, end);
    }
}
