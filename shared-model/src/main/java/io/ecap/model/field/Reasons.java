package io.ecap.model.field;

import io.ecap.model.ValidationException;

/**
 * The free-text reason an erasure carries (a ticket number, "GDPR art. 17 request"), one rule wherever it comes in
 * (the API, {@code ecap erase}, {@code ecap lake erase}): at most {@link #MAX} characters on one line, and never a card
 * number, since the reason is kept for good (the journal, the case database, the lake's audit).
 */
public final class Reasons {
    /** Most characters (Unicode code points) of a reason. */
    public static final int MAX = 128;

    private Reasons() {
    }

    /** Returns the reason, or throws naming {@code field}. Empty is allowed: the reason is optional. */
    public static String check(final String reason, final String field) {
        final int length = reason.codePointCount(0, reason.length());
        if (length > MAX) {
            throw new ValidationException(field, "is " + length + " characters long (at most " + MAX + ")");
        }
        if (reason.codePoints().anyMatch(Character::isISOControl)) {
            throw new ValidationException(field, "contains a control character (a reason is one line)");
        }
        if (PanMask.contains(reason)) {
            throw new ValidationException(field, "looks like a card number; a reason is kept for good, so it never "
                + "holds one");
        }
        return reason;
    }
}
