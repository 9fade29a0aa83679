package io.ecap.hotpath.lists;

import io.ecap.model.ValidationException;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * One list's BIN entries as the writer matches them: ranges of 8-digit BINs. An entry is a 6-digit BIN (411111 stands
 * for the 8-digit BINs 41111100 to 41111199), an 8-digit BIN, or a range {@code LO-HI} of two BINs of the same width
 * (400000-409999). A transaction's BIN matches when every 8-digit BIN it can stand for lies in one entry's range: an
 * 8-digit 41111122 matches the entry 411111; a 6-digit 411111 matches 411111 or 400000-499999 but not 41111122 (the
 * transaction does not say which of its hundred BINs it is).
 *
 * <p>Owned by the writer thread. {@link #covers} allocates nothing (a binary search over the entries sorted by their
 * low end, beside the running maximum of their high ends); a change sorts the entries again.
 */
final class BinRanges {
    private static final long ABSENT = -1;

    /** Entry value hash → its range, {@code lo << 32 | hi}. */
    private final Long2LongHashMap byValue = new Long2LongHashMap(ABSENT);
    private long[] sorted = new long[0];
    private int[] highest = new int[0];
    private int count;

    /** Adds (or replaces) the entry whose value hashes to {@code valueHash}; returns whether the list grew. */
    boolean add(final long valueHash, final long range) {
        final boolean added = byValue.put(valueHash, range) == ABSENT;
        rebuild();
        return added;
    }

    /** Removes the entry; returns whether it was there. */
    boolean remove(final long valueHash) {
        final boolean removed = byValue.remove(valueHash) != ABSENT;
        if (removed) {
            rebuild();
        }
        return removed;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether one entry's range holds every BIN of {@code range} ({@link #range}). */
    boolean covers(final long range) {
        final int lo = (int) (range >>> 32);
        final int hi = (int) range;
        int low = 0;
        int high = count - 1;
        int last = -1;
        while (low <= high) {
            final int mid = (low + high) >>> 1;
            if ((int) (sorted[mid] >>> 32) <= lo) {
                last = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return last >= 0 && highest[last] >= hi;
    }

    private void rebuild() {
        count = byValue.size();
        if (sorted.length < count) {
            sorted = new long[Math.max(count, 2 * sorted.length)];
            highest = new int[sorted.length];
        }
        int i = 0;
        for (final Long2LongHashMap.EntryIterator it = byValue.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            sorted[i++] = it.getLongValue();
        }
        Arrays.sort(sorted, 0, count);
        int max = -1;
        for (int k = 0; k < count; k++) {
            max = Math.max(max, (int) sorted[k]);
            highest[k] = max;
        }
    }

    /**
     * The 8-digit BINs a list entry or a transaction's BIN stands for, {@code lo << 32 | hi}; a
     * {@link ValidationException} on {@code field} if {@code value} is not a BIN or a range of two.
     */
    static long range(final String value, final String field) {
        final int dash = value == null ? -1 : value.indexOf('-');
        final long range = dash < 0 ? single(value) : pair(value.substring(0, dash), value.substring(dash + 1));
        if (range < 0) {
            throw new ValidationException(field, "expected a BIN of 6 or 8 digits, or a range LO-HI of two BINs of "
                + "the same width with LO not above HI (400000-409999)");
        }
        return range;
    }

    private static long single(final String value) {
        final long digits = digits(value);
        if (digits < 0) {
            return -1;
        }
        return value.length() == 6 ? digits * 100 << 32 | digits * 100 + 99 : digits << 32 | digits;
    }

    private static long pair(final String lo, final String hi) {
        final long low = single(lo);
        final long high = single(hi);
        if (low < 0 || high < 0 || lo.length() != hi.length() || low > high) {
            return -1;
        }
        return low & 0xFFFF_FFFF_0000_0000L | high & 0xFFFF_FFFFL;
    }

    private static long digits(final String value) {
        if (value == null || value.length() != 6 && value.length() != 8) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + c - '0';
        }
        return n;
    }

    /** A transaction's BIN (6 or 8 ASCII digits, as the contract checked it) as its range; allocates nothing. */
    static long range(final DirectBuffer buffer, final int offset, final int length) {
        long n = 0;
        for (int i = 0; i < length; i++) {
            n = n * 10 + buffer.getByte(offset + i) - '0';
        }
        return length == 6 ? n * 100 << 32 | n * 100 + 99 : n << 32 | n;
    }
}
