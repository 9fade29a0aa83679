package io.ecap.hotpath.journal;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The wall clock the journal's queue rolls its daily files by, read by Chronicle on every append. While the
 * journal's toucher runs (the engine's case) that thread sets it on each of its rounds, at least every millisecond
 * unless the disk is nearly full, and the writer reads a field instead of the system clock: no clock read per event
 * on the writer. Otherwise (tools, replays, tests) it is the system clock. A daily file therefore rolls at most a
 * round late: an entry appended in the first milliseconds of a day may close the day before.
 */
final class JournalClock implements TimeProvider {
    /** Milliseconds since the epoch as last set, or 0 while no toucher sets it. */
    private volatile long setMillis;

    @Override
    public long currentTimeMillis() {
        final long set = setMillis;
        return set != 0 ? set : System.currentTimeMillis();
    }

    @Override
    public long currentTimeMicros() {
        return currentTimeMillis() * 1_000L;
    }

    @Override
    public long currentTimeNanos() {
        return currentTimeMillis() * 1_000_000L;
    }

    /** The toucher's thread: reads the system clock for the writer. */
    void tick() {
        set(System.currentTimeMillis());
    }

    /** Whether a thread sets the time (else each read is the system clock's). */
    boolean isSet() {
        return setMillis != 0;
    }

    /** Sets the time the writer sees (a test's, or the system's). */
    void set(final long epochMillis) {
        setMillis = epochMillis;
    }

    /** Back to the system clock: no thread sets it any more. */
    void release() {
        setMillis = 0;
    }
}
