package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state folder of its own: data/maps links to it, a lost one is rebuilt from the journal, moved state is refused. */
class StateFolderTest {
    private static final long T0 = 1_795_500_000_000L;

    @TempDir
    Path dir;

    private EngineConfig config(final Path stateDir) {
        return EngineConfig.defaults(dir.resolve("data")).withEntries(1000, 10_000).withStateDir(stateDir);
    }

    @Test
    void shouldKeepTheStateElsewhereAndRebuildItWhenItIsGone() throws Exception {
        final Path state = dir.resolve("fast").resolve("state");
        try (Harness h = new Harness(config(state))) {
            for (int i = 0; i < 50; i++) {
                h.score(txn("s-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "10.00", ""));
            }
        }
        final Path maps = dir.resolve("data").resolve("maps");
        assertTrue(Files.isSymbolicLink(maps), "data/maps links to the state folder");
        assertTrue(Files.exists(state.resolve("card.records")), "the state files are in the state folder");
        try (Stream<Path> files = Files.walk(state)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); // a reboot wipes tmpfs
        }
        try (Harness h = new Harness(config(state))) {
            assertTrue(h.engine.recoveredEntries() >= 50, "rebuilt from the journal");
            assertTrue(h.engine.startupReport().startsWith("state: rebuilt from the journal"),
                h.engine.startupReport());
            assertEquals(0.0, h.journaledFeature(h.score(txn("s-again", T0 + 60_000L, "c-1", "k-1", "10.00", ""))
                .journalIndex(), "card.is_new"), "the rebuilt state knows k-1");
        }
        try (Harness h = new Harness(config(null))) {
            assertEquals(0, h.engine.recoveredEntries(), "without the setting the link still leads to the state");
        }
    }

    @Test
    void shouldRefuseToSwitchAwayFromAFolderThatHoldsState() throws Exception {
        try (Harness h = new Harness(config(null))) {
            h.score(txn("s-1", T0, "c-1", "k-1", "10.00", ""));
        }
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new Harness(config(dir.resolve("elsewhere"))));
        assertTrue(e.getMessage().contains("holds the engine's state") && e.getMessage().contains("move it there"),
            e.getMessage());
        try (Harness h = new Harness(config(null))) {
            assertEquals(Commands.RESPONSE_DUPLICATE, h.score(txn("s-1", T0, "c-1", "k-1", "10.00", "")).type(),
                "nothing was lost");
        }
    }
}
