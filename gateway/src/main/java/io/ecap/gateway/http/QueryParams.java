package io.ecap.gateway.http;

import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.vertx.core.MultiMap;
import java.util.List;

/** Checks of a request's query parameters shared by the routes that take them; each refusal names the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    /** Every parameter is one of {@code allowed} and given once. */
    public static void only(final MultiMap query, final List<String> allowed) {
        for (final String name : query.names()) {
            if (!allowed.contains(name)) {
                throw new ValidationException(name, allowed.isEmpty() ? "unknown parameter (this route takes none)"
                    : "unknown parameter (expected one of " + allowed + ")");
            }
            if (query.getAll(name).size() > 1) {
                throw new ValidationException(name, "appears more than once");
            }
        }
    }

    /** {@code text} as a whole number from {@code min} to {@code max}, or {@code absent} when it is null. */
    public static int wholeNumber(final String text, final String field, final int min, final int max,
        final int absent) {
        if (text == null) {
            return absent;
        }
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw new ValidationException(field, "expected a whole number from " + min + " to " + max + ", found '"
                + shown(text) + "'");
        }
        return Integer.parseInt(text);
    }

    /** A value as it may be repeated in a message: short, and with any card number masked. */
    public static String shown(final String text) {
        final String masked = PanMask.mask(text);
        return masked.length() > 40 ? masked.substring(0, 40) + "..." : masked;
    }
}
