package io.ecap.model.field;

import io.ecap.model.ValidationException;
import org.agrona.DirectBuffer;

/**
 * The currencies ECAP accepts: ISO 4217 alphabetic code, numeric code and minor-unit exponent (taken from the JDK's
 * ISO 4217 table) and a reference rate to US dollars.
 *
 * <p>The rates only put amounts of different currencies on one scale for velocity sums and amount statistics; they
 * are approximate, fixed per release (so that replaying a journal gives the same features), and never used to settle
 * money. A currency outside this table is rejected as unknown.
 *
 * <p>Lookups by code or numeric code allocate nothing.
 */
public final class Currencies {
    /** Numeric code used in binary messages when no currency is given. */
    public static final int ABSENT = 0;

    private static final Object[][] TABLE = {
        // code, units per US dollar (approximate reference rates)
        {"USD", 1.0}, {"EUR", 0.92}, {"GBP", 0.79}, {"JPY", 150.0}, {"CHF", 0.88}, {"CAD", 1.37},
        {"AUD", 1.52}, {"NZD", 1.66}, {"CNY", 7.2}, {"HKD", 7.8}, {"SGD", 1.34}, {"INR", 83.0},
        {"KRW", 1350.0}, {"SEK", 10.5}, {"NOK", 10.7}, {"DKK", 6.9}, {"PLN", 4.0}, {"CZK", 23.0},
        {"HUF", 360.0}, {"RON", 4.6}, {"BGN", 1.8}, {"TRY", 32.0}, {"ZAR", 18.5}, {"BRL", 5.0},
        {"MXN", 17.5}, {"ARS", 900.0}, {"CLP", 950.0}, {"COP", 3900.0}, {"PEN", 3.7}, {"AED", 3.67},
        {"SAR", 3.75}, {"ILS", 3.7}, {"EGP", 48.0}, {"NGN", 1500.0}, {"KES", 130.0}, {"THB", 36.0},
        {"MYR", 4.7}, {"IDR", 16000.0}, {"PHP", 56.0}, {"VND", 25000.0}, {"TWD", 32.0}, {"KWD", 0.31},
        {"BHD", 0.376}, {"JOD", 0.71}, {"ISK", 138.0}, {"UAH", 40.0},
    };

    private static final int COUNT = TABLE.length;
    private static final String[] CODES = new String[COUNT + 1];
    private static final int[] NUMERIC = new int[COUNT + 1];
    private static final int[] EXPONENT = new int[COUNT + 1];
    private static final double[] USD_MINOR_PER_MINOR = new double[COUNT + 1];
    private static final byte[] ID_BY_ALPHA = new byte[26 * 26 * 26];
    private static final byte[] ID_BY_NUMERIC = new byte[1000];

    static {
        for (int i = 0; i < COUNT; i++) {
            final int id = i + 1;
            final String code = (String) TABLE[i][0];
            final java.util.Currency jdk = java.util.Currency.getInstance(code);
            CODES[id] = code;
            NUMERIC[id] = jdk.getNumericCode();
            EXPONENT[id] = jdk.getDefaultFractionDigits();
            final double unitsPerUsd = (Double) TABLE[i][1];
            // one minor unit of this currency, expressed in US cents
            USD_MINOR_PER_MINOR[id] = 100.0 / (unitsPerUsd * Math.pow(10, EXPONENT[id]));
            ID_BY_ALPHA[alphaIndex(code.charAt(0), code.charAt(1), code.charAt(2))] = (byte) id;
            ID_BY_NUMERIC[NUMERIC[id]] = (byte) id;
        }
    }

    private Currencies() {
    }

    private static int alphaIndex(final int c0, final int c1, final int c2) {
        return (c0 - 'A') * 676 + (c1 - 'A') * 26 + (c2 - 'A');
    }

    private static boolean isUpper(final int c) {
        return c >= 'A' && c <= 'Z';
    }

    /** Numeric ISO 4217 code of a three-letter code held in a buffer, or 0 if it is not a known currency. */
    public static int numericOf(final DirectBuffer buffer, final int offset, final int length) {
        if (length != 3) {
            return ABSENT;
        }
        final int c0 = buffer.getByte(offset);
        final int c1 = buffer.getByte(offset + 1);
        final int c2 = buffer.getByte(offset + 2);
        if (!isUpper(c0) || !isUpper(c1) || !isUpper(c2)) {
            return ABSENT;
        }
        final int id = ID_BY_ALPHA[alphaIndex(c0, c1, c2)];
        return id == 0 ? ABSENT : NUMERIC[id];
    }

    /** Numeric code of a three-letter code; throws if unknown. Off the hot path. */
    public static int numericOf(final String code, final String field) {
        if (code != null && code.length() == 3
            && isUpper(code.charAt(0)) && isUpper(code.charAt(1)) && isUpper(code.charAt(2))) {
            final int id = ID_BY_ALPHA[alphaIndex(code.charAt(0), code.charAt(1), code.charAt(2))];
            if (id != 0) {
                return NUMERIC[id];
            }
        }
        throw new ValidationException(field,
            "unknown currency '" + code + "' (expected an ISO 4217 code ECAP supports)");
    }

    public static boolean isKnownNumeric(final int numeric) {
        return numeric > 0 && numeric < 1000 && ID_BY_NUMERIC[numeric] != 0;
    }

    /** Number of minor-unit digits (2 for EUR, 0 for JPY, 3 for KWD). */
    public static int exponentOf(final int numeric) {
        return EXPONENT[idOf(numeric)];
    }

    /** The three-letter code. */
    public static String codeOf(final int numeric) {
        return CODES[idOf(numeric)];
    }

    /** An amount in this currency's minor units, converted to US cents with the reference rate. */
    public static double toUsdCents(final long amountMinor, final int numeric) {
        return amountMinor * USD_MINOR_PER_MINOR[idOf(numeric)];
    }

    /** All supported three-letter codes, in table order. */
    public static String[] codes() {
        final String[] result = new String[COUNT];
        System.arraycopy(CODES, 1, result, 0, COUNT);
        return result;
    }

    private static int idOf(final int numeric) {
        final int id = numeric > 0 && numeric < 1000 ? ID_BY_NUMERIC[numeric] : 0;
        if (id == 0) {
            throw new IllegalArgumentException("unknown currency numeric code " + numeric);
        }
        return id;
    }
}
