package io.ecap.gateway.cases;

import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;

/**
 * Checks on the free text analysts write into a case (a comment, a note, an assignee): bounded, not blank, and never
 * a card number, which the service refuses wherever text comes in ({@link PanMask}); the message never repeats it.
 */
public final class CaseText {
    /** Longest comment or note, in characters (Unicode code points). */
    static final int MAX_TEXT = 4_000;
    /** Longest assignee name. */
    static final int MAX_ASSIGNEE = 128;

    private CaseText() {
    }

    public static String check(final String text, final int max, final String field) {
        if (text.isBlank()) {
            throw new ValidationException(field, "must not be empty");
        }
        final int length = text.codePointCount(0, text.length());
        if (length > max) {
            throw new ValidationException(field, "is " + length + " characters long (at most " + max + ")");
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
                throw new ValidationException(field, "contains a control character");
            }
        }
        refuseCardNumber(text, field);
        return text;
    }

    static void refuseCardNumber(final String text, final String field) {
        if (PanMask.contains(text)) {
            throw new ValidationException(field, "looks like a card number; ECAP takes tokens and identifiers, "
                + "never card numbers");
        }
    }
}
