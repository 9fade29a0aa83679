package io.ecap.hotpath.journal;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Journal entry: an entity erased from the state (type 24), version 1. It holds the hash of the entity's id, never the
 * id, and how many records the engine erased (0: the state held none; more than 1 only if two ids shared the 64-bit
 * hash), so that the journal says what the erasure found.
 *
 * <pre>
 *   0   header (8 bytes)
 *   8   i64 time of the request, epoch ms (given by whoever made it)
 *   16  i64 the id's hash ({@code IdHash})
 *   24  u8  kind (0 card, 1 customer, 2 device, 3 ip, 4 merchant)
 *   25  u8  records erased
 *   26  u8  actor length, actor (ASCII)
 *   ..  u16 reason length, reason (UTF-8)
 * </pre>
 */
public final class ErasureEntryFlyweight {
    public static final int VERSION = 1;
    public static final int MAX_LENGTH = 27 + Erasure.MAX_ACTOR + 2 + 4 * Erasure.MAX_REASON;
    private static final int TS_OFFSET = 8;
    private static final int HASH_OFFSET = 16;
    private static final int KIND_OFFSET = 24;
    private static final int ERASED_OFFSET = 25;
    private static final int ACTOR_OFFSET = 26;

    private ErasureEntryFlyweight() {
    }

    /** Encodes an entry and returns its length. */
    public static int encode(final MutableDirectBuffer target, final Erasure erasure, final int erased) {
        final byte[] actor = erasure.actor().getBytes(StandardCharsets.US_ASCII);
        final byte[] reason = erasure.reason().getBytes(StandardCharsets.UTF_8);
        target.putShort(MessageHeader.TYPE_ID_OFFSET, (short) EntryType.ERASURE, ORDER);
        target.putShort(MessageHeader.VERSION_OFFSET, (short) VERSION, ORDER);
        target.putLong(TS_OFFSET, erasure.tsMs(), ORDER);
        target.putLong(HASH_OFFSET, erasure.idHash(), ORDER);
        target.putByte(KIND_OFFSET, (byte) erasure.kind().ordinal());
        target.putByte(ERASED_OFFSET, (byte) Math.min(erased, 255));
        int at = ACTOR_OFFSET;
        target.putByte(at, (byte) actor.length);
        target.putBytes(at + 1, actor);
        at += 1 + actor.length;
        target.putShort(at, (short) reason.length, ORDER);
        target.putBytes(at + 2, reason);
        at += 2 + reason.length;
        target.putInt(MessageHeader.LENGTH_OFFSET, at, ORDER);
        return at;
    }

    /** How many records the erasure in {@code entry} erased when it was journaled. */
    public static int erased(final DirectBuffer entry) {
        checkType(entry);
        return entry.getByte(ERASED_OFFSET) & 0xFF;
    }

    /** Decodes an entry (rare: allocates). */
    public static Erasure decode(final DirectBuffer entry, final int length) {
        checkType(entry);
        final int kindCode = entry.getByte(KIND_OFFSET);
        if (kindCode < 0 || kindCode >= EntityKind.COUNT) {
            throw new MessageFormatException("erasure entry names an unknown entity kind");
        }
        int at = ACTOR_OFFSET;
        final int actorLength = entry.getByte(at) & 0xFF;
        if (at + 1 + actorLength + 2 > length) {
            throw new MessageFormatException("erasure entry overruns");
        }
        final String actor = entry.getStringWithoutLengthAscii(at + 1, actorLength);
        at += 1 + actorLength;
        final int reasonLength = entry.getShort(at, ORDER) & 0xFFFF;
        if (at + 2 + reasonLength > length) {
            throw new MessageFormatException("erasure reason overruns");
        }
        final byte[] reason = new byte[reasonLength];
        entry.getBytes(at + 2, reason);
        return new Erasure(EntityKind.ALL[kindCode], entry.getLong(HASH_OFFSET, ORDER), actor,
            new String(reason, StandardCharsets.UTF_8), entry.getLong(TS_OFFSET, ORDER));
    }

    private static void checkType(final DirectBuffer entry) {
        if ((entry.getShort(MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF) != EntryType.ERASURE
            || (entry.getShort(MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF) != VERSION) {
            throw new MessageFormatException("not a version 1 erasure entry");
        }
    }
}
