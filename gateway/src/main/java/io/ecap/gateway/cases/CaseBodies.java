package io.ecap.gateway.cases;

import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.ecap.model.json.JsonReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.DirectBuffer;

/**
 * The bodies of the case changes, read strictly with the reader {@code /v1/score} uses, so that their errors have the
 * same shape ({@code invalid_json} for malformed JSON, {@code invalid_field} naming the field): one object whose
 * fields are all strings, each known, each at most once, the required ones present; {@code null} means absent.
 */
final class CaseBodies {
    private CaseBodies() {
    }

    /** {@code {"assignee": "..."}}. */
    static String assignee(final DirectBuffer body, final int length) {
        final Map<String, String> fields = read(body, length, List.of("assignee"));
        return CaseText.check(required(fields, "assignee"), CaseText.MAX_ASSIGNEE, "assignee");
    }

    /** {@code {"text": "..."}}. */
    static String comment(final DirectBuffer body, final int length) {
        final Map<String, String> fields = read(body, length, List.of("text"));
        return CaseText.check(required(fields, "text"), CaseText.MAX_TEXT, "text");
    }

    /** {@code {"resolution": "FRAUD" | "LEGITIMATE", "note": "..."}} (the note may be left out). */
    record Resolution(String resolution, String note) {
        /** The case's status once resolved so. */
        String status() {
            return resolution.equals("FRAUD") ? "CONFIRMED_FRAUD" : "LEGITIMATE";
        }

        /** The label journaled for the transaction. */
        String label() {
            return resolution.equals("FRAUD") ? "FRAUD" : "LEGIT";
        }
    }

    static Resolution resolution(final DirectBuffer body, final int length) {
        final Map<String, String> fields = read(body, length, List.of("resolution", "note"));
        final String resolution = required(fields, "resolution");
        if (!resolution.equals("FRAUD") && !resolution.equals("LEGITIMATE")) {
            throw new ValidationException("resolution", "expected FRAUD or LEGITIMATE, found '"
                + CaseFilter.shown(resolution) + "'");
        }
        final String note = fields.get("note");
        return new Resolution(resolution, note == null ? null : CaseText.check(note, CaseText.MAX_TEXT, "note"));
    }

    private static String required(final Map<String, String> fields, final String name) {
        final String value = fields.get(name);
        if (value == null) {
            throw new ValidationException(name, "is required");
        }
        return value;
    }

    /** The string fields of a one-object body, by name; only {@code names} are allowed. */
    private static Map<String, String> read(final DirectBuffer body, final int length, final List<String> names) {
        final JsonReader reader = new JsonReader().reset(body, 0, length);
        reader.beginObject();
        final Map<String, String> fields = new LinkedHashMap<>();
        final Set<String> seen = new HashSet<>();
        while (reader.nextField()) {
            final String name = known(reader, names);
            reader.field(name);
            if (!seen.add(name)) {
                throw reader.value("appears more than once");
            }
            if (reader.peekNull()) {
                reader.readNull();
            } else {
                final int n = reader.readString();
                fields.put(name, reader.stringBuffer().getStringWithoutLengthUtf8(0, n));
            }
        }
        reader.endDocument();
        return fields;
    }

    private static String known(final JsonReader reader, final List<String> names) {
        for (final String name : names) {
            if (reader.fieldIs(name.getBytes(StandardCharsets.US_ASCII))) {
                return name;
            }
        }
        final String name = PanMask.mask(reader.fieldName());
        reader.field(name);
        throw reader.value("unknown field (expected " + String.join(" or ", names) + ")");
    }
}
