package io.ecap.hotpath.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/** The distinct-counterpart sketch equals {@code min(16, distinct counterparts seen in the last 7 days)}. */
class SketchProperties {
    record Sighting(int counterpart, long stepMs) {
    }

    @Provide
    Arbitrary<List<Sighting>> sightings() {
        final Arbitrary<Long> step = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 3_600_000L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 4 * 86_400_000L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-2 * 86_400_000L, -1)));
        return Combinators.combine(Arbitraries.integers().between(1, 40), step).as(Sighting::new)
            .list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void sketchCountsLikeTheReference(@ForAll("sightings") final List<Sighting> sightings) {
        final EntityState state = new EntityState().wrap(new UnsafeBuffer(new byte[EntityLayout.LENGTH]), 0);
        state.clear();
        final Map<Integer, Long> lastSeenSec = new HashMap<>();
        long t = 1_795_500_000_000L;
        long newest = Long.MIN_VALUE;
        for (final Sighting s : sightings) {
            t += s.stepMs();
            final int hash = s.counterpart() * 0x9E3779B9;
            DistinctSketch.add(state, hash, t);
            lastSeenSec.merge(hash, Math.floorDiv(t, 1000L), Math::max);
            newest = Math.max(newest, t);
            final long from = Math.floorDiv(newest, 1000L) - DistinctSketch.WINDOW_SEC;
            final long expected = lastSeenSec.values().stream().filter(v -> v > from).count();
            assertEquals(Math.min(16, expected), DistinctSketch.count(state, newest));
            final boolean inWindow = Math.floorDiv(t, 1000L) > from;
            assertEquals(true, !inWindow || DistinctSketch.contains(state, hash) || expected >= 16,
                "a sighting within the window is kept unless 16 newer ones are");
        }
    }
}
