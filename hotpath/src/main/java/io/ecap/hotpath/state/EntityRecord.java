package io.ecap.hotpath.state;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The layout of one record of an {@link EntityTable}: who the entity is, bookkeeping, then its state. Static helpers
 * over the record's address.
 *
 * <pre>
 * record (128 + EntityLayout.LENGTH = 832 bytes, thirteen cache lines):
 *   0    i64  sequence: odd while the writer changes the record (readers retry)
 *   8    i64  id hash (0: a free record)
 *   16   i64  next free record + 1 (free records only)
 *   24   i32  day of the newest event applied (UTC days since 1970; 0: none)
 *   28   u8   id length, then the id (at most 64 ASCII bytes)
 *   128  the entity state, {@link EntityLayout#LENGTH} bytes
 * </pre>
 */
final class EntityRecord {
    static final int MAX_KEY = 64;
    static final int SEQ = 0;
    static final int HASH = 8;
    static final int NEXT_FREE = 16;
    static final int ACTIVE_DAY = 24;
    static final int KEY_LENGTH = 28;
    static final int KEY = 29;
    static final int STATE = 128;

    private EntityRecord() {
    }

    /** True if the record at {@code at} holds exactly these id bytes. */
    static boolean keyEquals(final long at, final DirectBuffer id, final int offset, final int length) {
        if ((UnsafeApi.getByte(null, at + KEY_LENGTH) & 0xFF) != length) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (UnsafeApi.getLong(null, at + KEY + i) != id.getLong(offset + i, ByteOrder.nativeOrder())) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (UnsafeApi.getByte(null, at + KEY + i) != id.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes the record at {@code at} a new entity: zero bookkeeping, its id, an empty state. A record never used is
     * all zero already ({@code fresh}); a reused one is zeroed first.
     */
    static void init(final long at, final boolean fresh, final long hash, final DirectBuffer id, final int offset,
        final int length, final EntityState scratch) {
        if (!fresh) {
            for (int i = 0; i < STATE; i += 8) {
                UnsafeApi.putLong(null, at + i, 0L);
            }
        }
        UnsafeApi.putLong(null, at + HASH, hash);
        UnsafeApi.putByte(null, at + KEY_LENGTH, (byte) length);
        for (int i = 0; i < length; i++) {
            UnsafeApi.putByte(null, at + KEY + i, id.getByte(offset + i));
        }
        scratch.wrap(at + STATE);
        if (fresh) {
            scratch.lastLat(Double.NaN);
            scratch.lastLon(Double.NaN);
        } else {
            scratch.clear();
        }
    }

    static long hash(final long at) {
        return UnsafeApi.getLong(null, at + HASH);
    }

    static String key(final long at) {
        final int length = UnsafeApi.getByte(null, at + KEY_LENGTH) & 0xFF;
        final byte[] key = new byte[length];
        for (int i = 0; i < length; i++) {
            key[i] = UnsafeApi.getByte(null, at + KEY + i);
        }
        return new String(key, StandardCharsets.US_ASCII);
    }

    /** The writer starts changing the record: readers that see the odd sequence try again. */
    static void beginChange(final long at) {
        UnsafeApi.putLong(null, at + SEQ, UnsafeApi.getLong(null, at + SEQ) + 1);
        VarHandle.storeStoreFence();
    }

    static void endChange(final long at) {
        UnsafeApi.putLongRelease(null, at + SEQ, UnsafeApi.getLong(null, at + SEQ) + 1);
    }

    static long sequence(final long at) {
        return UnsafeApi.getLongVolatile(null, at + SEQ);
    }
}
