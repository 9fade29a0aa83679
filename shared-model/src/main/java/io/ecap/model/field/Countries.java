package io.ecap.model.field;

import java.util.Locale;

/**
 * ISO 3166-1 alpha-2 country codes (the JDK's list), packed into a 16-bit value: {@code c0 << 8 | c1}. Zero means
 * "not given". Lookups allocate nothing.
 */
public final class Countries {
    public static final int ABSENT = 0;

    private static final boolean[] KNOWN = new boolean[26 * 26];

    static {
        for (final String code : Locale.getISOCountries()) {
            KNOWN[(code.charAt(0) - 'A') * 26 + (code.charAt(1) - 'A')] = true;
        }
    }

    private Countries() {
    }

    /** The packed code for two upper-case letters, or {@link #ABSENT} if they are not an ISO 3166 country. */
    public static int pack(final int c0, final int c1) {
        if (c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z' || !KNOWN[(c0 - 'A') * 26 + (c1 - 'A')]) {
            return ABSENT;
        }
        return c0 << 8 | c1;
    }

    /** The packed code of a string, or {@link #ABSENT} if it is not a known country. */
    public static int pack(final String code) {
        return code == null || code.length() != 2 ? ABSENT : pack(code.charAt(0), code.charAt(1));
    }

    /** The two-letter code of a packed value. */
    public static String unpack(final int packed) {
        if (packed == ABSENT) {
            return null;
        }
        return new String(new char[] {(char) (packed >>> 8), (char) (packed & 0xFF)});
    }
}
