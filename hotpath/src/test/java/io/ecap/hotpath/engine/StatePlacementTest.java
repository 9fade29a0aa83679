package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.StateOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * engine.state-dir=auto: a new data folder's state in memory, a folder on disk left there, a copy of a data folder
 * (link included) given a state of its own, a moved one keeping its state, and states no data folder leads to
 * removed.
 */
class StatePlacementTest {
    private static final long T0 = 1_795_500_000_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void memoryRoot() throws Exception {
        final Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && StateSnapshot.isInMemory(shm), "needs a tmpfs at /dev/shm");
        root = Files.createTempDirectory(shm, "ecap-test-placement");
    }

    @AfterEach
    void removeRoot() throws Exception {
        if (root != null) {
            deleteTree(root);
        }
    }

    private Path auto(final Path data) throws Exception {
        return StatePlacement.auto(data, root, 1);
    }

    private static EngineConfig config(final Path data, final Path stateDir) {
        return EngineConfig.defaults(data).withEntries(1000, 10_000).withStateDir(stateDir);
    }

    private static void score(final Path data, final Path stateDir, final int from, final int to) throws Exception {
        try (Harness h = new Harness(config(data, stateDir))) {
            for (int i = from; i < to; i++) {
                h.score(txn("p-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "10.00", ""));
            }
        }
    }

    @Test
    void shouldPutANewDataFoldersStateInMemoryAndKeepItThere() throws Exception {
        final Path data = dir.resolve("data");
        final Path state = auto(data);
        assertNotNull(state);
        assertTrue(state.startsWith(root) && state.getFileName().toString().startsWith("data-"), state.toString());
        score(data, state, 0, 20);
        final Path maps = data.resolve("maps");
        assertTrue(Files.isSymbolicLink(maps) && Files.isSameFile(maps, state), "data/maps leads to it");
        assertEquals(data.toRealPath().toString(), Files.readString(state.resolve(StateOwner.FILE)).strip());
        assertEquals(state, auto(data), "the next start keeps it");
        try (Harness h = new Harness(config(data, auto(data)))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
            assertTrue(h.engine.startupReport().endsWith("(in memory), copied to the data folder every 15 min"),
                h.engine.startupReport());
        }
    }

    @Test
    void shouldLeaveAStateOnTheDiskAndNeedAFileSystemInMemoryWithRoom() throws Exception {
        final Path onDisk = dir.resolve("on-disk");
        score(onDisk, null, 0, 5);
        assertNull(auto(onDisk), "a data folder whose state is on its disk keeps it there");
        final Path fresh = dir.resolve("fresh");
        assertNull(StatePlacement.auto(fresh, dir.resolve("not-memory"), 1), "a root on a disk is not taken");
        assertNull(StatePlacement.auto(fresh, root, Long.MAX_VALUE / 2), "nor a tmpfs without room");
        assertNull(StatePlacement.resolve("data", fresh));
        assertNull(StatePlacement.resolve("", fresh));
        assertEquals(dir.resolve("x"), StatePlacement.resolve(dir.resolve("x").toString(), fresh));
        assertNull(StatePlacement.problem("auto", fresh));
        assertTrue(StatePlacement.problem(Files.writeString(dir.resolve("f"), "x").toString(), fresh)
            .contains("is a file, not a folder"));
        assertTrue(StatePlacement.problem(dir.resolve("f").resolve("sub").toString(), fresh)
            .endsWith("cannot be created: " + dir.resolve("f") + " is a file"));
        Files.writeString(Files.createDirectories(dir.resolve("photos")).resolve("cat.jpg"), "x");
        assertTrue(StatePlacement.problem(dir.resolve("photos").toString(), fresh)
            .contains("is not empty and holds no ECAP state"));
        assertNull(StatePlacement.resolve("DATA", fresh), "the words in any case");
        assertNotEquals(Path.of("AUTO"), StatePlacement.resolve("AUTO", fresh));
        assertTrue(StatePlacement.problem("atuo", fresh).contains("is neither auto, data nor an absolute folder"));
    }

    /** cp -r copies data/maps as a link: the copy must not write the original's state. */
    @Test
    void shouldGiveACopyOfADataFolderAStateOfItsOwn() throws Exception {
        final Path original = dir.resolve("original");
        final Path state = auto(original);
        score(original, state, 0, 30);
        final Path copy = dir.resolve("copy");
        copyTree(original, copy);
        assertTrue(Files.isSameFile(copy.resolve("maps"), state), "the copy's link leads to the original's state");

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> FeatureStore.openQuiet(copy.resolve("maps"), 1000, 10_000));
        assertTrue(refused.getMessage().contains("another data folder, " + original.toRealPath()),
            refused.getMessage());
        assertTrue(StateFolder.problem(state, copy).contains("is the state folder of another data folder"));

        final Path own = auto(copy);
        assertNotEquals(state, own, "the copy gets a folder of its own");
        try (Harness h = new Harness(config(copy, own))) {
            assertTrue(h.engine.startupReport().startsWith("state: restored from the snapshot"),
                "the original's clean stop left a snapshot, copied too: " + h.engine.startupReport());
            assertEquals(Commands.RESPONSE_DUPLICATE, h.score(txn("p-3", T0 + 3000L, "c-3", "k-3", "10.00", ""))
                .type(), "the copy's state knows its journal's transactions");
            h.score(txn("only-in-copy", T0 + 100_000L, "c-1", "k-1", "10.00", ""));
        }
        assertTrue(Files.isSameFile(copy.resolve("maps"), own));
        assertEquals(copy.toRealPath().toString(), Files.readString(own.resolve(StateOwner.FILE)).strip(),
            "the copy owns its folder, though its state came from the original's snapshot");
        assertFalse(Files.exists(StateSnapshot.snapshots(copy).get(0).resolve(StateOwner.FILE)),
            "a snapshot holds no owner");
        try (Harness h = new Harness(config(original, auto(original)))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
            assertEquals(0, h.engine.recoveredEntries(), "the original's state was not touched");
            assertEquals(Commands.RESPONSE_DECISION,
                h.score(txn("only-in-copy", T0 + 100_000L, "c-1", "k-1", "10.00", "")).type(),
                "the copy's transaction is not in the original's state");
        }
    }

    @Test
    void shouldKeepAMovedDataFoldersState() throws Exception {
        final Path before = dir.resolve("before");
        final Path state = auto(before);
        score(before, state, 0, 10);
        final Path after = dir.resolve("after");
        Files.move(before, after);
        assertEquals(state, auto(after), "no other data folder leads to it: taken over");
        try (Harness h = new Harness(config(after, auto(after)))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
        }
        assertEquals(after.toRealPath().toString(), Files.readString(state.resolve(StateOwner.FILE)).strip());
    }

    /** A tool opening a moved folder's state (ecap erase, ecap state) records its new place, as a start does. */
    @Test
    void shouldRecordAMovedDataFoldersNewPlaceWhenAToolOpensItsState() throws Exception {
        final Path before = dir.resolve("before");
        final Path state = auto(before);
        score(before, state, 0, 10);
        final Path after = dir.resolve("after");
        Files.move(before, after);
        FeatureStore.openQuiet(after.resolve("maps"), 1000, 10_000).close();
        assertEquals(after.toRealPath().toString(), Files.readString(state.resolve(StateOwner.FILE)).strip());
    }

    @Test
    void shouldRemoveStatesNoDataFolderLeadsToAndNoProcessHolds() throws Exception {
        final Path kept = dir.resolve("kept");
        final Path keptState = auto(kept);
        score(kept, keptState, 0, 5);
        final Path deleted = dir.resolve("deleted");
        final Path deletedState = auto(deleted);
        score(deleted, deletedState, 0, 5);
        deleteTree(deleted);
        final Path moved = dir.resolve("moved");
        final Path movedState = auto(moved);
        score(moved, movedState, 0, 5);
        Files.move(moved, dir.resolve("moved-here"));
        final Path openState = Files.createDirectories(root.resolve("open-replay"));
        final Path killedReplay = Files.createDirectories(root.resolve("killed-replay"));
        Files.writeString(killedReplay.resolve("card.records"), "x");
        final Path youngState = Files.createDirectories(root.resolve("young"));
        for (final Path p : new Path[] {keptState, deletedState, openState, killedReplay}) {
            age(p, 2 * HOUR);
        }
        age(movedState, 120_000); // unused for two minutes only
        try (FeatureStore open = FeatureStore.openQuiet(openState, 1000, 10_000)) {
            age(openState, 2 * HOUR);
            assertEquals(2, StatePlacement.sweep(root, HOUR));
        }
        assertFalse(Files.exists(killedReplay), "a state naming no data folder is gone");
        assertTrue(Files.isDirectory(movedState), "a state used lately whose data folder is gone: maybe moved");
        try (Harness h = new Harness(config(dir.resolve("moved-here"), auto(dir.resolve("moved-here"))))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
        }
        assertFalse(Files.exists(deletedState), "the deleted data folder's state is gone");
        assertTrue(Files.isDirectory(keptState), "a state its data folder leads to is kept");
        assertTrue(Files.isDirectory(openState), "one a process holds is kept");
        assertTrue(Files.isDirectory(youngState), "one made a moment ago is kept");
        try (Harness h = new Harness(config(kept, auto(kept)))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
        }
    }

    /** A tmpfs more than half full: the states waiting out their grace go early, the least recently used first. */
    @Test
    void shouldRemoveStatesInTheirGraceEarlyUnderPressureLeastRecentlyUsedFirst() throws Exception {
        final Path older = dir.resolve("older");
        final Path olderState = auto(older);
        score(older, olderState, 0, 5);
        final Path newer = dir.resolve("newer");
        final Path newerState = auto(newer);
        score(newer, newerState, 0, 5);
        final Path kept = dir.resolve("kept");
        final Path keptState = auto(kept);
        score(kept, keptState, 0, 5);
        deleteTree(older);
        deleteTree(newer);
        age(olderState, 300_000);
        age(newerState, 120_000);
        age(keptState, 2 * HOUR);
        final int[] asked = new int[1];
        assertEquals(1, StatePlacement.sweep(root, HOUR, () -> asked[0]++ == 0), "pressure for one removal");
        assertFalse(Files.exists(olderState), "the least recently used state in its grace went first");
        assertTrue(Files.isDirectory(newerState), "the pressure was gone after one");
        assertTrue(Files.isDirectory(keptState), "a state its data folder leads to never goes");
        assertEquals(0, StatePlacement.sweep(root, HOUR, () -> false), "no pressure: the hour of grace holds");
        assertTrue(Files.isDirectory(newerState));
        assertEquals(1, StatePlacement.sweep(root, HOUR, () -> true));
        assertFalse(Files.exists(newerState));
        assertTrue(Files.isDirectory(keptState));
    }

    /**
     * A copy never started, whose original went on scoring and was then moved away: the state the copy's link leads
     * to has entries the copy's journal has not, so it is not the copy's to take over.
     */
    @Test
    void shouldNotLetACopyTakeOverItsMovedOriginalsStateThatIsAheadOfItsJournal() throws Exception {
        final Path original = dir.resolve("original");
        final Path state = auto(original);
        score(original, state, 0, 10);
        final Path copy = dir.resolve("copy");
        copyTree(original, copy);
        score(original, state, 10, 15);
        Files.move(original, dir.resolve("moved"));
        final Path own = auto(copy);
        assertNotEquals(state, own, "the moved original's state is ahead of the copy's journal");
        try (Harness h = new Harness(config(copy, own))) {
            assertEquals(Commands.RESPONSE_DECISION,
                h.score(txn("p-12", T0 + 12_000L, "c-5", "k-3", "10.00", "")).type(), "p-12 is not in the copy's");
        }
        assertEquals(state, auto(dir.resolve("moved")), "the moved original keeps its own");
    }

    /** A reboot wipes the state in memory; an engine started by a tool makes it again and records its owner. */
    @Test
    void shouldRecordTheOwnerOfAStateMadeAgainAndRefuseACopyOfItAfter() throws Exception {
        final Path data = dir.resolve("data");
        final Path state = auto(data);
        score(data, state, 0, 10);
        deleteTree(state);
        score(data, null, 10, 12); // as ecap erase does: the data folder's default, the link followed
        assertEquals(data.toRealPath().toString(), Files.readString(state.resolve(StateOwner.FILE)).strip());
        final Path copy = dir.resolve("copy");
        copyTree(data, copy);
        assertThrows(IllegalStateException.class, () -> FeatureStore.openQuiet(copy.resolve("maps"), 1000, 10_000));
    }

    /** An erasure removes the state snapshots: copies of the state made before it, which still hold the entity. */
    @Test
    void shouldRemoveTheSnapshotsAtAnErasure() throws Exception {
        final Path data = dir.resolve("data");
        final Path state = auto(data);
        score(data, state, 0, 10);
        assertEquals(1, StateSnapshot.snapshots(data).size(), "a clean stop of a state in memory makes one");
        try (Harness h = new Harness(config(data, state))) {
            assertEquals(1, h.engine.erase(io.ecap.hotpath.state.Erasure.of(io.ecap.hotpath.state.EntityKind.CUSTOMER,
                "c-3", "customerId", "dpo", "ticket", T0)).get().records());
            assertEquals(List.of(), StateSnapshot.snapshots(data), "no copy of the state from before the erasure");
        }
        assertEquals(1, StateSnapshot.snapshots(data).size(), "the next clean stop makes a new one");
    }

    /** ecap state --move-to-disk: the same bytes on the data folder's disk, kept there; refused while in use. */
    @Test
    void shouldMoveAStateInMemoryToTheDiskByteForByteAndKeepItThere() throws Exception {
        final Path data = dir.resolve("data");
        final Path state = auto(data);
        score(data, state, 0, 20);
        try (Harness h = new Harness(config(data, state))) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateMove.toDisk(data));
            assertTrue(e.getMessage().contains("open: stop it"), e.getMessage());
        }
        final java.util.Map<String, String> before = contents(state);
        final StateMove.Moved moved = StateMove.toDisk(data);
        assertEquals(state, moved.from());
        final Path maps = data.resolve("maps");
        assertTrue(Files.isDirectory(maps) && !Files.isSymbolicLink(maps), "a real folder on the disk");
        assertFalse(Files.exists(state), "the folder in memory is removed");
        assertFalse(StateSnapshot.isInMemory(maps.toRealPath()));
        assertEquals(before, contents(maps), "every file moved unchanged");
        assertNull(auto(data), "kept on the disk");
        try (Harness h = new Harness(config(data, null))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
        }
        score(data, null, 20, 25);
        final IllegalStateException again = assertThrows(IllegalStateException.class, () -> StateMove.toDisk(data));
        assertTrue(again.getMessage().contains("on the data folder's disk already"), again.getMessage());
    }

    /** A move stopped once its copy was whole is completed by the next start; a partial copy is removed. */
    @Test
    void shouldCompleteAMoveStoppedAfterItsCopyAndDropAPartialOne() throws Exception {
        final Path data = dir.resolve("data");
        final Path state = auto(data);
        score(data, state, 0, 10);
        final Path moving = data.resolve(StateMove.MOVING);
        Files.createDirectories(moving);
        Files.writeString(moving.resolve("card.records"), "half");
        StatePlacement.resolve(StatePlacement.AUTO, data);
        assertFalse(Files.exists(moving), "a copy never marked complete is removed");
        assertTrue(Files.isSymbolicLink(data.resolve("maps")), "the state stays where it was");

        copyTree(state, moving);
        Files.deleteIfExists(moving.resolve(StateOwner.FILE));
        Files.createFile(moving.resolve(StateMove.COMPLETE));
        assertNull(StatePlacement.resolve(StatePlacement.AUTO, data), "the copy took the link's place");
        assertFalse(Files.isSymbolicLink(data.resolve("maps")));
        assertFalse(Files.exists(data.resolve("maps").resolve(StateMove.COMPLETE)));
        try (Harness h = new Harness(config(data, null))) {
            assertTrue(h.engine.startupReport().startsWith("state: clean restart"), h.engine.startupReport());
        }
    }

    /** Each state file's SHA-256, by name (the files are sparse and tens of megabytes long: read, not held). */
    private static java.util.Map<String, String> contents(final Path folder) throws Exception {
        final java.util.Map<String, String> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (final Path f : (Iterable<Path>) list::iterator) {
                final String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.equals("engine.lock") && !name.startsWith(StateOwner.FILE)) {
                    final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                    try (java.io.InputStream in = Files.newInputStream(f)) {
                        final byte[] block = new byte[1 << 16];
                        for (int n = in.read(block); n > 0; n = in.read(block)) {
                            sha.update(block, 0, n);
                        }
                    }
                    files.put(name, java.util.HexFormat.of().formatHex(sha.digest()));
                }
            }
        }
        return files;
    }

    private static void age(final Path folder, final long ms) throws Exception {
        final FileTime then = FileTime.fromMillis(System.currentTimeMillis() - ms);
        try (Stream<Path> files = Files.list(folder)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(f, then);
            }
        }
        Files.setLastModifiedTime(folder, then);
    }

    /** Copies a folder as cp -r does: links as links. */
    private static void copyTree(final Path from, final Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(final Path root) throws Exception {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
