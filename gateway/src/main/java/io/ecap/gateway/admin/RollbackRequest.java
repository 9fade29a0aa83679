package io.ecap.gateway.admin;

import io.ecap.model.ValidationException;
import io.ecap.model.json.JsonReader;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * The body of {@code POST .../rollback}, read strictly with the reader {@code /v1/score} uses, so that its errors
 * have the same shape ({@code invalid_json} for malformed JSON, {@code invalid_field} with the field's name):
 * {@code {"journalIndex": N}} with N a positive whole number, or {@code {"version": "none"}}. A field given twice,
 * an unknown field or both fields together are refused; {@code null} means absent.
 *
 * @param journalIndex the version to go back to, or 0 if not given
 * @param version      the version named, or null if not given
 */
record RollbackRequest(long journalIndex, String version) {
    static final RollbackRequest DEFAULT = new RollbackRequest(0, null);

    private static final byte[] JOURNAL_INDEX = "journalIndex".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = "version".getBytes(StandardCharsets.US_ASCII);

    /** Reads {@code body[0, length)}; throws a {@link ValidationException} naming the field that is wrong. */
    static RollbackRequest parse(final DirectBuffer body, final int length) {
        final JsonReader reader = new JsonReader().reset(body, 0, length);
        reader.beginObject();
        long index = 0;
        String version = null;
        boolean indexSeen = false;
        boolean versionSeen = false;
        while (reader.nextField()) {
            if (reader.fieldIs(JOURNAL_INDEX)) {
                reader.field("journalIndex");
                if (indexSeen) {
                    throw reader.value("appears more than once");
                }
                indexSeen = true;
                if (reader.peekNull()) {
                    reader.readNull();
                } else {
                    index = positiveWholeNumber(reader);
                }
            } else if (reader.fieldIs(VERSION)) {
                reader.field("version");
                if (versionSeen) {
                    throw reader.value("appears more than once");
                }
                versionSeen = true;
                if (reader.peekNull()) {
                    reader.readNull();
                } else {
                    final int n = reader.readString();
                    version = reader.stringBuffer().getStringWithoutLengthUtf8(0, n);
                }
            } else {
                final String name = reader.fieldName();
                reader.field(name);
                throw reader.value("unknown field (expected journalIndex or version)");
            }
        }
        reader.endDocument();
        if (index != 0 && version != null) {
            throw new ValidationException("version", "give journalIndex or version, not both");
        }
        return new RollbackRequest(index, version);
    }

    private static long positiveWholeNumber(final JsonReader reader) {
        if (reader.peek() != '0') {
            throw reader.wrongType("a journal index (a positive whole number)");
        }
        reader.readNumber();
        final String text = reader.buffer().getStringWithoutLengthAscii(reader.numberStart(), reader.numberLength());
        if (text.matches("[1-9][0-9]*")) {
            try {
                return Long.parseLong(text);
            } catch (final NumberFormatException e) {
                // beyond a long: refused below
            }
        }
        throw reader.value("expected a journal index (a positive whole number), found " + text);
    }
}
