package io.ecap.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The demo's summary line says why a share is missing instead of printing NaN. */
class DemoHistoryTest {
    @Test
    void shouldSayWhyAShareIsMissing() {
        assertEquals("0.250", DemoHistory.share(0.25, "nothing caught"));
        assertEquals("1.000", DemoHistory.share(1.0, "nothing caught"));
        assertEquals("none (no fraud in it)", DemoHistory.share(0.0 / 0.0, "no fraud in it"));
    }
}
