package io.ecap.hotpath.journal;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Journal entry: a block or allow list change (type 20), version 1. Each one names the journal index of the list
 * change before it, so that a start walks back through the list changes alone (from the newest, which the engine
 * meta names) instead of reading the whole journal.
 *
 * <pre>
 *   0   header (8 bytes)
 *   8   i64 time of the change, epoch ms (given by whoever made it)
 *   16  i64 journal index of the previous list change entry (0: none)
 *   24  i64 stream id, milliseconds part
 *   32  i64 stream id, sequence part
 *   40  u8 list (0 block, 1 allow)
 *   41  u8 kind (0 card, 1 customer, 2 device, 3 ip, 4 email)
 *   42  u8 1 added, 0 removed
 *   43  u8 actor length, actor (ASCII)
 *   ..  u8 value length, value (ASCII, canonical)
 *   ..  u16 reason length, reason (UTF-8)
 * </pre>
 */
public final class ListEntryFlyweight {
    public static final int VERSION = 1;
    public static final int MAX_LENGTH = 44 + ListChange.MAX_ACTOR + 1 + 255 + 2 + ListChange.MAX_REASON;
    private static final int TS_OFFSET = 8;
    private static final int PREVIOUS_OFFSET = 16;
    private static final int STREAM_MS_OFFSET = 24;
    private static final int STREAM_SEQ_OFFSET = 32;
    private static final int LIST_OFFSET = 40;
    private static final int KIND_OFFSET = 41;
    private static final int ADD_OFFSET = 42;
    private static final int ACTOR_OFFSET = 43;

    private ListEntryFlyweight() {
    }

    /** Encodes an entry and returns its length. */
    public static int encode(final MutableDirectBuffer target, final ListChange change, final long previousIndex) {
        final byte[] actor = change.actor().getBytes(StandardCharsets.US_ASCII);
        final byte[] value = change.value().getBytes(StandardCharsets.US_ASCII);
        final byte[] reason = change.reason().getBytes(StandardCharsets.UTF_8);
        target.putShort(MessageHeader.TYPE_ID_OFFSET, (short) EntryType.LIST_CHANGE, ORDER);
        target.putShort(MessageHeader.VERSION_OFFSET, (short) VERSION, ORDER);
        target.putLong(TS_OFFSET, change.tsMs(), ORDER);
        target.putLong(PREVIOUS_OFFSET, previousIndex, ORDER);
        target.putLong(STREAM_MS_OFFSET, change.streamMs(), ORDER);
        target.putLong(STREAM_SEQ_OFFSET, change.streamSeq(), ORDER);
        target.putByte(LIST_OFFSET, (byte) change.list().ordinal());
        target.putByte(KIND_OFFSET, (byte) change.kind().ordinal());
        target.putByte(ADD_OFFSET, (byte) (change.add() ? 1 : 0));
        int at = ACTOR_OFFSET;
        target.putByte(at, (byte) actor.length);
        target.putBytes(at + 1, actor);
        at += 1 + actor.length;
        target.putByte(at, (byte) value.length);
        target.putBytes(at + 1, value);
        at += 1 + value.length;
        target.putShort(at, (short) reason.length, ORDER);
        target.putBytes(at + 2, reason);
        at += 2 + reason.length;
        target.putInt(MessageHeader.LENGTH_OFFSET, at, ORDER);
        return at;
    }

    /** The journal index of the list change before the one in {@code entry}. */
    public static long previousIndex(final DirectBuffer entry) {
        checkType(entry);
        return entry.getLong(PREVIOUS_OFFSET, ORDER);
    }

    /** Decodes an entry (rare: allocates). */
    public static ListChange decode(final DirectBuffer entry, final int length) {
        checkType(entry);
        final int listCode = entry.getByte(LIST_OFFSET);
        final int kindCode = entry.getByte(KIND_OFFSET);
        if (listCode < 0 || listCode >= ListType.ALL.length || kindCode < 0 || kindCode >= ListKind.ALL.length) {
            throw new MessageFormatException("list change entry names an unknown list or kind");
        }
        int at = ACTOR_OFFSET;
        final String actor = ascii(entry, at, length);
        at += 1 + actor.length();
        final String value = ascii(entry, at, length);
        at += 1 + value.length();
        if (at + 2 > length) {
            throw new MessageFormatException("list change entry overruns");
        }
        final int reasonLength = entry.getShort(at, ORDER) & 0xFFFF;
        if (at + 2 + reasonLength > length) {
            throw new MessageFormatException("list change reason overruns");
        }
        final byte[] reason = new byte[reasonLength];
        entry.getBytes(at + 2, reason);
        return new ListChange(ListType.ALL[listCode], ListKind.ALL[kindCode], entry.getByte(ADD_OFFSET) == 1, value,
            new String(reason, StandardCharsets.UTF_8), actor, entry.getLong(TS_OFFSET, ORDER),
            entry.getLong(STREAM_MS_OFFSET, ORDER), entry.getLong(STREAM_SEQ_OFFSET, ORDER));
    }

    private static String ascii(final DirectBuffer entry, final int at, final int length) {
        final int size = entry.getByte(at) & 0xFF;
        if (at + 1 + size > length) {
            throw new MessageFormatException("list change entry overruns");
        }
        return entry.getStringWithoutLengthAscii(at + 1, size);
    }

    private static void checkType(final DirectBuffer entry) {
        if ((entry.getShort(MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF) != EntryType.LIST_CHANGE
            || (entry.getShort(MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF) != VERSION) {
            throw new MessageFormatException("not a version 1 list change entry");
        }
    }
}
