package io.ecap.analytics.fraud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Precision and recall at a review capacity and decline thresholds, counted by hand. */
class RankMetricsTest {
    //                                     0    1    2    3    4    5    6    7    8    9
    private static final double[] SCORES = {0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5, 0.05};
    private static final boolean[] FRAUD = {true, false, false, false, true, false, false, true, false, false};

    @Test
    void shouldCountFraudInTheTopShare() {
        final RankMetrics ranks = new RankMetrics(SCORES, FRAUD);
        assertEquals(3, ranks.frauds());
        assertEquals(1, ranks.top(0.01), "at least one transaction is reviewed");
        assertEquals(1.0, ranks.precisionAt(0.1));
        assertEquals(1.0 / 3, ranks.recallAt(0.1), 1e-12);
        // top 3: 0.9 (fraud), 0.8, 0.7 (fraud)
        assertEquals(2.0 / 3, ranks.precisionAt(0.3), 1e-12);
        assertEquals(2.0 / 3, ranks.recallAt(0.3), 1e-12);
        assertEquals(1.0, ranks.recallAt(1.0));
        assertEquals(0.3, ranks.precisionAt(1.0), 1e-12, "everything reviewed: the base rate");
    }

    @Test
    void shouldGiveTheLowestScoreOfTheTopAsTheThreshold() {
        final RankMetrics ranks = new RankMetrics(SCORES, FRAUD);
        assertEquals(Map.of(0.1, 0.9, 0.2, 0.8, 0.5, 0.5), ranks.thresholds(List.of(0.1, 0.2, 0.5)));
    }

    @Test
    void shouldKeepInputOrderAmongTiesAndRefuseNonsense() {
        final RankMetrics tied = new RankMetrics(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {false, true,
            false, false});
        assertEquals(0.0, tied.precisionAt(0.25));
        assertEquals(0.5, tied.precisionAt(0.5));
        assertThrows(IllegalArgumentException.class, () -> tied.top(0));
        assertThrows(IllegalArgumentException.class, () -> new RankMetrics(new double[0], new boolean[0]));
        assertEquals(Double.NaN, new RankMetrics(new double[] {1}, new boolean[] {false}).recallAt(1.0));
        // the threshold of the top quarter of four tied scores declines all four
        assertEquals(1.0, tied.shareAtOrAbove(tied.thresholdFor(0.25)));
        assertEquals(0.2, new RankMetrics(SCORES, FRAUD).shareAtOrAbove(0.8), 1e-12);
    }
}
