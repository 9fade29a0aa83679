package io.ecap.hotpath.journal;

import io.ecap.model.binary.MessageHeader;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads journal entries in order, or one by index, copying each into a reusable off-heap buffer. One reader per
 * thread. An entry whose checksum does not match ({@link EntryChecksums}) is skipped by {@link #next()}, absent for
 * {@link #read(long)}, and counted ({@link #damaged()}).
 */
public final class JournalReader implements AutoCloseable {
    private final ExcerptTailer tailer;
    private ExpandableDirectByteBuffer entry = new ExpandableDirectByteBuffer(4096);
    private final EntryChecksums checksums = new EntryChecksums();
    private long index;
    /** The daily file {@link #moveToIndex} last checked ({@link #checkNotCutShort}). */
    private int checkedCycle = Integer.MIN_VALUE;
    private int length;
    private long damaged;
    private long lastDamagedIndex;
    private boolean hopsGaps;
    private long hopLimit;
    private long lost;
    private boolean returnsLost;
    private boolean isLost;

    JournalReader(final ExcerptTailer tailer) {
        this.tailer = tailer;
    }

    /** Positions the reader so that {@link #next()} returns the entry after {@code afterIndex} (0: the first). */
    public JournalReader after(final long afterIndex) {
        if (afterIndex == 0) {
            tailer.toStart();
        } else if (moveToIndex(afterIndex)) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    throw new IllegalStateException("journal index " + Long.toHexString(afterIndex) + " not found");
                }
            }
        } else {
            throw new IllegalStateException("journal index " + Long.toHexString(afterIndex) + " not found");
        }
        return this;
    }

    /** As {@link #at}, but false instead of an exception if the journal has no entry at {@code journalIndex}. */
    boolean moveTo(final long journalIndex) {
        return moveToIndex(journalIndex);
    }

    /** Positions the reader so that {@link #next()} returns the entry at {@code journalIndex} (again). */
    public JournalReader at(final long journalIndex) {
        if (!moveToIndex(journalIndex)) {
            throw new IllegalStateException("journal index " + Long.toHexString(journalIndex) + " not found");
        }
        return this;
    }

    /** Positions the reader after the last entry: {@link #next()} then returns only entries written from now on. */
    public JournalReader toEnd() {
        tailer.toEnd();
        return this;
    }

    /**
     * Makes the reads from now on copy entries into {@code target} (which {@link #buffer()} then returns) instead of
     * this reader's own buffer: a reader that keeps several entries at once saves a copy of each.
     */
    public JournalReader into(final ExpandableDirectByteBuffer target) {
        this.entry = target;
        return this;
    }

    /** Reads the next entry, skipping damaged ones; returns false at the end of the journal. */
    public boolean next() {
        return nextOfType(ANY_TYPE);
    }

    /** {@link #nextOfType}: every type. */
    private static final int ANY_TYPE = -1;

    /**
     * Reads the next entry of type {@code type} ({@link EntryType}), skipping damaged ones; entries of other types are
     * stepped over without being copied or checked (nor counted if damaged). False at the end of the journal.
     */
    public boolean nextOfType(final int type) {
        try {
            return nextOfType0(type);
        } catch (final InternalError fault) {
            throw unreadable(fault);
        } catch (final IllegalStateException fault) {
            throw JournalDamage.named(tailer.queue().fileAbsolutePath(), fault);
        } catch (final IndexOutOfBoundsException | IllegalArgumentException | UnsupportedOperationException fault) {
            // Chronicle, or the JDK under it, meeting a header it cannot make sense of (seen once in 2026-12: an
            // ArrayIndexOutOfBoundsException from FileChannel.size over an overwritten stretch)
            throw new IllegalStateException("the journal in " + tailer.queue().fileAbsolutePath()
                + " cannot be read after entry " + Long.toHexString(index) + ": " + fault, fault);
        }
    }

    /**
     * A fault reading a mapped journal file (the JVM's {@link InternalError} for a SIGBUS): the file holds less than
     * its headers say, cut short or overwritten. Named, with where reading stopped, instead of a JVM error.
     */
    private IllegalStateException unreadable(final InternalError fault) {
        return unreadable("after entry " + Long.toHexString(index), fault);
    }

    /** {@link #unreadable(InternalError)}, saying where reading stopped ({@code where}). */
    private IllegalStateException unreadable(final String where, final InternalError fault) {
        return new IllegalStateException("the journal in " + tailer.queue().fileAbsolutePath() + " cannot be read "
            + where + ": a file holds less than its headers say (cut short by a copy or a full disk, or overwritten)",
            fault);
    }

    /**
     * Refuses a daily file shorter than the place its header names: Chronicle's scan towards an entry in it would read
     * past the end of the mapped file, a fault the JVM reports later and elsewhere (not where it can be caught).
     */
    private void checkNotCutShort(final long journalIndex, final int cycle) {
        final SingleChronicleQueue queue = (SingleChronicleQueue) tailer.queue();
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, 0, false, null);
        if (store == null) {
            return;
        }
        final long named;
        final java.io.File file;
        try {
            named = store.writePosition();
            file = store.file();
        } finally {
            queue.closeStore(store);
        }
        if (file.length() <= named) {
            throw new IllegalStateException("the journal in " + queue.fileAbsolutePath() + " cannot be read on the way "
                + "to entry " + Long.toHexString(journalIndex) + ": its file " + file.getName() + " holds "
                + file.length() + " bytes, less than its header says (its last entry at " + named + "): cut short by "
                + "a copy or a full disk");
        }
    }

    /**
     * Chronicle's move to an entry by its index, which scans the file from the index's nearest entry: a fault on the
     * way (a file cut short under its index) is named as {@link #unreadable} does, not a JVM error.
     */
    private boolean moveToIndex(final long journalIndex) {
        final int cycle = ((SingleChronicleQueue) tailer.queue()).rollCycle().toCycle(journalIndex);
        if (cycle != checkedCycle) {
            checkNotCutShort(journalIndex, cycle);
            checkedCycle = cycle;
        }
        try {
            return tailer.moveToIndex(journalIndex);
        } catch (final InternalError fault) {
            throw unreadable("on the way to entry " + Long.toHexString(journalIndex), fault);
        } catch (final IllegalStateException fault) {
            throw JournalDamage.named(tailer.queue().fileAbsolutePath(), fault);
        }
    }

    private boolean nextOfType0(final int type) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    if (hopsGaps && hopGap()) {
                        continue;
                    }
                    return false;
                }
                index = dc.index();
                final Bytes<?> bytes = dc.wire().bytes();
                if (type != ANY_TYPE && (bytes.readRemaining() < MessageHeader.LENGTH
                    || (bytes.readShort(bytes.readPosition() + MessageHeader.TYPE_ID_OFFSET) & 0xFFFF) != type)) {
                    continue;
                }
                if (copy(dc)) {
                    return true;
                }
            }
        }
    }

    /**
     * Makes {@link #next()} step over entries whose Chronicle header was damaged (zero or never completed, as a power
     * loss can leave one in the middle of a day's file): for a reader of the whole journal, recovery and replay, which
     * must reach every entry the journal's index knows. The entries in between are counted as damaged. Without it
     * (followers at the end of the journal) a reader stops at such a header, as Chronicle's tailers do.
     */
    public JournalReader hoppingGaps() {
        this.hopsGaps = true;
        return this;
    }

    /**
     * Makes {@link #next()} return the markers of entries a torn tail lost ({@link TornTail}), with {@link #isLost()}
     * true, instead of skipping them: for a copy of the journal that keeps them in their places.
     */
    JournalReader includingLost() {
        this.returnsLost = true;
        return this;
    }

    /** Whether the entry read last is the marker of a lost entry (only returned {@link #includingLost()}). */
    boolean isLost() {
        return isLost;
    }

    /**
     * Makes {@link #hoppingGaps()} look for entries up to {@code lastIndex} rather than the queue's own last index: for
     * a file whose end is torn ({@link TornTail}), where the queue cannot find its last index.
     */
    JournalReader hoppingUpTo(final long lastIndex) {
        this.hopLimit = lastIndex;
        return this;
    }

    /** Past a header that ends the readable part early, positions at the next entry the index can reach. */
    private boolean hopGap() {
        final long last = hopLimit != 0 ? hopLimit : tailer.queue().lastIndex();
        final long from = index == 0 ? tailer.index() : index + 1;
        for (long i = from; i <= last && i - from < MAX_HOP; i++) {
            if (moveToIndex(i)) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent() && dc.index() == i) {
                        dc.rollbackOnClose(); // next() reads it
                        if (i == from) {
                            return false;
                        }
                        damaged += i - from;
                        lastDamagedIndex = i - 1;
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Longer than any entry the engine writes (a rule set or model is at most 16 MiB of text). */
    private static final long MAX_ENTRY_BYTES = 64L << 20;

    /** Entries a reader tries to step over past a damaged header before it gives up (a day's index spacing). */
    private static final int MAX_HOP = 1 << 16;

    /** Reads the entry at {@code journalIndex}; returns false if there is none (or it is damaged). */
    public boolean read(final long journalIndex) {
        if (!moveToIndex(journalIndex)) {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != journalIndex) {
                return false;
            }
            index = journalIndex;
            return copy(dc);
        }
    }

    /** Copies the entry; false (and counted) if its checksum does not match. */
    private boolean copy(final DocumentContext dc) {
        final Bytes<?> bytes = dc.wire().bytes();
        final long remaining = bytes.readRemaining();
        if (remaining > MAX_ENTRY_BYTES || bytes.bytesStore() instanceof MappedBytesStore store
            && !store.inside(bytes.readPosition(), remaining)) {
            // a header whose length runs past the mapped file (overwritten): copying would read unmapped memory
            damaged++;
            lastDamagedIndex = index;
            return false;
        }
        final int read = (int) remaining;
        entry.checkLimit(read);
        bytes.unsafeRead(entry.addressOffset(), read);
        isLost = read == Integer.BYTES && entry.getInt(0, ByteOrder.LITTLE_ENDIAN) == TornTail.LOST_MARKER;
        if (isLost) {
            length = read;
            if (returnsLost) {
                return true;
            }
            lost++;
            damaged++;
            lastDamagedIndex = index;
            return false;
        }
        length = read < MessageHeader.LENGTH ? -1 : checksums.verify(entry, read);
        if (length < 0) {
            damaged++;
            lastDamagedIndex = index;
            return false;
        }
        return true;
    }

    /**
     * Damaged entries this reader skipped: their checksum did not match (torn by a power loss), their header could not
     * be read, or they are marked as lost in a torn tail ({@link #lost()}, counted here too).
     */
    public long damaged() {
        return damaged;
    }

    /** Markers of entries lost in a torn tail this reader skipped ({@link TornTail}); part of {@link #damaged()}. */
    public long lost() {
        return lost;
    }

    /** The journal index of the last damaged entry this reader skipped, or 0. */
    public long lastDamagedIndex() {
        return lastDamagedIndex;
    }

    /** The CRC32C of the entry read last, as readers see it (without its checksum flag and trailer). */
    public long checksum() {
        return Integer.toUnsignedLong(checksums.checksum(entry, length));
    }

    /** Index of the entry read last. */
    public long index() {
        return index;
    }

    /** The entry read last; valid until the next read. */
    public MutableDirectBuffer buffer() {
        return entry;
    }

    public int length() {
        return length;
    }

    /** Type id of the entry read last. */
    public int type() {
        return entry.getShort(MessageHeader.TYPE_ID_OFFSET, MessageHeader.ORDER) & 0xFFFF;
    }

    /** Lets the calling thread become this reader's owner (see {@link Journal#handOverToCurrentThread()}). */
    public void handOverToCurrentThread() {
        tailer.singleThreadedCheckReset();
    }

    @Override
    public void close() {
        tailer.singleThreadedCheckReset();
        tailer.close();
    }
}
