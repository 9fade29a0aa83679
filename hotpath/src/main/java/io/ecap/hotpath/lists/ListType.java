package io.ecap.hotpath.lists;

import io.ecap.model.ValidationException;
import java.util.Locale;

/** Which list: a blocked entity's transactions are declined, an allowed one's approved (a block wins over an allow). */
public enum ListType {
    BLOCK("BLOCKLIST_"),
    ALLOW("ALLOWLIST_");

    public static final ListType[] ALL = values();

    private final String reasonPrefix;

    ListType(final String reasonPrefix) {
        this.reasonPrefix = reasonPrefix;
    }

    /** The decision's reason code for an entity of {@code kind} on this list, e.g. BLOCKLIST_CARD. */
    public String reasonCode(final ListKind kind) {
        return reasonPrefix + kind.name();
    }

    /** Lower case, as in URLs and stream entries: block, allow. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ListType parse(final String text, final String field) {
        return byLabel(ALL, text, field, "block or allow");
    }

    /** The constant whose lower-case name is {@code text}, or a {@link ValidationException} on {@code field}. */
    static <E extends Enum<E>> E byLabel(final E[] all, final String text, final String field,
        final String expected) {
        for (final E e : all) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                return e;
            }
        }
        throw new ValidationException(field, "expected " + expected + ", found '" + text + "'");
    }
}
