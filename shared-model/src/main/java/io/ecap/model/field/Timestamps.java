package io.ecap.model.field;

import io.ecap.model.ValidationException;
import org.agrona.DirectBuffer;

/**
 * Event time: epoch milliseconds in UTC, inside {@code [2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z)}.
 *
 * <p>Text form accepted: {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)}. Fractions finer than a millisecond are
 * truncated toward the past. Parsing allocates nothing unless the text is rejected.
 */
public final class Timestamps {
    /** 2000-01-01T00:00:00Z. */
    public static final long MIN_MS = 946_684_800_000L;
    /** 2100-01-01T00:00:00Z, exclusive. */
    public static final long MAX_MS = 4_102_444_800_000L;

    private static final long MS_PER_DAY = 86_400_000L;
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Timestamps() {
    }

    /** Checks the range of an epoch-millisecond value and returns it; the refusal masks a value like a card number. */
    public static long checkRange(final long epochMs, final String field) {
        if (epochMs < MIN_MS || epochMs >= MAX_MS) {
            throw new ValidationException(field, "timestamp " + PanMask.mask(Long.toString(epochMs))
                + " is out of range (expected epoch milliseconds from 2000-01-01 to before 2100-01-01)");
        }
        return epochMs;
    }

    /** Parses ISO-8601 text held in a buffer into epoch milliseconds. */
    public static long parseIso(final DirectBuffer text, final int offset, final int length, final String field) {
        if (length < 20 || length > 35) {
            throw bad(field);
        }
        final int year = digits(text, offset, 4, field);
        expect(text, offset + 4, '-', field);
        final int month = digits(text, offset + 5, 2, field);
        expect(text, offset + 7, '-', field);
        final int day = digits(text, offset + 8, 2, field);
        final int t = text.getByte(offset + 10);
        if (t != 'T' && t != 't') {
            throw bad(field);
        }
        final int hour = digits(text, offset + 11, 2, field);
        expect(text, offset + 13, ':', field);
        final int minute = digits(text, offset + 14, 2, field);
        expect(text, offset + 16, ':', field);
        final int second = digits(text, offset + 17, 2, field);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59) {
            throw new ValidationException(field, "not a valid date and time");
        }
        int pos = offset + 19;
        final int end = offset + length;
        int millis = 0;
        if (text.getByte(pos) == '.') {
            pos++;
            final int fractionStart = pos;
            while (pos < end && isDigit(text.getByte(pos))) {
                if (pos - fractionStart < 3) {
                    millis = millis * 10 + (text.getByte(pos) - '0');
                }
                pos++;
            }
            final int fractionDigits = pos - fractionStart;
            if (fractionDigits == 0 || fractionDigits > 9) {
                throw bad(field);
            }
            for (int i = fractionDigits; i < 3; i++) {
                millis *= 10;
            }
        }
        final long offsetMs = zoneOffsetMs(text, pos, end, field);
        final long epochMs = (daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second)
            * 1000L + millis - offsetMs;
        return checkRange(epochMs, field);
    }

    private static long zoneOffsetMs(final DirectBuffer text, final int pos, final int end, final String field) {
        if (pos >= end) {
            throw new ValidationException(field, "timestamp needs a zone: 'Z' or an offset like +01:00");
        }
        final int z = text.getByte(pos);
        if ((z == 'Z' || z == 'z') && pos + 1 == end) {
            return 0;
        }
        if ((z == '+' || z == '-') && pos + 6 == end) {
            final int hours = digits(text, pos + 1, 2, field);
            expect(text, pos + 3, ':', field);
            final int minutes = digits(text, pos + 4, 2, field);
            if (hours > 18 || minutes > 59) {
                throw new ValidationException(field, "zone offset out of range");
            }
            final long ms = (hours * 60L + minutes) * 60_000L;
            return z == '+' ? ms : -ms;
        }
        throw bad(field);
    }

    /** Writes {@code YYYY-MM-DDTHH:MM:SS.sssZ} (24 characters). */
    public static void formatIso(final long epochMs, final StringBuilder out) {
        final long days = Math.floorDiv(epochMs, MS_PER_DAY);
        final long msOfDay = Math.floorMod(epochMs, MS_PER_DAY);
        // civil from days (Howard Hinnant's algorithm)
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final long day = doy - (153 * mp + 2) / 5 + 1;
        final long month = mp < 10 ? mp + 3 : mp - 9;
        final long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2).append('T');
        pad(out, msOfDay / 3_600_000, 2).append(':');
        pad(out, msOfDay / 60_000 % 60, 2).append(':');
        pad(out, msOfDay / 1000 % 60, 2).append('.');
        pad(out, msOfDay % 1000, 3).append('Z');
    }

    public static String formatIso(final long epochMs) {
        final StringBuilder sb = new StringBuilder(24);
        formatIso(epochMs, sb);
        return sb.toString();
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date. */
    static long daysFromCivil(final int year, final int month, final int day) {
        final int y = month <= 2 ? year - 1 : year;
        final int era = Math.floorDiv(y, 400);
        final int yoe = y - era * 400;
        final int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    private static int daysInMonth(final int year, final int month) {
        if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) {
            return 29;
        }
        return DAYS_IN_MONTH[month - 1];
    }

    /** {@code value} as {@link Long#toString(long)} writes it, zeros before it up to {@code width}; no allocation. */
    private static StringBuilder pad(final StringBuilder out, final long value, final int width) {
        int chars = value < 0 ? 2 : 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            chars++;
        }
        for (int i = chars; i < width; i++) {
            out.append('0');
        }
        return out.append(value);
    }

    private static int digits(final DirectBuffer text, final int offset, final int count, final String field) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            final byte b = text.getByte(offset + i);
            if (!isDigit(b)) {
                throw bad(field);
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static boolean isDigit(final byte b) {
        return b >= '0' && b <= '9';
    }

    private static void expect(final DirectBuffer text, final int offset, final char c, final String field) {
        if (text.getByte(offset) != c) {
            throw bad(field);
        }
    }

    private static ValidationException bad(final String field) {
        return new ValidationException(field,
            "not an ISO-8601 timestamp (expected e.g. 2026-11-24T08:30:00Z, 2026-11-24T09:30:00.250+01:00) "
                + "or epoch milliseconds");
    }
}
