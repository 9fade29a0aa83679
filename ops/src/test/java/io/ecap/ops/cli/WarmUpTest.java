package io.ecap.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.ops.service.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap run --warm-up}: payments scored in a throwaway service, nothing left behind, the real folder alone. */
class WarmUpTest {
    @TempDir
    Path dir;

    @Test
    void shouldScoreInAThrowawayServiceAndLeaveNothingBehind() throws Exception {
        final Path config = Files.writeString(dir.resolve("ecap.properties"), "");
        final Path data = dir.resolve("real-data");
        final Path scratch = Files.createDirectory(dir.resolve("scratch"));
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        final long scored = WarmUp.run(() -> Settings.load(config, Map.of()).set("data.dir", data.toString()), 2,
            scratch, new PrintStream(said, true, StandardCharsets.UTF_8));
        final String text = said.toString(StandardCharsets.UTF_8);
        assertTrue(scored > 0, "payments were scored: " + text);
        assertTrue(text.contains("ECAP warmed up: "), text);
        assertFalse(Files.exists(data), "the real data folder is not made by the warm-up");
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count(), "the throwaway folder is deleted");
        }
    }
}
