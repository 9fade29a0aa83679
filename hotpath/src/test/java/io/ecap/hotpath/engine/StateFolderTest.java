package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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

    /**
     * A state folder in memory is copied to the data folder at a clean stop; after a reboot (the folder emptied) the
     * start copies it back and applies only the journal entries written after it, and the state equals a replay.
     */
    @Test
    void shouldRestoreAStateFolderInMemoryFromItsSnapshotAfterAReboot() throws Exception {
        final Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && StateSnapshot.isInMemory(shm), "needs a tmpfs at /dev/shm");
        final Path state = Files.createTempDirectory(shm, "ecap-test-state");
        try {
            try (Harness h = new Harness(config(state))) {
                for (int i = 0; i < 50; i++) {
                    h.score(txn("s-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "10.00", ""));
                }
            }
            final List<Path> first = StateSnapshot.snapshots(dir.resolve("data"));
            assertEquals(1, first.size(), "one snapshot after a clean stop: " + first);
            assertTrue(Files.exists(first.get(0).resolve(StateSnapshot.COMPLETE)));
            // the next run ends with a power loss: its own snapshot never happens (set aside and put back here)
            final Path kept = dir.resolve("kept");
            Files.move(first.get(0), kept);
            try (Harness h = new Harness(config(state))) {
                assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
                for (int i = 50; i < 80; i++) {
                    h.score(txn("s-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "10.00", ""));
                }
            }
            for (final Path newer : StateSnapshot.snapshots(dir.resolve("data"))) {
                deleteTree(newer);
            }
            Files.move(kept, first.get(0));
            deleteTree(state); // the reboot empties tmpfs
            try (Harness h = new Harness(config(state))) {
                assertTrue(h.engine.startupReport().startsWith("state: restored from the snapshot"),
                    h.engine.startupReport());
                assertEquals(30, h.engine.recoveredEntries(), "only the entries after the snapshot are applied");
            }
            final Replay.Result replay = Replay.run(dir.resolve("data").resolve("journal"), dir.resolve("replay"),
                1000, 10_000, n -> { });
            assertTrue(replay.identical(), replay.examples().toString());
            try (FeatureStore a = FeatureStore.open(dir.resolve("data").resolve("maps"), 1000, 10_000);
                 FeatureStore b = FeatureStore.open(dir.resolve("replay"), 1000, 10_000)) {
                assertEquals(List.of(), StateDiff.compare(a, b), "the restored state equals a replay");
            }
            assertEquals(1, StateSnapshot.snapshots(dir.resolve("data")).size(), "older snapshots are removed");
            assertTrue(!first.equals(StateSnapshot.snapshots(dir.resolve("data"))), "a newer snapshot replaced it");
        } finally {
            deleteTree(state);
        }
    }

    /**
     * A clean stop that leaves the state to the system (ecap score) makes no snapshot of a state folder in memory;
     * after a reboot the state is rebuilt from the journal, and the next stop that forces the state makes one.
     */
    @Test
    void shouldMakeNoSnapshotAtAStopThatLeavesTheStateToTheSystem() throws Exception {
        final Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && StateSnapshot.isInMemory(shm), "needs a tmpfs at /dev/shm");
        final Path state = Files.createTempDirectory(shm, "ecap-test-state");
        try {
            try (Harness h = new Harness(config(state).withStateSyncAtStop(false))) {
                for (int i = 0; i < 30; i++) {
                    h.score(txn("s-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "10.00", ""));
                }
            }
            assertEquals(List.of(), StateSnapshot.snapshots(dir.resolve("data")), "no snapshot");
            deleteTree(state); // a reboot
            try (Harness h = new Harness(config(state))) {
                assertTrue(h.engine.startupReport().startsWith("state: rebuilt from the journal"),
                    h.engine.startupReport());
                assertEquals(Commands.RESPONSE_DUPLICATE,
                    h.score(txn("s-3", T0 + 3000L, "c-3", "k-3", "10.00", "")).type(), "the rebuilt state knows s-3");
            }
            assertEquals(1, StateSnapshot.snapshots(dir.resolve("data")).size(), "a stop that forces makes one");
        } finally {
            deleteTree(state);
        }
    }

    /** A restore that stopped half way (no engine.meta yet) is done again; a clean stop with nothing new keeps it. */
    @Test
    void shouldRestoreAgainAfterARestoreThatStoppedHalfWay() throws Exception {
        final Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && StateSnapshot.isInMemory(shm), "needs a tmpfs at /dev/shm");
        final Path state = Files.createTempDirectory(shm, "ecap-test-state");
        try {
            try (Harness h = new Harness(config(state))) {
                for (int i = 0; i < 40; i++) {
                    h.score(txn("s-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "10.00", ""));
                }
            }
            final List<Path> snapshot = StateSnapshot.snapshots(dir.resolve("data"));
            try (Harness h = new Harness(config(state))) {
                assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
            }
            assertEquals(snapshot, StateSnapshot.snapshots(dir.resolve("data")), "nothing new: the same snapshot");
            deleteTree(state);
            Files.createDirectories(state);
            Files.write(state.resolve("card.records"), new byte[100]); // a copy cut short, and no engine.meta
            try (Harness h = new Harness(config(state))) {
                assertTrue(h.engine.startupReport().startsWith("state: restored from the snapshot"),
                    h.engine.startupReport());
                assertEquals(Commands.RESPONSE_DUPLICATE,
                    h.score(txn("s-3", T0 + 3000L, "c-3", "k-3", "10.00", "")).type(), "the restored state knows s-3");
            }
            // a snapshot whose journal entry is not this journal's (another data folder's, a deleted journal's)
            final Path own = StateSnapshot.snapshots(dir.resolve("data")).get(0);
            Files.writeString(own.resolve(StateSnapshot.JOURNAL_ENTRY), "12345");
            deleteTree(state);
            try (Harness h = new Harness(config(state))) {
                assertTrue(h.engine.startupReport().startsWith("state: rebuilt from the journal"),
                    "a snapshot of another journal is not restored: " + h.engine.startupReport());
            }
        } finally {
            deleteTree(state);
        }
    }

    /** A state folder that cannot be one is refused, naming the problem, before anything is created. */
    @Test
    void shouldRefuseAStateFolderThatCannotBeOneBeforeCreatingAnything() throws Exception {
        final Path file = Files.writeString(dir.resolve("a-file"), "x");
        final IllegalArgumentException notAFolder = assertThrows(IllegalArgumentException.class,
            () -> new Harness(config(file)));
        assertTrue(notAFolder.getMessage().startsWith("engine.state-dir: ") && notAFolder.getMessage().contains(
            "is a file, not a folder"), notAFolder.getMessage());
        final IllegalArgumentException itself = assertThrows(IllegalArgumentException.class,
            () -> new Harness(config(dir.resolve("data").resolve("maps"))));
        assertTrue(itself.getMessage().contains("the data folder's own maps folder"), itself.getMessage());
        assertTrue(!Files.exists(dir.resolve("data")), "nothing was created");
    }

    @Test
    void shouldCopySparseFilesExactly() throws Exception {
        final Path from = dir.resolve("from");
        final byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(5).nextBytes(java.nio.ByteBuffer.wrap(data, 70_000, 100).array());
        for (int i = 2_000_000; i < 2_000_300; i++) {
            data[i] = (byte) i;
        }
        data[data.length - 1] = 0;
        Files.write(from, data);
        SparseFiles.copy(from, dir.resolve("to"));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("to")));
    }

    private static void deleteTree(final Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
