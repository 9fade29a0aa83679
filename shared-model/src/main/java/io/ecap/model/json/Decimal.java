package io.ecap.model.json;

import org.agrona.DirectBuffer;

/**
 * A reusable exact decimal parsed from JSON number text: {@code unscaled * 10^-scale}. Parsing allocates nothing;
 * converting to a double falls back to {@link Double#parseDouble} (which allocates) only for more than 15 significant
 * digits or exponents beyond 10^22.
 */
public final class Decimal {
    /** Most significant digits kept exactly (as long as they fit in a long). */
    public static final int MAX_DIGITS = 19;
    private static final double[] POW10 = new double[23];
    private static final long[] LONG_POW10 = new long[19];

    static {
        double d = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = d;
            d *= 10;
        }
        long l = 1;
        for (int i = 0; i < LONG_POW10.length; i++) {
            LONG_POW10[i] = l;
            l *= 10;
        }
    }

    private long unscaled;
    private int scale;
    private boolean negative;
    private boolean tooPrecise;
    /** Every digit after the point, kept or not, and zeros since the last non-zero digit: for messages. */
    private int fractionDigits;
    private int trailingZeros;
    private int writtenExponent;
    private DirectBuffer text;
    private int textOffset;
    private int textLength;

    /**
     * Parses {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. Returns false if the text does not follow that
     * grammar (exponents are accepted only when {@code allowExponent}).
     */
    public boolean parse(final DirectBuffer source, final int offset, final int length, final boolean allowExponent) {
        text = source;
        textOffset = offset;
        textLength = length;
        unscaled = 0;
        scale = 0;
        negative = false;
        tooPrecise = false;
        fractionDigits = 0;
        trailingZeros = 0;
        writtenExponent = 0;
        final int end = offset + length;
        int i = offset;
        if (i < end && source.getByte(i) == '-') {
            negative = true;
            i++;
        }
        final int intStart = i;
        int significant = 0;
        while (i < end && isDigit(source.getByte(i))) {
            significant = accumulate(source.getByte(i) - '0', significant);
            i++;
        }
        final int intDigits = i - intStart;
        if (intDigits == 0 || intDigits > 1 && source.getByte(intStart) == '0') {
            return false;
        }
        if (i < end && source.getByte(i) == '.') {
            i++;
            final int fracStart = i;
            while (i < end && isDigit(source.getByte(i))) {
                significant = accumulate(source.getByte(i) - '0', significant);
                if (!tooPrecise) {
                    scale++;
                }
                fractionDigits++;
                i++;
            }
            if (i == fracStart) {
                return false;
            }
        }
        if (i < end && (source.getByte(i) | 0x20) == 'e') {
            if (!allowExponent) {
                return false;
            }
            i = parseExponent(source, i + 1, end);
            if (i < 0) {
                return false;
            }
        }
        return i == end;
    }

    private int parseExponent(final DirectBuffer source, final int from, final int end) {
        int i = from;
        boolean negativeExponent = false;
        if (i < end && (source.getByte(i) == '+' || source.getByte(i) == '-')) {
            negativeExponent = source.getByte(i) == '-';
            i++;
        }
        final int expStart = i;
        int exponent = 0;
        while (i < end && isDigit(source.getByte(i))) {
            if (exponent < 100_000) {
                exponent = exponent * 10 + source.getByte(i) - '0';
            }
            i++;
        }
        if (i == expStart) {
            return -1;
        }
        writtenExponent = negativeExponent ? -exponent : exponent;
        scale -= writtenExponent;
        return i;
    }

    private int accumulate(final int digit, final int significant) {
        trailingZeros = digit == 0 ? trailingZeros + 1 : 0;
        if (significant == 0 && digit == 0) {
            return 0;
        }
        if (tooPrecise || significant >= MAX_DIGITS || unscaled > (Long.MAX_VALUE - digit) / 10) {
            tooPrecise = true;
            return significant + 1;
        }
        unscaled = unscaled * 10 + digit;
        return significant + 1;
    }

    private static boolean isDigit(final byte b) {
        return b >= '0' && b <= '9';
    }

    public boolean isNegative() {
        return negative && unscaled != 0;
    }

    public boolean isZero() {
        return unscaled == 0;
    }

    /** More than {@link #MAX_DIGITS} significant digits: only {@link #toDouble()} is exact enough. */
    public boolean isTooPrecise() {
        return tooPrecise;
    }

    /**
     * The value in units of {@code 10^-exponent} (minor units), or {@code Long.MIN_VALUE} if it has non-zero digits
     * beyond that exponent or does not fit.
     */
    public long toUnits(final int exponent) {
        if (tooPrecise) {
            return Long.MIN_VALUE;
        }
        long u = unscaled;
        int s = scale;
        while (s > exponent && u % 10 == 0 && u != 0) {
            u /= 10;
            s--;
        }
        if (u == 0) {
            return 0;
        }
        if (s > exponent) {
            return Long.MIN_VALUE;
        }
        final int shift = exponent - s;
        if (shift >= LONG_POW10.length || u > Long.MAX_VALUE / LONG_POW10[shift]) {
            return Long.MIN_VALUE;
        }
        final long units = u * LONG_POW10[shift];
        return negative ? -units : units;
    }

    /**
     * Digits after the decimal point once trailing zeros are removed (0 for integers), exact however many digits the
     * text has: it counts the text's digits, not the ones kept ({@code 1.00000000000000000001} has 20).
     */
    public int significantScale() {
        return unscaled == 0 ? 0 : Math.max(0, fractionDigits - writtenExponent - trailingZeros);
    }

    public double toDouble() {
        if (!tooPrecise && unscaled < 1L << 53 && scale >= -22 && scale <= 22) {
            final double magnitude = scale >= 0 ? unscaled / POW10[scale] : unscaled * POW10[-scale];
            return negative ? -magnitude : magnitude;
        }
        return Double.parseDouble(text.getStringWithoutLengthAscii(textOffset, textLength));
    }
}
