package io.ecap.analytics.rfm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.model.field.Segments;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The lake's RFM segment names are the engine's: a profile pushed from gold names its segment as {@link Segment}
 * writes it, and the engine's {@link Segments} codes them in this order (rules and models refer to the codes).
 */
class SegmentNamesTest {
    @Test
    void theLakesSegmentsAreTheEnginesInTheSameOrder() {
        assertEquals(Segments.NAMES, Arrays.stream(Segment.values()).map(Segment::label).toList());
    }
}
