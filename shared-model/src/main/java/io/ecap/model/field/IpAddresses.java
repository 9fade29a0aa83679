package io.ecap.model.field;

import io.ecap.model.ValidationException;
import org.agrona.DirectBuffer;

/**
 * IPv4 and IPv6 literals (no host names, no zone ids), normalised to one canonical text so that two spellings of an
 * address are one entity: dotted quad for IPv4 (and IPv4-mapped IPv6), RFC 5952 for IPv6 (lower case, no leading
 * zeros, the longest run of zero groups shortened to {@code ::}).
 */
public final class IpAddresses {
    /** The longest canonical text: a full IPv6 address with an embedded IPv4 quad is 45 characters. */
    public static final int MAX_TEXT_LENGTH = 45;

    private IpAddresses() {
    }

    /** Parses a literal and returns its canonical text. */
    public static String canonical(final CharSequence text, final String field) {
        final int[] groups = new int[8];
        if (!parse(text, groups)) {
            throw new ValidationException(field, "not an IPv4 or IPv6 address literal");
        }
        return format(groups);
    }

    /**
     * Whether {@code text[offset, offset + length)} is an IPv4 address that {@link #canonical} would return unchanged:
     * four decimal octets of at most 255 without leading zeros (the only IPv4 form it accepts). Allocates nothing.
     */
    public static boolean isCanonicalIpv4(final DirectBuffer text, final int offset, final int length) {
        if (length < 7 || length > 15) {
            return false;
        }
        int octet = 0;
        int digits = 0;
        int dots = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            final byte c = text.getByte(i);
            if (c >= '0' && c <= '9') {
                if (digits > 0 && octet == 0) {
                    return false;
                }
                octet = octet * 10 + (c - '0');
                if (++digits > 3 || octet > 255) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && dots < 3) {
                dots++;
                octet = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    private static boolean parse(final CharSequence text, final int[] groups) {
        final int length = text.length();
        if (length == 0 || length > MAX_TEXT_LENGTH) {
            return false;
        }
        boolean hasColon = false;
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) == ':') {
                hasColon = true;
                break;
            }
        }
        if (!hasColon) {
            groups[5] = 0xFFFF;
            return parseIpv4(text, 0, length, groups, 6);
        }
        return parseIpv6(text, length, groups);
    }

    private static boolean parseIpv4(final CharSequence text, final int from, final int to, final int[] groups,
        final int groupIndex) {
        int octet = 0;
        int octets = 0;
        int digits = 0;
        final int[] value = new int[4];
        for (int i = from; i <= to; i++) {
            final char c = i < to ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits > 0 && octet == 0) {
                    return false; // leading zero
                }
                octet = octet * 10 + (c - '0');
                if (++digits > 3 || octet > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0 || octets == 4) {
                    return false;
                }
                value[octets++] = octet;
                octet = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        if (octets != 4) {
            return false;
        }
        groups[groupIndex] = value[0] << 8 | value[1];
        groups[groupIndex + 1] = value[2] << 8 | value[3];
        return true;
    }

    private static boolean parseIpv6(final CharSequence text, final int length, final int[] groups) {
        int count = 0;
        int gapAt = -1;
        int i = 0;
        if (text.charAt(0) == ':') {
            if (length < 2 || text.charAt(1) != ':') {
                return false;
            }
            gapAt = 0;
            i = 2;
        }
        final int[] parsed = new int[8];
        while (i < length) {
            final int start = i;
            int value = 0;
            while (i < length && hex(text.charAt(i)) >= 0 && i - start < 5) {
                value = value << 4 | hex(text.charAt(i));
                i++;
            }
            if (i < length && text.charAt(i) == '.') {
                // embedded IPv4 in the last 32 bits
                if (count > 6) {
                    return false;
                }
                final int[] tail = new int[2];
                if (!parseIpv4(text, start, length, tail, 0)) {
                    return false;
                }
                parsed[count++] = tail[0];
                parsed[count++] = tail[1];
                i = length;
                break;
            }
            final int digits = i - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return false;
            }
            parsed[count++] = value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (gapAt >= 0) {
                    return false;
                }
                gapAt = count;
                i++;
            } else if (i == length) {
                return false; // trailing single colon
            }
        }
        if (gapAt < 0 && count != 8 || gapAt >= 0 && count > 7) {
            return false;
        }
        final int zeros = 8 - count;
        for (int g = 0, p = 0; g < 8; g++) {
            if (gapAt >= 0 && g >= gapAt && g < gapAt + zeros) {
                groups[g] = 0;
            } else {
                groups[g] = parsed[p++];
            }
        }
        return true;
    }

    private static int hex(final char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String format(final int[] g) {
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
            return (g[6] >>> 8) + "." + (g[6] & 0xFF) + "." + (g[7] >>> 8) + "." + (g[7] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        final StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
