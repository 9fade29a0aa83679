package io.ecap.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutated valid inputs: a seed (a real input, from the corpus or a test) with one to eight edits, each a bit flip,
 * a truncation, an insertion or overwrite of a piece from a palette (the tokens a format is sensitive to), a
 * deletion, or a duplicated range (a field given twice). Edits are plain ints, so jqwik shrinks a failure towards
 * fewer and earlier edits and prints the seed to replay it.
 */
public final class Mutations {
    private static final int KINDS = 6;
    private static final int MAX_RANGE = 64;

    private Mutations() {
    }

    public static Arbitrary<byte[]> of(final List<byte[]> seeds, final List<byte[]> palette) {
        final Arbitrary<int[]> edits = Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class)
            .ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(Arbitraries.of(seeds), edits).as((seed, e) -> apply(seed, e, palette));
    }

    /** The same for text (rule and model files): the edits work on its UTF-8 bytes, decoded leniently after. */
    public static Arbitrary<String> ofText(final List<String> seeds, final List<String> palette) {
        return of(seeds.stream().map(Mutations::utf8).toList(), palette.stream().map(Mutations::utf8).toList())
            .map(b -> new String(b, StandardCharsets.UTF_8));
    }

    static byte[] apply(final byte[] seed, final int[] edits, final List<byte[]> palette) {
        byte[] b = seed.clone();
        for (final int edit : edits) {
            final int at = edit % (b.length + 1);
            final byte[] piece = palette.get((edit >>> 8) % palette.size());
            final int range = (edit >>> 16) % MAX_RANGE + 1;
            b = switch ((edit >>> 24) % KINDS) {
                case 0 -> flip(b, at, edit >>> 16 & 7);
                case 1 -> Arrays.copyOf(b, at);
                case 2 -> splice(b, at, 0, piece);
                case 3 -> splice(b, at, Math.min(piece.length, b.length - at), piece);
                case 4 -> splice(b, at, Math.min(range, b.length - at), new byte[0]);
                default -> splice(b, at, 0, Arrays.copyOfRange(b, at, Math.min(b.length, at + range)));
            };
        }
        return b;
    }

    private static byte[] flip(final byte[] b, final int at, final int bit) {
        if (at < b.length) {
            b[at] ^= (byte) (1 << bit);
        }
        return b;
    }

    /** {@code b} with {@code removed} bytes at {@code at} replaced by {@code piece}. */
    private static byte[] splice(final byte[] b, final int at, final int removed, final byte[] piece) {
        final byte[] out = new byte[b.length - removed + piece.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(b, at + removed, out, at + piece.length, b.length - at - removed);
        return out;
    }

    public static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
