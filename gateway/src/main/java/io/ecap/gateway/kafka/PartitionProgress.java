package io.ecap.gateway.kafka;

/**
 * The records of one partition the bridge has taken and not finished, in offset order, and the offset it may commit:
 * one past the last record of the longest finished prefix. A record is finished when it is in the journal (the engine
 * answered) or in the dead-letter topic (the broker acknowledged). Records finish out of order (a dead letter can be
 * acknowledged after later records were scored); the commit point only moves over a finished prefix, so a restart
 * never skips a record. Not thread-safe: the bridge's event loop owns it.
 */
final class PartitionProgress {
    private long[] offsets = new long[64];
    private boolean[] finished = new boolean[64];
    private int head;
    private int size;
    private long commitOffset = -1;
    private long committedOffset = -1;

    /** Records that a record was taken; offsets must grow. */
    void taken(final long offset) {
        if (size > 0 && offset <= offsets[(head + size - 1) & (offsets.length - 1)]) {
            throw new IllegalArgumentException("offset " + offset + " is not after the last one taken");
        }
        if (size == offsets.length) {
            grow();
        }
        final int at = (head + size) & (offsets.length - 1);
        offsets[at] = offset;
        finished[at] = false;
        size++;
    }

    /** Marks a taken record finished; returns false if it is not pending (already finished, or never taken). */
    boolean finished(final long offset) {
        final int i = find(offset);
        if (i < 0 || finished[i]) {
            return false;
        }
        finished[i] = true;
        while (size > 0 && finished[head]) {
            commitOffset = offsets[head] + 1;
            head = (head + 1) & (offsets.length - 1);
            size--;
        }
        return true;
    }

    /** The offset to commit (the next record to read after a restart), or -1 if nothing has finished yet. */
    long commitOffset() {
        return commitOffset;
    }

    /** True if the commit offset moved since {@link #committed()} was last called. */
    boolean hasNewCommit() {
        return commitOffset > committedOffset;
    }

    /** Notes that the current commit offset was sent to Kafka. */
    void committed() {
        committedOffset = commitOffset;
    }

    /** The last commit did not reach Kafka: the next one sends the commit offset again. */
    void commitFailed() {
        committedOffset = -1;
    }

    /** Records taken and not finished. */
    int pending() {
        return size;
    }

    private int find(final long offset) {
        int lo = 0;
        int hi = size - 1;
        final int mask = offsets.length - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final long value = offsets[(head + mid) & mask];
            if (value < offset) {
                lo = mid + 1;
            } else if (value > offset) {
                hi = mid - 1;
            } else {
                return (head + mid) & mask;
            }
        }
        return -1;
    }

    private void grow() {
        final long[] newOffsets = new long[offsets.length * 2];
        final boolean[] newFinished = new boolean[offsets.length * 2];
        for (int i = 0; i < size; i++) {
            newOffsets[i] = offsets[(head + i) & (offsets.length - 1)];
            newFinished[i] = finished[(head + i) & (offsets.length - 1)];
        }
        offsets = newOffsets;
        finished = newFinished;
        head = 0;
    }
}
