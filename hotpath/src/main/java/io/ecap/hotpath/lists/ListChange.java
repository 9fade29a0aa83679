package io.ecap.hotpath.lists;

import io.ecap.model.ValidationException;

/**
 * One change of a block or allow list, as the shared store's change stream has it (docs/LISTS.md): an entry added
 * (or replaced) or removed, who made it and when, and the id of the stream entry that carried it, which orders the
 * changes and makes each one apply once ({@code streamMs-streamSeq}, a Redis stream id).
 *
 * @param value  the canonical value ({@link ListKind#canonical})
 * @param reason why (may be empty)
 * @param actor  who made the change (the API key's name)
 * @param tsMs   when it was made, epoch ms (the gateway's clock when the change was accepted)
 */
public record ListChange(ListType list, ListKind kind, boolean add, String value, String reason, String actor,
    long tsMs, long streamMs, long streamSeq) {
    /** Most UTF-8 bytes of a reason. */
    public static final int MAX_REASON = 512;
    /** Most ASCII characters of an actor. */
    public static final int MAX_ACTOR = 64;

    public ListChange {
        if (actor.length() > MAX_ACTOR) {
            throw new ValidationException("actor", "is longer than " + MAX_ACTOR + " characters");
        }
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_REASON) {
            throw new ValidationException("reason", "is longer than " + MAX_REASON + " bytes");
        }
    }

    /** The stream id, {@code ms-seq}. */
    public String streamId() {
        return streamMs + "-" + streamSeq;
    }

    /** True if stream id {@code (ms, seq)} comes after {@code (afterMs, afterSeq)}. */
    public static boolean after(final long ms, final long seq, final long afterMs, final long afterSeq) {
        return ms != afterMs ? Long.compareUnsigned(ms, afterMs) > 0 : Long.compareUnsigned(seq, afterSeq) > 0;
    }

    /** A stream id's two parts; a {@link ValidationException} on {@code field} if it is not {@code ms-seq}. */
    public static long[] parseStreamId(final String id, final String field) {
        final int dash = id == null ? -1 : id.indexOf('-');
        try {
            if (dash > 0) {
                return new long[] {Long.parseUnsignedLong(id.substring(0, dash)),
                    Long.parseUnsignedLong(id.substring(dash + 1))};
            }
        } catch (final NumberFormatException e) {
            // falls through to the refusal
        }
        throw new ValidationException(field, "expected a stream id ms-seq, found '" + id + "'");
    }
}
