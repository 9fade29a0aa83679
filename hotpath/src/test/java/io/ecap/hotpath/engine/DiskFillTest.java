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

    /** A tmpfs can be sized beyond the memory there is: what may still be written is bounded by MemAvailable. */
    @Test
    void boundsAFileSystemInMemoryByTheMemoryAvailable(@TempDir final Path dir) throws Exception {
        final Path meminfo = java.nio.file.Files.writeString(dir.resolve("meminfo"),
            "MemTotal:       24683772 kB\nMemFree:         1000000 kB\nMemAvailable:    2048000 kB\n");
        assertEquals(2048000L * 1024, DiskFill.memAvailable(meminfo));
        assertEquals(Long.MAX_VALUE, DiskFill.memAvailable(dir.resolve("none")), "unreadable: no bound");
        assertEquals(Long.MAX_VALUE, DiskFill.memAvailable(java.nio.file.Files.writeString(dir.resolve("odd"),
            "MemAvailable: lots\n")), "unparsable: no bound");
        final Path shm = Path.of("/dev/shm");
        if (java.nio.file.Files.isDirectory(shm) && "tmpfs".equals(java.nio.file.Files.getFileStore(shm).type())) {
            assertTrue(DiskFill.usableBytes(shm) <= DiskFill.memAvailable(Path.of("/proc/meminfo")));
            assertEquals("memory (tmpfs)", DiskFill.holder(shm));
        }
        final String type = java.nio.file.Files.getFileStore(dir).type();
        assertEquals("tmpfs".equals(type) || "ramfs".equals(type) ? "memory (" + type + ")" : "disk",
            DiskFill.holder(dir));
    }

    @Test
    void readsTheDiskOfAFolder(@TempDir final Path dir) throws Exception {
        final double fill = DiskFill.of(dir);
        assertTrue(fill >= 0 && fill <= 1, "share " + fill);
        assertTrue(DiskFill.usableBytes(dir) > 0);
    }
}
