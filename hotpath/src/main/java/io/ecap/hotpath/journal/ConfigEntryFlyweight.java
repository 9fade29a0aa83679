package io.ecap.hotpath.journal;

import static io.ecap.model.binary.MessageHeader.ORDER;

import io.ecap.model.binary.MessageFormatException;
import io.ecap.model.binary.MessageHeader;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Journal entry: a rule set (type 17), model (type 18) or engine settings (type 19) going live, version 1.
 *
 * <pre>
 *   0   header (8 bytes)
 *   8   i64 time of the change, epoch ms (given by whoever made it)
 *   16  u8 actor length, actor (ASCII, who made the change)
 *   ..  i32 text length, text (UTF-8, the whole file)
 * </pre>
 */
public final class ConfigEntryFlyweight {
    public static final int VERSION = 1;
    public static final int TS_OFFSET = 8;
    public static final int ACTOR_OFFSET = 16;
    public static final int MAX_ACTOR = 64;

    private DirectBuffer buffer;
    private int offset;
    private int textOffset;
    private int textLength;

    /** Encodes an entry and returns its length. */
    public static int encode(final MutableDirectBuffer target, final int at, final int type, final long tsMs,
        final String actor, final String text) {
        final byte[] actorBytes = actor.getBytes(StandardCharsets.US_ASCII);
        final byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        if (actorBytes.length > MAX_ACTOR) {
            throw new IllegalArgumentException("actor longer than " + MAX_ACTOR);
        }
        target.putShort(at + MessageHeader.TYPE_ID_OFFSET, (short) type, ORDER);
        target.putShort(at + MessageHeader.VERSION_OFFSET, (short) VERSION, ORDER);
        target.putLong(at + TS_OFFSET, tsMs, ORDER);
        target.putByte(at + ACTOR_OFFSET, (byte) actorBytes.length);
        target.putBytes(at + ACTOR_OFFSET + 1, actorBytes);
        final int textAt = at + ACTOR_OFFSET + 1 + actorBytes.length;
        target.putInt(textAt, textBytes.length, ORDER);
        target.putBytes(textAt + 4, textBytes);
        final int length = textAt + 4 + textBytes.length - at;
        target.putInt(at + MessageHeader.LENGTH_OFFSET, length, ORDER);
        return length;
    }

    /** Largest encoded size for a text of {@code textBytes} UTF-8 bytes. */
    public static int maxLength(final int textBytes) {
        return ACTOR_OFFSET + 1 + MAX_ACTOR + 4 + textBytes;
    }

    public ConfigEntryFlyweight wrapForDecode(final DirectBuffer source, final int at, final int available) {
        this.buffer = source;
        this.offset = at;
        final int type = source.getShort(at + MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF;
        if (type != EntryType.RULE_SET && type != EntryType.MODEL && type != EntryType.SETTINGS
            && type != EntryType.SHADOW_RULE_SET && type != EntryType.SHADOW_MODEL
            || (source.getShort(at + MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF) != VERSION) {
            throw new MessageFormatException("not a version 1 rule-set, model, settings or shadow entry");
        }
        final int actorLength = source.getByte(at + ACTOR_OFFSET) & 0xFF;
        textOffset = at + ACTOR_OFFSET + 1 + actorLength + 4;
        if (textOffset > at + available) {
            throw new MessageFormatException("config entry overruns");
        }
        textLength = source.getInt(textOffset - 4, ORDER);
        if (textLength < 0 || textOffset + textLength > at + available) {
            throw new MessageFormatException("config entry text overruns");
        }
        return this;
    }

    public int type() {
        return buffer.getShort(offset + MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF;
    }

    public long tsMs() {
        return buffer.getLong(offset + TS_OFFSET, ORDER);
    }

    public String actor() {
        return buffer.getStringWithoutLengthAscii(offset + ACTOR_OFFSET + 1, buffer.getByte(offset + ACTOR_OFFSET));
    }

    public String text() {
        final byte[] bytes = new byte[textLength];
        buffer.getBytes(textOffset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
