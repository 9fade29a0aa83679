package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.journal.Journal;
import io.ecap.model.storage.ErasurePauseFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While an erasure's pause holds the lake, a following tailer commits nothing, and it loads everything once the
 * pause ends; a pause whose lease is over, or a file that is not a pause's, holds nothing.
 */
class ErasurePauseTest {
    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    @Test
    void aFollowingTailerWaitsOutThePauseThenLoadsEverything() throws Exception {
        final Path data = dir.resolve("data");
        ScoredJournal.write(data, 40);
        final long last;
        try (Journal journal = Journal.openReadOnly(data.resolve("journal").toFile())) {
            last = journal.lastIndex();
        }
        final String lake = dir.resolve("lake").toString();
        final Path file = dir.resolve("lake").resolve(ErasurePauseFile.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, ErasurePauseFile.text(System.currentTimeMillis() + 600_000, "ecap lake erase, a test"),
            StandardCharsets.UTF_8);
        final List<String> said = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        try (LakeTailer tailer = new LakeTailer(data.resolve("journal"), lake, dir.resolve("state"), 1000,
            new BronzeCommitter(DefaultEngine.create(hadoop)), (t, v) -> { })) {
            final java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
            tailer.pauseFor(new ErasurePause(lake, hadoop, said::add) {
                @Override
                boolean holds(final long nowMs) throws java.io.IOException {
                    final boolean held = super.holds(nowMs);
                    checks.incrementAndGet();
                    return held;
                }
            });
            final Thread follower = ScoredJournal.follow(tailer, stop);
            waitFor(() -> !said.isEmpty(), "the tailer to say it paused");
            assertTrue(said.get(0).startsWith("paused: an erasure is deleting from the lake (ecap lake erase, a "
                + "test)"), said.toString());
            final int seen = checks.get();
            waitFor(() -> checks.get() >= seen + 5, "the tailer to find the pause five times more");
            assertFalse(Files.exists(dir.resolve("lake").resolve("bronze")), "committed during the pause");
            assertEquals(0, tailer.mark());

            Files.delete(file);
            waitFor(() -> tailer.mark() == last, "the tailer to load the journal after the pause");
            assertEquals(List.of("resumed: the erasure ended"), said.subList(1, said.size()));
            stop.set(true);
            follower.join(10_000);
        }
    }

    @Test
    void aLeaseOverOrAFileNotAPausesHoldsNothing() throws Exception {
        final String lake = dir.resolve("lake").toString();
        final Path file = dir.resolve("lake").resolve(ErasurePauseFile.FILE);
        Files.createDirectories(file.getParent());
        final List<String> said = new CopyOnWriteArrayList<>();
        final ErasurePause pause = new ErasurePause(lake, hadoop, said::add);
        assertFalse(pause.holds(1_000));
        Files.writeString(file, ErasurePauseFile.text(2_000, "someone"), StandardCharsets.UTF_8);
        assertTrue(pause.holds(1_999));
        assertFalse(pause.holds(2_000));
        assertEquals(List.of("paused: an erasure is deleting from the lake (someone); no batch starts until it ends",
            "resumed: the erasure ended"), said);
        said.clear();
        Files.writeString(file, "pause please\n", StandardCharsets.UTF_8);
        assertFalse(pause.holds(3_000));
        assertFalse(pause.holds(3_000));
        assertEquals(List.of("ignoring " + file + ": expected 'until <milliseconds>' on the first line, found "
            + "'pause please'"), said);
    }

    /** A pause read while the erasure rewrites it (empty, half written) goes on holding: one pause, one resume. */
    @Test
    void aPauseReadWhileRenewedStillHolds() throws Exception {
        final String lake = dir.resolve("lake").toString();
        final Path file = dir.resolve("lake").resolve(ErasurePauseFile.FILE);
        Files.createDirectories(file.getParent());
        final List<String> said = new CopyOnWriteArrayList<>();
        final ErasurePause pause = new ErasurePause(lake, hadoop, said::add);
        Files.writeString(file, ErasurePauseFile.text(5_000, "someone"), StandardCharsets.UTF_8);
        assertTrue(pause.holds(1_000));
        Files.writeString(file, "", StandardCharsets.UTF_8);
        assertTrue(pause.holds(2_000), "emptied by the renewal's rewrite");
        Files.writeString(file, "unt", StandardCharsets.UTF_8);
        assertTrue(pause.holds(2_500), "half written");
        Files.writeString(file, ErasurePauseFile.text(9_000, "someone"), StandardCharsets.UTF_8);
        assertTrue(pause.holds(3_000));
        Files.delete(file);
        assertFalse(pause.holds(4_000), "the erasure ended");
        assertEquals(List.of("paused: an erasure is deleting from the lake (someone); no batch starts until it ends",
            "resumed: the erasure ended"), said);
    }

    private static void waitFor(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "waited 60 s for " + what);
            Thread.sleep(20);
        }
    }
}
