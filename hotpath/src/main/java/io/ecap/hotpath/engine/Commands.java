package io.ecap.hotpath.engine;

/**
 * Ring buffer protocol between producers (gateway threads, tools) and the writer.
 *
 * <pre>
 * command (many-to-one ring; message type = SCORE, LABEL, USER_EVENT, PRODUCT_UPDATE or CUSTOMER_PROFILE):
 *   0   i64  correlation id (chosen by the client)
 *   8   i32  client id
 *   12  i32  reserved
 *   16  the binary contract message (transaction, label, user event, product update, customer profile)
 *
 * response (the client's own one-to-one ring; message type = one of the RESPONSE_ values):
 *   0   i64  correlation id
 *   8   i64  journal index (ACCEPTED; for DECISION and DUPLICATE it is in the decision too)
 *   16  body: a decision message (DECISION, DUPLICATE), i32 matched flag (ACCEPTED), ASCII text (REJECTED, FAILED,
 *       CONFLICT)
 * </pre>
 */
public final class Commands {
    public static final int SCORE = 1;
    public static final int LABEL = 2;
    public static final int USER_EVENT = 3;
    public static final int PRODUCT_UPDATE = 4;
    public static final int CUSTOMER_PROFILE = 5;

    public static final int CORRELATION_OFFSET = 0;
    public static final int CLIENT_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    /** A new decision. */
    public static final int RESPONSE_DECISION = 1;
    /** The transaction was scored before: its first decision. */
    public static final int RESPONSE_DUPLICATE = 2;
    /** A label, user event, product update or customer profile is journaled. */
    public static final int RESPONSE_ACCEPTED = 3;
    /** The engine refused the command (the text says why); nothing changed. */
    public static final int RESPONSE_REJECTED = 4;
    /** The engine failed on the command (the text says why); nothing was journaled. */
    public static final int RESPONSE_FAILED = 5;
    /**
     * The transaction id was scored before with other content: nothing changed. The journal index is that of the
     * first entry; the text says so.
     */
    public static final int RESPONSE_CONFLICT = 6;

    public static final int RESPONSE_INDEX_OFFSET = 8;
    public static final int RESPONSE_BODY_OFFSET = 16;
    /** Largest response body: a decision (about 1.1 KB at most) or an error text. */
    public static final int MAX_RESPONSE_BODY = 2048;

    private Commands() {
    }
}
