package io.ecap.model.field;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What an erased entity's id becomes in the journal ({@code ecap journal redact}): {@code ~}, the 16 hex digits of the
 * id's {@link IdHash}, then the 8 hex digits of its distinct-count hash, 25 characters. The engine's hashes of a
 * pseudonym are the values it carries, so a replay of a rewritten journal finds the same entity slots, sketch bits
 * and list entries as the original did, and the state it builds is the same, byte for byte, once the erasure has
 * wiped the entity. No id may have this shape ({@link Ids#check} refuses it), so a pseudonym is never a real id.
 */
public final class Pseudonym {
    public static final int LENGTH = 25;
    private static final byte MARK = '~';
    private static final int ID_HASH_AT = 1;
    private static final int SKETCH_HASH_AT = 17;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Pseudonym() {
    }

    /** Whether these id bytes are a pseudonym. */
    public static boolean is(final DirectBuffer id, final int offset, final int length) {
        if (length != LENGTH || id.getByte(offset) != MARK) {
            return false;
        }
        for (int i = 1; i < LENGTH; i++) {
            if (digit(id.getByte(offset + i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The {@link IdHash} a pseudonym carries (check {@link #is} first). */
    public static long idHash(final DirectBuffer id, final int offset) {
        return parse(id, offset + ID_HASH_AT, 16);
    }

    /** The distinct-count hash a pseudonym carries (check {@link #is} first). */
    public static int sketchHash(final DirectBuffer id, final int offset) {
        return (int) parse(id, offset + SKETCH_HASH_AT, 8);
    }

    /** Writes the pseudonym of an id with these hashes at {@code at}; returns its length, {@link #LENGTH}. */
    public static int write(final MutableDirectBuffer target, final int at, final long idHash, final int sketchHash) {
        target.putByte(at, MARK);
        hex(target, at + ID_HASH_AT, idHash, 16);
        hex(target, at + SKETCH_HASH_AT, sketchHash & 0xFFFFFFFFL, 8);
        return LENGTH;
    }

    /** The pseudonym as text. */
    public static String of(final long idHash, final int sketchHash) {
        return "~" + String.format("%016x%08x", idHash, sketchHash);
    }

    private static void hex(final MutableDirectBuffer target, final int at, final long value, final int digits) {
        for (int i = 0; i < digits; i++) {
            target.putByte(at + i, HEX[(int) (value >>> 4 * (digits - 1 - i)) & 0xF]);
        }
    }

    private static long parse(final DirectBuffer id, final int at, final int digits) {
        long value = 0;
        for (int i = 0; i < digits; i++) {
            value = value << 4 | digit(id.getByte(at + i));
        }
        return value;
    }

    private static int digit(final byte b) {
        return b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }
}
