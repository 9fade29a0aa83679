package io.ecap.model.field;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The 64-bit hash of an entity id that places it in the engine's entity index, and names it in an erasure (journal,
 * cases, lake audit). Eight bytes at a time, then a final avalanche (MurmurHash3's fmix64), so that ids differing in
 * one character land far apart. Stable across versions: index files store it, so changing it would need a new state
 * layout version.
 */
public final class IdHash {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    private IdHash() {
    }

    /**
     * The hash of {@code length} id bytes; never 0 (0 marks an empty index slot). A {@link Pseudonym} (an erased id as
     * a rewritten journal holds it) hashes to the hash it carries.
     */
    public static long hash(final DirectBuffer id, final int offset, final int length) {
        if (length == Pseudonym.LENGTH && Pseudonym.is(id, offset, length)) {
            return Pseudonym.idHash(id, offset);
        }
        long h = K2 ^ length * K1;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ id.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) * K1, 31) * K2;
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (id.getByte(offset + i) & 0xFFL) << shift;
            }
            h = Long.rotateLeft(h ^ tail * K1, 31) * K2;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** The hash of an id given as text, as a transaction carries it (ASCII); allocates, so not for a hot path. */
    public static long of(final String id) {
        final byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        return hash(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
