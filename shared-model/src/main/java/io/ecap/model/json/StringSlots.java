package io.ecap.model.json;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fixed-capacity staging for string fields that arrive in any order in JSON but are written in a fixed order into a
 * binary message. Reused for every document; allocates nothing after construction.
 */
final class StringSlots {
    private final UnsafeBuffer bytes;
    private final int[] lengths;
    private final int capacity;

    StringSlots(final int slots, final int capacity) {
        this.bytes = new UnsafeBuffer(new byte[slots * capacity]);
        this.lengths = new int[slots];
        this.capacity = capacity;
    }

    void clear() {
        java.util.Arrays.fill(lengths, 0);
    }

    void copy(final int slot, final DirectBuffer src, final int offset, final int length) {
        if (length > capacity) {
            throw new IllegalArgumentException("slot capacity " + capacity + " exceeded");
        }
        bytes.putBytes(slot * capacity, src, offset, length);
        lengths[slot] = length;
    }

    boolean isSet(final int slot) {
        return lengths[slot] > 0;
    }

    DirectBuffer buffer() {
        return bytes;
    }

    int offset(final int slot) {
        return slot * capacity;
    }

    int length(final int slot) {
        return lengths[slot];
    }

    boolean contains(final int slot, final byte b) {
        for (int i = 0; i < lengths[slot]; i++) {
            if (bytes.getByte(slot * capacity + i) == b) {
                return true;
            }
        }
        return false;
    }
}
