package io.ecap.model.binary;

import static io.ecap.model.binary.MessageHeader.ORDER;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Common part of the message flyweights: header, fixed block, and ordered variable-length ASCII fields.
 *
 * <p>Encode: {@code wrapForEncode}, set fixed fields in any order, then variable fields in their declared order, then
 * read {@link #encodedLength()}. Decode: {@code wrapForDecode} checks everything once; the getters then read in place.
 * A flyweight is reused for every message and allocates nothing.
 */
public abstract class MessageFlyweight {
    private final int typeId;
    private final int version;
    private final int oldestVersion;
    private final int blockLength;
    private final int[] varPositions;
    private int varCount;

    protected DirectBuffer buffer;
    protected MutableDirectBuffer mutableBuffer;
    protected int offset;
    private int limit;
    private int varWritten;

    protected MessageFlyweight(final int typeId, final int version, final int blockLength, final int varFields) {
        this(typeId, version, version, blockLength, varFields);
    }

    /**
     * A type read in versions {@code oldestVersion} to {@code version}, where each version appends variable fields to
     * the one before ({@link #varFields(int)}); a message is written in the oldest version, and in the newest once a
     * field the oldest lacks is written (so that messages without the newer fields keep their bytes).
     */
    protected MessageFlyweight(final int typeId, final int version, final int oldestVersion, final int blockLength,
        final int varFields) {
        this.typeId = typeId;
        this.version = version;
        this.oldestVersion = oldestVersion;
        this.blockLength = blockLength;
        this.varPositions = new int[varFields];
    }

    /** How many variable fields messages of {@code messageVersion} have; the newest has them all. */
    protected int varFields(final int messageVersion) {
        return varPositions.length;
    }


    public int typeId() {
        return typeId;
    }

    public int version() {
        return version;
    }

    /** Start writing a message at {@code offset}; the fixed block is zeroed then given its absent-value defaults. */
    protected final void beginEncode(final MutableDirectBuffer target, final int at) {
        this.buffer = target;
        this.mutableBuffer = target;
        this.offset = at;
        target.setMemory(at, blockLength, (byte) 0);
        target.putShort(at + MessageHeader.TYPE_ID_OFFSET, (short) typeId, ORDER);
        target.putShort(at + MessageHeader.VERSION_OFFSET, (short) oldestVersion, ORDER);
        this.limit = at + blockLength;
        this.varWritten = 0;
        this.varCount = 0;
        target.putInt(at + MessageHeader.LENGTH_OFFSET, blockLength, ORDER);
    }

    /** Bytes written so far (after encoding) or the message length (after decoding). */
    public final int encodedLength() {
        return limit - offset;
    }

    public final int offset() {
        return offset;
    }

    public final DirectBuffer buffer() {
        return buffer;
    }

    /** Appends the next variable-length field from a char sequence of ASCII characters. */
    protected final void putVar(final int index, final CharSequence value) {
        final int length = value == null ? 0 : value.length();
        startVar(index, length);
        for (int i = 0; i < length; i++) {
            mutableBuffer.putByte(limit + i, (byte) value.charAt(i));
        }
        endVar(length);
    }

    /** Appends the next variable-length field copied from a buffer. */
    protected final void putVar(final int index, final DirectBuffer src, final int srcOffset, final int length) {
        startVar(index, length);
        mutableBuffer.putBytes(limit, src, srcOffset, length);
        endVar(length);
    }

    private void startVar(final int index, final int length) {
        if (index != varWritten) {
            throw new IllegalStateException("variable field " + index + " written out of order (expected "
                + varWritten + ")");
        }
        if (length > 255) {
            throw new IllegalArgumentException("variable field " + index + " longer than 255 bytes");
        }
        varPositions[index] = limit;
        mutableBuffer.putByte(limit, (byte) length);
        limit++;
        if (index >= varFields(oldestVersion)) {
            mutableBuffer.putShort(offset + MessageHeader.VERSION_OFFSET, (short) version, ORDER);
        }
    }

    private void endVar(final int length) {
        limit += length;
        varWritten++;
        varCount = varWritten;
        mutableBuffer.putInt(offset + MessageHeader.LENGTH_OFFSET, limit - offset, ORDER);
    }

    /** Appends raw bytes to a message being encoded (for repeating groups). */
    protected final int reserve(final int length) {
        final int at = limit;
        limit += length;
        mutableBuffer.putInt(offset + MessageHeader.LENGTH_OFFSET, limit - offset, ORDER);
        return at;
    }

    /** Marks that all variable fields up to {@code index} exclusive are written (for groups that follow them). */
    protected final int varWritten() {
        return varWritten;
    }

    /**
     * Checks the header and every variable field of the message at {@code at}, of at most {@code available} bytes.
     *
     * @return the message length.
     */
    protected final int beginDecode(final DirectBuffer source, final int at, final int available) {
        if (available < MessageHeader.LENGTH) {
            throw new MessageFormatException("message shorter than its header: " + available + " bytes");
        }
        final int foundType = source.getShort(at + MessageHeader.TYPE_ID_OFFSET, ORDER) & 0xFFFF;
        if (foundType != typeId) {
            throw new MessageFormatException("expected message type " + typeId + ", found " + foundType);
        }
        final int foundVersion = source.getShort(at + MessageHeader.VERSION_OFFSET, ORDER) & 0xFFFF;
        if (foundVersion < oldestVersion || foundVersion > version) {
            throw new MessageFormatException("message type " + typeId + ": expected version " + (oldestVersion
                == version ? Integer.toString(version) : oldestVersion + " to " + version) + ", found "
                + foundVersion);
        }
        final int length = source.getInt(at + MessageHeader.LENGTH_OFFSET, ORDER);
        if (length < blockLength || length > available) {
            throw new MessageFormatException("message type " + typeId + ": length " + length
                + " outside [" + blockLength + ", " + available + "]");
        }
        this.buffer = source;
        this.mutableBuffer = null;
        this.offset = at;
        this.limit = at + blockLength;
        final int end = at + length;
        varCount = varFields(foundVersion);
        for (int i = 0; i < varCount; i++) {
            limit = scanVar(i, limit, end);
        }
        return length;
    }

    /**
     * Points this decoded message at an exact copy of its bytes at {@code at} in {@code copy}, without checking the
     * fields again (they were checked when the original was wrapped).
     */
    public final void moveTo(final DirectBuffer copy, final int at) {
        final int shift = at - offset;
        for (int i = 0; i < varCount; i++) {
            varPositions[i] += shift;
        }
        this.buffer = copy;
        this.mutableBuffer = null;
        this.offset = at;
        this.limit += shift;
    }

    /** Records and skips one variable field at {@code position}; returns the position after it. */
    protected final int scanVar(final int index, final int position, final int end) {
        if (position >= end) {
            throw new MessageFormatException("message type " + typeId + ": variable field " + index + " missing");
        }
        final int next = position + 1 + (buffer.getByte(position) & 0xFF);
        if (next > end) {
            throw new MessageFormatException("message type " + typeId + ": variable field " + index + " overruns");
        }
        varPositions[index] = position;
        return next;
    }

    /** Checks that the decoded fields used exactly the message length. */
    protected final void endDecode(final int position, final int length) {
        if (position != offset + length) {
            throw new MessageFormatException("message type " + typeId + ": " + (offset + length - position)
                + " trailing bytes");
        }
        limit = position;
    }

    /** A field's length; a field the message's version does not have is absent (length 0). */
    protected final int varLength(final int index) {
        return index < varCount ? buffer.getByte(varPositions[index]) & 0xFF : 0;
    }

    protected final int varOffset(final int index) {
        return varPositions[index] + 1;
    }

    protected final int varEnd(final int index) {
        return varOffset(index) + varLength(index);
    }

    protected final String varString(final int index) {
        final int length = varLength(index);
        return length == 0 ? null : buffer.getStringWithoutLengthAscii(varOffset(index), length);
    }

    protected final AsciiSequenceView varView(final int index, final AsciiSequenceView view) {
        return view.wrap(buffer, varOffset(index), varLength(index));
    }

    /** Position right after the last variable field scanned or written. */
    protected final int limit() {
        return limit;
    }

    protected final void limit(final int newLimit) {
        this.limit = newLimit;
    }
}
