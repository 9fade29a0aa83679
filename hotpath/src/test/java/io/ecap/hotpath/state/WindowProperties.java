package io.ecap.hotpath.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every window, after every event of a random stream (in order, bursty, or out of order), equals a brute-force count
 * over all events applied so far: those whose bucket is in {@code (head - 12, head]}.
 */
class WindowProperties {
    record Event(long tsMs, long cents) {
    }

    @Provide
    Arbitrary<List<Event>> streams() {
        // steps mix bursts (ms), minutes, hours and days, and jumps back in time (late events)
        final Arbitrary<Long> step = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(0, 3_000)),
            net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 600_000)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 30 * 3_600_000L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-4 * 3_600_000L, -1)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-9 * 86_400_000L, -1)));
        final Arbitrary<Long> cents = Arbitraries.longs().between(1, 1_000_000);
        return net.jqwik.api.Combinators.combine(step, cents).as((s, c) -> new long[] {s, c}).list().ofMinSize(1)
            .ofMaxSize(300).map(steps -> {
                final List<Event> events = new ArrayList<>();
                long t = 1_795_500_000_000L;
                for (final long[] s : steps) {
                    t += s[0];
                    events.add(new Event(t, s[1]));
                }
                return events;
            });
    }

    @Property(tries = 400)
    void windowsMatchTheBruteForceReference(@ForAll("streams") final List<Event> events) {
        final EntityState state = new EntityState().wrap(new UnsafeBuffer(new byte[EntityLayout.LENGTH]), 0);
        state.clear();
        final List<Event> applied = new ArrayList<>();
        for (final Event e : events) {
            for (final WindowSpec w : WindowSpec.TRANSACTION_WINDOWS) {
                SlidingWindows.add(state, w, e.tsMs(), e.cents());
            }
            applied.add(e);
            for (final WindowSpec w : WindowSpec.TRANSACTION_WINDOWS) {
                long head = Long.MIN_VALUE;
                for (final Event a : applied) {
                    head = Math.max(head, w.bucketOf(a.tsMs()));
                }
                long count = 0;
                long sum = 0;
                for (final Event a : applied) {
                    final long b = w.bucketOf(a.tsMs());
                    if (b > head - WindowSpec.BUCKETS && b <= head) {
                        count++;
                        sum += a.cents();
                    }
                }
                assertEquals(count, SlidingWindows.count(state, w), w + " count after " + applied.size());
                if (w.hasSums()) {
                    assertEquals(sum, SlidingWindows.sum(state, w), w + " sum after " + applied.size());
                }
            }
        }
    }
}
