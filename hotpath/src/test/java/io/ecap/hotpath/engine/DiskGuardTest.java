package io.ecap.hotpath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiskGuardTest {
    private static final long MB = 1L << 20;
    private final Path data = Path.of("data");
    private final Path state = Path.of("/dev/shm/state");
    private final Map<Path, Long> free = new HashMap<>(Map.of(data, 5_000 * MB, state, 5_000 * MB));

    private DiskGuard guard() {
        return new DiskGuard(List.of(data, state), 512 * MB, free::get, false);
    }

    @Test
    void refusesBelowTheMinimumAndResumesAtTwiceIt() {
        final DiskGuard guard = guard();
        assertNull(guard.refusal());
        free.put(state, 511 * MB);
        assertTrue(guard.check(), "a change");
        assertTrue(guard.refusal().contains(state.toAbsolutePath().toString())
            && guard.refusal().contains("511 MB free"), guard.refusal());
        free.put(state, 900 * MB);
        assertFalse(guard.check(), "between the minimum and twice it: still refused");
        assertTrue(guard.refusal().contains("not yet twice the minimum"), guard.refusal());
        free.put(state, 1_024 * MB);
        assertTrue(guard.check());
        assertNull(guard.refusal());
        free.put(data, 100 * MB);
        guard.check();
        assertTrue(guard.refusal().contains(data.toAbsolutePath().toString()), guard.refusal());
    }

    @Test
    void aDiskItCannotReadRefusesNothing() {
        free.put(data, -1L);
        assertNull(guard().refusal());
    }

    @Test
    void theRealDiskOfATemporaryFolderHasRoomForAKilobyte() throws Exception {
        try (DiskGuard real = DiskGuard.start(List.of(Path.of(System.getProperty("java.io.tmpdir"))), 1024)) {
            assertNull(real.refusal());
        }
        try (DiskGuard real = DiskGuard.start(List.of(Path.of(System.getProperty("java.io.tmpdir"))), 1L << 60)) {
            assertTrue(real.refusal() != null, "no disk has an exabyte free");
        }
        assertEquals(512L << 20, EngineConfig.DEFAULT_MIN_FREE_DISK_BYTES);
    }
}
