package io.ecap.analytics.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/** Every model shares each conversion's credit completely, whatever its touches. */
class AttributionModelProperties {
    @Property
    void creditIsNonNegativeAndSumsToOne(
        @ForAll @Size(min = 1, max = 40) final List<@DoubleRange(min = 0, max = 24 * 90) Double> ages,
        @ForAll @DoubleRange(min = 0.01, max = 10_000) final double halfLifeHours) {
        final double[] oldestFirst = ages.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (int i = 0, j = oldestFirst.length - 1; i < j; i++, j--) {
            final double t = oldestFirst[i];
            oldestFirst[i] = oldestFirst[j];
            oldestFirst[j] = t;
        }
        for (final AttributionModel model : AttributionModel.values()) {
            final double[] credit = model.credits(oldestFirst, halfLifeHours);
            assertEquals(oldestFirst.length, credit.length);
            assertTrue(Arrays.stream(credit).allMatch(c -> c >= 0), model + " " + Arrays.toString(credit));
            assertEquals(1.0, Arrays.stream(credit).sum(), 1e-12, model + " " + Arrays.toString(credit));
        }
    }

    @Property
    void timeDecayGivesNewerTouchesMoreAndHalvesPerHalfLife(
        @ForAll @DoubleRange(min = 0.5, max = 500) final double halfLifeHours) {
        final double[] credit = AttributionModel.TIME_DECAY.credits(new double[] {2 * halfLifeHours,
            halfLifeHours, 0}, halfLifeHours);
        assertEquals(credit[2] / 2, credit[1], 1e-12);
        assertEquals(credit[1] / 2, credit[0], 1e-12);
    }

    @Property
    void positionBasedGivesFortyTwentyForty(@ForAll @DoubleRange(min = 1, max = 100) final double halfLifeHours) {
        assertArrayEquals(new double[] {1}, AttributionModel.POSITION_BASED.credits(new double[] {5}, halfLifeHours));
        assertArrayEquals(new double[] {0.5, 0.5},
            AttributionModel.POSITION_BASED.credits(new double[] {5, 1}, halfLifeHours));
        assertArrayEquals(new double[] {0.4, 0.1, 0.1, 0.4},
            AttributionModel.POSITION_BASED.credits(new double[] {9, 5, 3, 1}, halfLifeHours), 1e-15);
        assertArrayEquals(new double[] {1, 0, 0}, AttributionModel.FIRST_TOUCH.credits(new double[] {3, 2, 1}, 1));
        assertArrayEquals(new double[] {0, 0, 1}, AttributionModel.LAST_TOUCH.credits(new double[] {3, 2, 1}, 1));
    }
}
