package io.ecap.gateway.http;

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
 * Request bodies that are one JSON object of string fields, read strictly with the reader {@code /v1/score} uses, so
 * that their errors have the same shape ({@code invalid_json} for malformed JSON, {@code invalid_field} naming the
 * field): each field known, each at most once; {@code null} means absent.
 */
public final class StringBodies {
    private StringBodies() {
    }

    /** The string fields of a one-object body, by name; only {@code names} are allowed. */
    public static Map<String, String> read(final DirectBuffer body, final int length, final List<String> names) {
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

    /** A field that must be there. */
    public static String required(final Map<String, String> fields, final String name) {
        final String value = fields.get(name);
        if (value == null) {
            throw new ValidationException(name, "is required");
        }
        return value;
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
