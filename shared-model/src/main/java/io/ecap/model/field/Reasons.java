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
    /** Something at something dot something: an e-mail address, which names a person. */
    private static final java.util.regex.Pattern EMAIL =
        java.util.regex.Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");

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
        if (EMAIL.matcher(reason).find()) {
            throw new ValidationException(field, "holds what looks like an e-mail address; a reason is kept for good, "
                + "so it names no one (a ticket number is enough)");
        }
        return reason;
    }

    /**
     * As {@link #check}, and the reason must not name {@code id}, the id it is the reason for erasing (as a word of its
     * own: "ticket 4711" does not name the id 7): the erasure keeps only the id's hash, the reason is kept for good.
     */
    public static String checkNotNaming(final String reason, final String field, final String id) {
        check(reason, field);
        final String text = reason.toLowerCase(java.util.Locale.ROOT);
        final String word = id.toLowerCase(java.util.Locale.ROOT);
        for (int at = word.isEmpty() ? -1 : text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            final int end = at + word.length();
            if ((at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1)))
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                throw new ValidationException(field, "names the id it erases; a reason is kept for good, and the "
                    + "erasure keeps only the id's hash");
            }
        }
        return reason;
    }
}
