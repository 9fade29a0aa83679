package io.ecap.model.json;

/** Matching field names and enumerated string values. */
final class Names {
    private Names() {
    }

    /**
     * Index of the current field name in {@code names}, or -1 for an unknown field; {@code names[likely]} is tried
     * first (any value: one out of range is not tried).
     */
    static int indexOf(final JsonReader reader, final byte[][] names, final int likely) {
        if (likely >= 0 && likely < names.length && reader.fieldIs(names[likely])) {
            return likely;
        }
        for (int i = 0; i < names.length; i++) {
            if (reader.fieldIs(names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Reads a string that must be one of {@code allowed}, and returns it. Allocates: not for the scoring path. */
    static String oneOf(final JsonReader reader, final String... allowed) {
        final int length = reader.readString();
        final String text = reader.stringBuffer().getStringWithoutLengthUtf8(0, length);
        for (final String a : allowed) {
            if (a.equals(text)) {
                return a;
            }
        }
        throw reader.value("must be one of " + String.join(", ", allowed));
    }
}
