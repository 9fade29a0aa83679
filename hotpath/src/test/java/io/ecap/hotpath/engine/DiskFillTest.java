package io.ecap.hotpath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFillTest {
    @Test
    void countsAsDfDoesLeavingReservedBlocksOut() {
        // 252 GB disk, 196 GB not allocated of which 148 GB reserved: df says 56 GB used of 104 GB, 54%
        final long g = 1L << 30;
        assertEquals(56.0 / 104, DiskFill.share(252 * g, 196 * g, 48 * g), 1e-12);
        assertEquals(0.0, DiskFill.share(100 * g, 100 * g, 100 * g), 1e-12);
        assertEquals(1.0, DiskFill.share(100 * g, 5 * g, 0), 1e-12, "nothing left to use");
    }

    @Test
    void readsTheDiskOfAFolder(@TempDir final Path dir) throws Exception {
        final double fill = DiskFill.of(dir);
        assertTrue(fill >= 0 && fill <= 1, "share " + fill);
        assertTrue(DiskFill.usableBytes(dir) > 0);
    }
}
