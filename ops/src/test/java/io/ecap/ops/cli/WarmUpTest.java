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
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap run --warm-up}: payments scored in a throwaway service, nothing left behind, the real folder alone. */
class WarmUpTest {
    @TempDir
    Path dir;

    @Test
    void shouldScoreInAThrowawayServiceAndLeaveNothingBehind() throws Exception {
        final Path data = dir.resolve("real-data");
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        final long scored = WarmUp.run(() -> settings(data), 2, new CountDownLatch(1),
            new PrintStream(said, true, StandardCharsets.UTF_8));
        final String text = said.toString(StandardCharsets.UTF_8);
        assertTrue(scored > 0, "payments were scored: " + text);
        assertTrue(text.contains("ECAP warmed up: "), text);
        assertEquals(List.of(), entries(data), "the throwaway folder is deleted, nothing else is made");
    }

    @Test
    void shouldEndEarlyWhenAskedToStop() throws Exception {
        final Path data = dir.resolve("stopped");
        final CountDownLatch stop = new CountDownLatch(1);
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        final Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(1_500);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.countDown();
        });
        stopper.start();
        final long started = System.nanoTime();
        WarmUp.run(() -> settings(data), 120, stop, new PrintStream(said, true, StandardCharsets.UTF_8));
        stopper.join();
        assertTrue(System.nanoTime() - started < 90e9, "stopped long before its 120 s");
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("ECAP warm-up stopped: "), said.toString());
        assertEquals(List.of(), entries(data), "the throwaway folder is deleted");
    }

    @Test
    void shouldRemoveTheFolderOfAKilledWarmUpButNotOneStartingNow() throws Exception {
        final Path data = Files.createDirectories(dir.resolve("d"));
        final Path killed = Files.createDirectories(data.resolve("warm-up-1").resolve("maps"));
        final Path killedEarly = Files.createDirectories(data.resolve("warm-up-2"));
        Files.setLastModifiedTime(killedEarly, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        final Path starting = Files.createDirectories(data.resolve("warm-up-3"));
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        ReplayFolders.removeAbandoned(data, new PrintStream(said, true, StandardCharsets.UTF_8));
        assertFalse(Files.exists(killed.getParent()), said.toString());
        assertFalse(Files.exists(killedEarly), said.toString());
        assertTrue(Files.exists(starting), "a warm-up that has not opened its state yet is left alone");
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("left by an interrupted warm-up"), said.toString());
    }

    private Settings settings(final Path data) throws Exception {
        final Path config = Files.writeString(dir.resolve("ecap.properties"), "");
        return Settings.load(config, Map.of()).set("data.dir", data.toString());
    }

    private static List<String> entries(final Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
