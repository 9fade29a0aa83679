package io.ecap.model.field;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Finds and masks card numbers (primary account numbers, PANs) in text. ECAP never takes a card number: identifiers
 * that look like one are refused at input, and whatever text of a rejected input is kept (a log line, a dead letter,
 * a rejects file) passes through {@link #mask} first.
 *
 * <p>What looks like a card number: 13 to 19 digits, with at most one space or dash between two digits
 * ({@code 4111 1111 1111 1111}, {@code 4111-1111-1111-1111}), that pass the Luhn check and stand apart from letters.
 * Precisely: a <em>run</em> is a longest stretch of digits in which each pair of neighbouring digits is separated by
 * nothing or by one space or dash. Within a run, every stretch that starts and ends at the run's ends or at a
 * separator and holds 13 to 19 digits passing the Luhn check is one ({@code 4111 1111 1111 1111 12/25} holds the card
 * number and its expiry month; {@code v2-4111-1111-1111-1111} holds one after {@code v2-}), unless it touches an ASCII
 * letter (then its digits are part of a word or a hexadecimal string, a hash) or it is made of several groups one of
 * which has more than {@value #MAX_GROUP} digits (card numbers are written 4-4-4-4, 4-6-5, 4-6-4, ...; a UUID's
 * 8-4-4 or 4-12 digits are not one). A run of more than 19 digits without separators is not one.
 *
 * <p>{@link #mask} replaces each such card number's digits with {@code *} except its last four; separators and all
 * other text stay. Checking allocates nothing ({@link #contains(DirectBuffer, int, int)} runs on the input path);
 * masking allocates only when it finds something.
 */
public final class PanMask {
    public static final int MIN_DIGITS = 13;
    public static final int MAX_DIGITS = 19;
    /** Digits of a card number left visible by {@link #mask}. */
    public static final int KEPT = 4;
    /** Most digits in one group of a card number written in groups. */
    public static final int MAX_GROUP = 6;

    private PanMask() {
    }

    /** Whether ASCII (or UTF-8) text holds anything that looks like a card number. Allocates nothing. */
    public static boolean contains(final DirectBuffer text, final int offset, final int length) {
        // most identifiers are shorter than the shortest card number: nothing to scan (the input path's common case)
        return length >= MIN_DIGITS && scan(text, offset, length, null);
    }

    /** Whether a string holds anything that looks like a card number. */
    public static boolean contains(final String text) {
        if (text == null) {
            return false;
        }
        final byte[] utf8 = JsonLetterEscapes.decode(text.getBytes(StandardCharsets.UTF_8));
        return scan(new UnsafeBuffer(utf8), 0, utf8.length, null);
    }

    /** The text with every card number masked but its last four digits; the same instance when there is none. */
    public static String mask(final String text) {
        if (text == null) {
            return null;
        }
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final byte[] masked = mask(utf8);
        return masked == utf8 ? text : new String(masked, StandardCharsets.UTF_8);
    }

    /**
     * UTF-8 bytes with every card number masked but its last four digits: a copy when something was masked, the same
     * array when there was nothing to mask. Text that may be JSON is looked at with the escapes of digits, letters,
     * spaces and dashes written out ({@link JsonLetterEscapes}), so a card number written with escaped digits is found;
     * a masked copy keeps them written out.
     */
    public static byte[] mask(final byte[] utf8) {
        if (utf8 == null) {
            return null;
        }
        final byte[] plain = JsonLetterEscapes.decode(utf8);
        final UnsafeBuffer view = new UnsafeBuffer(plain);
        if (!scan(view, 0, plain.length, null)) {
            return utf8;
        }
        final byte[] masked = plain.clone();
        scan(view, 0, plain.length, masked);
        return masked;
    }

    /**
     * Looks at every run of {@code text[offset, offset + length)}. Without {@code out}, returns at the first card
     * number; with it, writes {@code *} over the masked digits of every card number ({@code out} is indexed like
     * {@code text}) and returns whether there was one.
     */
    private static boolean scan(final DirectBuffer text, final int offset, final int length, final byte[] out) {
        final int end = offset + length;
        text.boundsCheck(offset, length); // once: the loops below read every byte of it unchecked
        final byte[] base = text.byteArray();
        final long address = text.addressOffset();
        if (!hasLongRun(base, address, offset, end)) {
            return false;
        }
        boolean found = false;
        int i = offset;
        while (i < end) {
            if (!isDigit(UnsafeApi.getByte(base, address + i))) {
                i++;
                continue;
            }
            final int start = i;
            int last = i;
            int digits = 0;
            int j = i;
            while (j < end) {
                final byte b = UnsafeApi.getByte(base, address + j);
                if (isDigit(b)) {
                    last = j;
                    digits++;
                    j++;
                } else if (isSeparator(b) && j + 1 < end && isDigit(UnsafeApi.getByte(base, address + j + 1))) {
                    j++;
                } else {
                    break;
                }
            }
            i = last + 1;
            if (digits < MIN_DIGITS) {
                continue;
            }
            final boolean letterBefore = start > offset && isLetter(text.getByte(start - 1));
            final boolean letterAfter = last + 1 < end && isLetter(text.getByte(last + 1));
            if (windows(text, start, last, letterBefore, letterAfter, out)) {
                found = true;
                if (out == null) {
                    return true;
                }
            }
        }
        return found;
    }

    /**
     * Checks the stretches of a run ({@code first} to {@code last}, both digits) that start and end at groups; one at
     * an end of the run that touches a letter there is part of a word.
     */
    /**
     * Whether some stretch of {@code MIN_DIGITS} or more bytes is all digits, spaces and dashes, which every card
     * number needs. Without a branch per byte: identifiers such as hexadecimal hashes mix digits and letters at
     * random, and a branch on each would be mispredicted half the time.
     */
    private static boolean hasLongRun(final byte[] base, final long address, final int from, final int end) {
        int run = 0;
        int longest = 0;
        for (int i = from; i < end; i++) {
            final int b = UnsafeApi.getByte(base, address + i);
            final int digit = (b - '0' & 0xFF) < 10 ? 1 : 0;
            final int separator = b == ' ' || b == '-' ? 1 : 0;
            run = (run + 1) * (digit | separator);
            longest = Math.max(longest, run);
        }
        return longest >= MIN_DIGITS;
    }

    private static boolean windows(final DirectBuffer text, final int first, final int last,
        final boolean letterBefore, final boolean letterAfter, final byte[] out) {
        boolean found = false;
        for (int start = first; start <= last; start++) {
            if (!isDigit(text.getByte(start)) || start > first && !isSeparator(text.getByte(start - 1))
                || start == first && letterBefore) {
                continue;
            }
            int digits = 0;
            int group = 0;
            int longestGroup = 0;
            boolean grouped = false;
            for (int end = start; end <= last && digits <= MAX_DIGITS; end++) {
                if (!isDigit(text.getByte(end))) {
                    grouped = true;
                    group = 0;
                    continue;
                }
                digits++;
                longestGroup = Math.max(longestGroup, ++group);
                final boolean groupEnd = end == last ? !letterAfter : isSeparator(text.getByte(end + 1));
                if (groupEnd && digits >= MIN_DIGITS && digits <= MAX_DIGITS
                    && (!grouped || longestGroup <= MAX_GROUP) && luhn(text, start, end)) {
                    found = true;
                    if (out == null) {
                        return true;
                    }
                    maskDigits(text, start, end, digits - KEPT, out);
                }
            }
        }
        return found;
    }

    private static boolean luhn(final DirectBuffer text, final int start, final int end) {
        int sum = 0;
        int position = 0;
        for (int k = end; k >= start; k--) {
            final byte b = text.getByte(k);
            if (isDigit(b)) {
                final int d = position++ % 2 == 1 ? (b - '0') * 2 : b - '0';
                sum += d > 9 ? d - 9 : d;
            }
        }
        return sum % 10 == 0;
    }

    private static void maskDigits(final DirectBuffer text, final int start, final int end, final int count,
        final byte[] out) {
        int masked = 0;
        for (int k = start; k <= end && masked < count; k++) {
            if (isDigit(text.getByte(k))) {
                out[k] = '*';
                masked++;
            }
        }
    }

    private static boolean isDigit(final byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isSeparator(final byte b) {
        return b == ' ' || b == '-';
    }

    private static boolean isLetter(final byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
    }
}
