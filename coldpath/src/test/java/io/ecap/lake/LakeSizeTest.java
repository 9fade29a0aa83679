package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How big a lake's layers are, which decides whether its jobs run with Spark's code generation. */
class LakeSizeTest {
    @TempDir
    Path dir;

    @Test
    void shouldSumTheFilesOfALocalLayer() throws Exception {
        final Path table = Files.createDirectories(dir.resolve("bronze/decisions/event_date=2026-12-04"));
        Files.write(table.resolve("part-0.parquet"), new byte[1_000]);
        Files.write(dir.resolve("bronze/decisions").resolve("x.json"), new byte[24]);
        assertEquals(1_024, Lake.localBytes(dir.toString(), "bronze"));
        assertEquals(0, Lake.localBytes(dir.toString(), "silver"), "a layer not made yet");
        assertEquals(-1, Lake.localBytes("s3a://bucket/lake", "bronze"), "not looked at behind a URI");
        assertTrue(1_024 < Lake.SMALL_BYTES);
    }
}
