package io.ecap.hotpath.journal;

import io.ecap.model.binary.MessageHeader;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The journal's entry checksums. An entry is written as its bytes with the {@link #FLAG} bit set in its header's
 * version field, followed by a CRC32C of those bytes (4 bytes, little-endian). A reader that finds the flag checks the
 * checksum, then clears the flag and drops the checksum from its copy, so everything downstream sees the entry as it
 * was made. An entry without the flag was written before checksums existed and is taken as it is.
 *
 * <p>What a checksum catches: an entry whose bytes did not all reach the disk before a power loss (its Chronicle
 * header was written back, some of its pages were not), or that changed on the disk since. Such an entry is damaged:
 * readers skip it and count it, the same way in every reader, so a recovery and a replay agree.
 *
 * <p>One instance per thread; staging and checking allocate nothing once the buffer is large enough.
 */
final class EntryChecksums {
    /** Set in the header's version field of an entry followed by its checksum; no message version comes near it. */
    static final int FLAG = 0x8000;
    static final int LENGTH = 4;

    private final CRC32C crc = new CRC32C();
    private final ExpandableDirectByteBuffer staged = new ExpandableDirectByteBuffer(4096);
    /** A reader has read an entry with a checksum: from then on every entry must have one. */
    private boolean seenChecksums;

    /** Writer: copies the entry to the staging buffer with the flag set; returns the checksum of the staged bytes. */
    int stage(final DirectBuffer entry, final int offset, final int length) {
        if (length < MessageHeader.LENGTH) {
            throw new IllegalArgumentException("a journal entry of " + length + " bytes is shorter than a header");
        }
        staged.putBytes(0, entry, offset, length);
        final int at = MessageHeader.VERSION_OFFSET;
        final int version = staged.getShort(at, MessageHeader.ORDER) & 0xFFFF;
        if ((version & FLAG) != 0) {
            throw new IllegalArgumentException("journal entry version " + version + " is not below " + FLAG);
        }
        staged.putShort(at, (short) (version | FLAG), MessageHeader.ORDER);
        return checksum(staged, length);
    }

    /** The staging buffer's address, valid until the next {@link #stage}. */
    long stagedAddress() {
        return staged.addressOffset();
    }

    /**
     * Reader: checks the entry of {@code length} bytes (checksum included, if flagged) in {@code copy} and makes it as
     * it was before it was journaled. Returns the entry's length without its checksum, or -1 if it is damaged.
     */
    int verify(final ExpandableDirectByteBuffer copy, final int length) {
        final int at = MessageHeader.VERSION_OFFSET;
        final int version = copy.getShort(at, MessageHeader.ORDER) & 0xFFFF;
        if ((version & FLAG) == 0) {
            // an entry without a checksum is taken as written only before the first one with a checksum, and never
            // with a zero type (its first bytes never reached the disk)
            final int type = copy.getShort(MessageHeader.TYPE_ID_OFFSET, MessageHeader.ORDER) & 0xFFFF;
            return seenChecksums || type == 0 ? -1 : length;
        }
        seenChecksums = true;
        final int body = length - LENGTH;
        if (body < MessageHeader.LENGTH || copy.getInt(body, MessageHeader.ORDER) != checksum(copy, body)) {
            return -1;
        }
        copy.putShort(at, (short) (version & ~FLAG), MessageHeader.ORDER);
        return body;
    }

    int checksum(final MutableDirectBuffer buffer, final int length) {
        final ByteBuffer bytes = buffer.byteBuffer();
        final int position = bytes.position();
        final int limit = bytes.limit();
        bytes.limit(length).position(0);
        crc.reset();
        crc.update(bytes);
        bytes.limit(limit).position(position);
        return (int) crc.getValue();
    }
}
