package io.ecap.hotpath.state;

import io.ecap.model.field.Pseudonym;

/**
 * Distinct counterparts of an entity (devices of a card or customer, cards of a device or IP) over the last seven
 * days, exact up to {@link EntityLayout#SKETCH_SIZE} and saturating there.
 *
 * <p>Each entry is a 32-bit hash of the counterpart id and the newest time it was seen with this entity. The sketch
 * keeps the 16 counterparts seen most recently: a new one takes an empty entry or replaces the entry seen longest ago
 * (unless it is older still). The count is the number of entries seen within seven days of the entity's newest event,
 * which therefore equals {@code min(16, true distinct count)}.
 */
public final class DistinctSketch {
    public static final long WINDOW_SEC = 7L * 24 * 3600;

    private DistinctSketch() {
    }

    /** True if the counterpart is in the sketch. */
    public static boolean contains(final EntityState s, final int hash) {
        for (int i = 0; i < EntityLayout.SKETCH_SIZE; i++) {
            if (s.sketchHash(i) == hash) {
                return true;
            }
        }
        return false;
    }

    /** Records that the counterpart was seen at {@code tsMs}. */
    public static void add(final EntityState s, final int hash, final long tsMs) {
        final int seenSec = (int) Math.floorDiv(tsMs, 1000L);
        int victim = -1;
        int victimSeen = Integer.MAX_VALUE;
        for (int i = 0; i < EntityLayout.SKETCH_SIZE; i++) {
            final int h = s.sketchHash(i);
            if (h == hash) {
                if (seenSec > s.sketchSeenSec(i)) {
                    s.sketchSeenSec(i, seenSec);
                }
                return;
            }
            final int seen = h == 0 ? Integer.MIN_VALUE : s.sketchSeenSec(i);
            if (seen < victimSeen) {
                victim = i;
                victimSeen = seen;
            }
        }
        if (victimSeen != Integer.MIN_VALUE && victimSeen >= seenSec) {
            return; // full, and this (late) sighting is older than every kept one: it would not be among the newest
        }
        s.sketchHash(victim, hash);
        s.sketchSeenSec(victim, seenSec);
    }

    /** Distinct counterparts seen in the seven days up to {@code nowMs}. */
    public static int count(final EntityState s, final long nowMs) {
        final long fromSec = Math.floorDiv(nowMs, 1000L) - WINDOW_SEC;
        int n = 0;
        for (int i = 0; i < EntityLayout.SKETCH_SIZE; i++) {
            if (s.sketchHash(i) != 0 && s.sketchSeenSec(i) > fromSec) {
                n++;
            }
        }
        return n;
    }

    /**
     * A stable, non-zero 32-bit hash of ASCII bytes (FNV-1a with a final avalanche). Two of the 16 counterparts of
     * one entity share a hash with a probability around 3e-8. A {@link Pseudonym} (an erased id as a rewritten journal
     * holds it) hashes to the hash it carries.
     */
    public static int hash(final org.agrona.DirectBuffer bytes, final int offset, final int length) {
        if (length == Pseudonym.LENGTH && Pseudonym.is(bytes, offset, length)) {
            return Pseudonym.sketchHash(bytes, offset);
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h ^= bytes.getByte(offset + i) & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        final int folded = (int) (h ^ h >>> 32);
        return folded == 0 ? 1 : folded;
    }
}
