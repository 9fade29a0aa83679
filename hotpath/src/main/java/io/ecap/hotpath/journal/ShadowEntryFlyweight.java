package io.ecap.hotpath.journal;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Journal entry: the challenger's decision on a transaction (type 23, version 1). The engine answers a transaction
 * first and scores the challenger after, so its decision cannot be part of the scored entry (which is journaled before
 * the answer): it is this entry, written right after that one (nothing comes between them; after a crash between
 * the two, recovery writes it before anything else). The scored entry says it is coming (its version
 * {@link ScoredEntryFlyweight#VERSION_SHADOW_FOLLOWS}).
 *
 * <pre>
 *   0   header (8 bytes, type 23)
 *   8   decision message: the challenger's outcome, score, versions and reasons; its journal index is the scored
 *       entry's, its engine time 0
 * </pre>
 */
public final class ShadowEntryFlyweight {
    public static final int TYPE_ID = EntryType.SHADOW_DECISION;
    public static final int VERSION = 1;
    public static final int DECISION_OFFSET = MessageHeader.LENGTH;

    private ShadowEntryFlyweight() {
    }

    /** Starts an entry at {@code at}; write the decision at {@code at + DECISION_OFFSET}, then {@link #finish}. */
    public static void begin(final MutableDirectBuffer target, final int at) {
        target.putShort(at + MessageHeader.TYPE_ID_OFFSET, (short) TYPE_ID, ORDER);
        target.putShort(at + MessageHeader.VERSION_OFFSET, (short) VERSION, ORDER);
    }

    /** Ends the entry begun at {@code at} with a decision of {@code decisionLength} bytes; returns its length. */
    public static int finish(final MutableDirectBuffer target, final int at, final int decisionLength) {
        final int length = DECISION_OFFSET + decisionLength;
        target.putInt(at + MessageHeader.LENGTH_OFFSET, length, ORDER);
        return length;
    }

    /**
     * Wraps the decision of the entry at {@code at} ({@code available} bytes) into {@code decision}, checking every
     * length; its {@link DecisionFlyweight#journalIndex()} names the scored entry.
     */
    public static DecisionFlyweight decode(final DirectBuffer source, final int at, final int available,
        final DecisionFlyweight decision) {
        if (available < DECISION_OFFSET
            || (source.getShort(at + MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF) != TYPE_ID) {
            throw new MessageFormatException("not a shadow decision entry");
        }
        final int version = source.getShort(at + MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF;
        if (version != VERSION) {
            throw new MessageFormatException("shadow decision entry of unknown version " + version);
        }
        final int length = source.getInt(at + MessageHeader.LENGTH_OFFSET, ORDER);
        if (length > available || length < DECISION_OFFSET) {
            throw new MessageFormatException("shadow decision entry length " + length + " outside the available "
                + available);
        }
        if (decision.wrapForDecode(source, at + DECISION_OFFSET, length - DECISION_OFFSET)
            != length - DECISION_OFFSET) {
            throw new MessageFormatException("shadow decision entry: the decision does not fill the entry");
        }
        return decision;
    }
}
