package io.ecap.gateway.cases;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.field.IdHash;
import io.ecap.model.field.Ids;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Finds an erased id in an analyst's free text (a comment, a resolution's note) by its hash alone, since an erasure
 * carries nothing else, and puts {@link #MARK} in its place. Ids may hold any printable ASCII character, punctuation
 * included, so a candidate is any run of up to {@link Ids#MAX_LENGTH} such characters that starts and ends at a word's
 * edge: "c-7" is found in "customer c-7, again", "(c-7)" and "id=c-7", but "7" is not found in "ticket 4711". A very
 * short id may be found inside a longer one at a punctuation mark (the "7" of "c-7"): marked too, since the text cannot
 * tell them apart. For an IP address a candidate is also taken in its canonical form ({@code 2001:DB8::0001} names
 * {@code 2001:db8::1}). Case matters, as it does for ids everywhere else: "C-7" is another id than "c-7".
 *
 * <p>One instance per thread: hashing reuses one buffer.
 */
final class ErasedWords {
    /** What an erased id becomes in the text. */
    static final String MARK = "[erased]";
    /** Text that may be an IP address in some spelling: hex digits, dots and colons, with a dot or a colon. */
    private static final java.util.regex.Pattern IP_LIKE =
        java.util.regex.Pattern.compile("[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*");

    private final UnsafeBuffer bytes = new UnsafeBuffer(new byte[Ids.MAX_LENGTH]);
    private final long idHash;
    private final boolean ip;

    ErasedWords(final EntityKind kind, final long idHash) {
        this.idHash = idHash;
        this.ip = kind == EntityKind.IP;
    }

    /** The text with every occurrence of the erased id marked; the same instance if it holds none. */
    String redact(final String text) {
        StringBuilder out = null;
        int copied = 0;
        int at = 0;
        while (at < text.length()) {
            final int end = match(text, at);
            if (end > at) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, at).append(MARK);
                copied = end;
                at = end;
            } else {
                at++;
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** The end of the longest candidate starting at {@code start} that is the erased id, or {@code start}. */
    private int match(final String text, final int start) {
        if (!printable(text.charAt(start)) || start > 0 && wordChar(text.charAt(start - 1))
            && wordChar(text.charAt(start))) {
            return start;
        }
        int run = start;
        while (run < text.length() && run - start < Ids.MAX_LENGTH && printable(text.charAt(run))) {
            bytes.putByte(run - start, (byte) text.charAt(run));
            run++;
        }
        for (int end = run; end > start; end--) {
            final boolean edge = end == text.length() || !wordChar(text.charAt(end)) || !wordChar(text.charAt(end - 1));
            if (edge && (IdHash.hash(bytes, 0, end - start) == idHash || ip && canonicalIpMatches(text, start, end))) {
                return end;
            }
        }
        return start;
    }

    private boolean canonicalIpMatches(final String text, final int start, final int end) {
        final String candidate = text.substring(start, end);
        if (!IP_LIKE.matcher(candidate).matches()) {
            return false;
        }
        try {
            return IdHash.of(Ids.canonical(true, candidate, "ip")) == idHash;
        } catch (final RuntimeException notAnAddress) {
            return false;
        }
    }

    private static boolean printable(final char c) {
        return c >= '!' && c <= '~';
    }

    private static boolean wordChar(final char c) {
        return Character.isLetterOrDigit(c);
    }
}
