package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * String values read eight bytes at a time where they are plain must read exactly as one byte at a time would: every
 * piece (plain text, escapes, multi-byte characters) at every alignment, and a forbidden byte anywhere in a plain run
 * is found.
 */
class StringReadingProperties {
    private static final String[] PIECES = {"a", "Z", "0", " ", "~", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00",
        "é", "€", "😀", "abcdefgh", "0123456789abcdef", "\\/"};
    private static final String[] DECODED = {"a", "Z", "0", " ", "~", "\"", "\\", "\n", "é", "😀",
        "é", "€", "😀", "abcdefgh", "0123456789abcdef", "/"};

    @Property(tries = 2000)
    void shouldReadWhatWasWritten(@ForAll("pieces") final List<Integer> pieces,
        @ForAll @IntRange(min = 0, max = 9) final int padding) {
        final StringBuilder json = new StringBuilder("\"");
        final StringBuilder expected = new StringBuilder();
        for (final int p : pieces) {
            json.append(PIECES[p]);
            expected.append(DECODED[p]);
        }
        json.append('"');
        final JsonReader reader = readerAt(json.toString(), padding);
        final int length = reader.readString();
        final byte[] read = new byte[length];
        reader.stringBuffer().getBytes(0, read);
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), read, json.toString());
        assertEquals('0', reader.peek(), "the reader stops right after the closing quote");
    }

    @Property(tries = 2000)
    void shouldFindAForbiddenByteAnywhere(@ForAll @IntRange(min = 0, max = 40) final int before,
        @ForAll @IntRange(min = 0, max = 40) final int after, @ForAll("forbidden") final byte bad,
        @ForAll @IntRange(min = 0, max = 9) final int padding) {
        final byte[] body = new byte[before + 1 + after];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        body[before] = bad;
        final String json = "\"" + new String(body, StandardCharsets.ISO_8859_1) + "\"";
        final byte[] bytes = json.getBytes(StandardCharsets.ISO_8859_1);
        final JsonReader reader = readerAt(bytes, padding);
        assertThrows(ValidationException.class, reader::readString, json);
    }

    @Provide
    Arbitrary<List<Integer>> pieces() {
        return Arbitraries.integers().between(0, PIECES.length - 1).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Byte> forbidden() {
        // a control character, a lone continuation byte, an invalid lead byte
        return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x0A, (byte) 0x1F, (byte) 0x80, (byte) 0xBF,
            (byte) 0xC0, (byte) 0xF8, (byte) 0xFF);
    }

    private static JsonReader readerAt(final String json, final int padding) {
        return readerAt((json + "0").getBytes(StandardCharsets.UTF_8), padding);
    }

    private static JsonReader readerAt(final byte[] document, final int padding) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[document.length + padding + 16]);
        buffer.setMemory(0, buffer.capacity(), (byte) '"');
        buffer.putBytes(padding, document);
        return new JsonReader().reset(buffer, padding, document.length);
    }
}
