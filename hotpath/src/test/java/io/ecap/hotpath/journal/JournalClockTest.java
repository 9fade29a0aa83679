package io.ecap.hotpath.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal rolls its daily files by {@link JournalClock}: the time the toucher's thread last read while it runs,
 * the system clock otherwise. The writer's appends read the clock's field, never the system clock.
 */
class JournalClockTest {
    private static final long DAY = TimeUnit.DAYS.toMillis(1);

    @TempDir
    Path dir;

    @Test
    void shouldBeTheSystemClockUntilSet() {
        final JournalClock clock = new JournalClock();
        final long before = System.currentTimeMillis();
        final long read = clock.currentTimeMillis();
        assertTrue(read >= before && read <= System.currentTimeMillis(), "the system clock while nobody sets it");
        assertFalse(clock.isSet());
        clock.set(1_000 * DAY + 5);
        assertEquals(1_000 * DAY + 5, clock.currentTimeMillis());
        assertEquals((1_000 * DAY + 5) * 1_000_000L, clock.currentTimeNanos());
        clock.release();
        assertTrue(clock.currentTimeMillis() >= before, "the system clock again");
    }

    /** The appender takes its day from the journal's clock: an entry appended three days ahead lands in that day. */
    @Test
    void shouldAppendIntoTheDayOfTheJournalsClock() {
        final UnsafeBuffer entry = new UnsafeBuffer(new byte[32]);
        try (Journal journal = Journal.open(dir.toFile())) {
            journal.append(entry, 0, 32);
            final long today = Journal.cycleOf(journal.appendedTo());
            assertEquals(System.currentTimeMillis() / DAY, today, "a daily cycle is the day's number");
            journal.clock().set((today + 3) * DAY + 1);
            journal.append(entry, 0, 32);
            assertEquals(today + 3, Journal.cycleOf(journal.appendedTo()), "the day the clock says");
        }
    }

    @Test
    void shouldBeSetByTheToucherWhileItRuns() throws Exception {
        try (Journal journal = Journal.open(dir.toFile())) {
            assertFalse(journal.clock().isSet());
            journal.touchAhead();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!journal.clock().isSet() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(journal.clock().isSet(), "the toucher sets the clock");
            final long read = journal.clock().currentTimeMillis();
            assertTrue(Math.abs(read - System.currentTimeMillis()) < TimeUnit.SECONDS.toMillis(5), "now: " + read);
        }
    }
}
