package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of a state in memory taken while the engine runs: each equals a replay of the journal up to its index, a
 * start after a power loss restores the newest and applies only the entries after it, and none outlives an erasure.
 */
class RunningSnapshotsTest {
    private static final long T0 = 1_795_500_000_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;
    private Path state;

    @BeforeEach
    void stateInMemory() throws IOException {
        final Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && StateSnapshot.isInMemory(shm), "needs a tmpfs at /dev/shm");
        state = Files.createTempDirectory(shm, "ecap-test-state");
    }

    @AfterEach
    void removeState() throws IOException {
        if (state != null) {
            deleteTree(state);
        }
    }

    private EngineConfig config(final long intervalMs) {
        return EngineConfig.defaults(dir.resolve("data")).withEntries(1000, 10_000).withStateDir(state)
            .withSnapshotInterval(intervalMs);
    }

    private Path data() {
        return dir.resolve("data");
    }

    private static void score(final Harness h, final int from, final int to) {
        for (int i = from; i < to; i++) {
            h.score(txn("s-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, (10 + i % 13) + ".00",
                "\"deviceId\":\"d-" + i % 5 + "\",\"ip\":\"10.0.0." + i % 11 + "\""));
        }
    }

    @Test
    void shouldTakeSnapshotsWhileRunningAndRestoreTheNewestAfterAPowerLoss() throws Exception {
        final Path kept = dir.resolve("kept");
        final long second;
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 50);
            h.label("s-3", "FRAUD");
            final long first = h.engine.snapshotNow();
            assertEquals(h.engine.store().meta().appliedThrough(), first, "everything the writer applied");
            assertSnapshots(first);
            assertEquals(-1, h.engine.snapshotNow(), "nothing new: no second copy");
            score(h, 50, 80);
            second = h.engine.snapshotNow();
            assertTrue(second > first);
            assertSnapshots(second); // the older one is removed
            assertEquals(second, h.engine.lastRunningSnapshot());
            assertEquals(0.0, h.engine.snapshotAgeSeconds(), "the copy holds everything applied");
            assertFalse(Files.exists(data().resolve(StateSnapshot.BUILDING)), "nothing left half built");
            score(h, 80, 100);
            final double age = h.engine.snapshotAgeSeconds();
            assertTrue(age >= 0 && age < 600, "entries since the copy: its age in seconds, " + age);
            copyTree(data().resolve(StateSnapshot.PREFIX + second), kept); // the stop's own snapshot never happens
        }
        for (final Path newer : StateSnapshot.snapshots(data())) {
            deleteTree(newer);
        }
        Files.move(kept, data().resolve(StateSnapshot.PREFIX + second));
        deleteTree(state); // the power loss empties the tmpfs
        try (Harness h = new Harness(config(HOUR))) {
            assertTrue(h.engine.startupReport().startsWith("state: restored from the snapshot"),
                h.engine.startupReport());
            assertEquals(20, h.engine.recoveredEntries(), "only the entries after the snapshot are applied");
        }
        assertEqualsReplay(data().resolve("maps"));
    }

    @Test
    void shouldTakeThemOnItsOwnEveryInterval() throws Exception {
        try (Harness h = new Harness(config(100))) {
            score(h, 0, 30);
            final long applied = h.engine.store().meta().appliedThrough();
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (h.engine.lastRunningSnapshot() < applied && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(applied, h.engine.lastRunningSnapshot(), "a snapshot of everything applied: "
                + h.engine.runningSnapshotFailure());
            assertSnapshots(applied);
        }
    }

    @Test
    void shouldKeepNoSnapshotOlderThanAnErasure() throws Exception {
        final long snapshot;
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 40);
            assertTrue(h.engine.snapshotNow() > 0);
            final long erasure = h.engine.erase(Erasure.of(EntityKind.CUSTOMER, "c-3", "id", "dpo-key", "ticket 1",
                T0)).get().journalIndex();
            assertEquals(List.of(), StateSnapshot.snapshots(data()), "the erasure removed the snapshot");
            assertTrue(Double.isNaN(h.engine.snapshotAgeSeconds()), "no copy left");
            snapshot = h.engine.snapshotNow();
            assertTrue(snapshot >= erasure, "the next one applies the erasure");
            assertSnapshots(snapshot);
        }
        // the stop took nothing new (nothing was applied after it): the snapshot is the whole journal's state
        assertSnapshots(snapshot);
        assertEqualsReplay(data().resolve(StateSnapshot.PREFIX + snapshot));
    }

    /**
     * A process that stops between an erasure and the removal of the snapshots (or in the middle of building one)
     * leaves them: the next start removes every snapshot older than the newest erasure, and the half-built folder.
     */
    @Test
    void shouldRemoveAtStartTheSnapshotsAnErasureLeftAndHalfBuiltOnes() throws Exception {
        final Path kept = dir.resolve("kept");
        final long older;
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 30);
            older = h.engine.snapshotNow();
            copyTree(data().resolve(StateSnapshot.PREFIX + older), kept);
            h.engine.erase(Erasure.of(EntityKind.CUSTOMER, "c-3", "id", "dpo-key", "", T0)).get();
            score(h, 30, 40);
        }
        final long stop = StateSnapshot.indexOf(StateSnapshot.snapshots(data()).get(0));
        Files.move(kept, data().resolve(StateSnapshot.PREFIX + older)); // as if the removal never happened
        Files.createDirectories(data().resolve(StateSnapshot.BUILDING).resolve("x"));
        try (Harness h = new Harness(config(HOUR))) {
            assertSnapshots(stop); // the stop's own, taken after the erasure, stays
            assertFalse(Files.exists(data().resolve(StateSnapshot.BUILDING)), "the half-built one is gone");
        }
    }

    /** A snapshot with a file cut short (damaged on the disk since) is not restored: the journal is replayed. */
    @Test
    void shouldNotRestoreASnapshotWithAFileCutShort() throws Exception {
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 30);
        }
        final Path snapshot = StateSnapshot.snapshots(data()).get(0);
        final Path records = snapshot.resolve("customer.records");
        final long length = Files.size(records);
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(records,
            java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(length / 2);
        }
        deleteTree(state);
        try (Harness h = new Harness(config(HOUR))) {
            final String report = h.engine.startupReport();
            assertTrue(report.startsWith("state: rebuilt from the journal"), report);
            assertTrue(report.contains("snapshots of the state left unused: " + snapshot.getFileName()
                + ": its file customer.records holds " + String.format("%,d bytes, not the %,d", length / 2, length)),
                report);
        }
        assertEqualsReplay(data().resolve("maps"));
    }

    /**
     * A snapshot whose content changed on the disk since it was taken (one byte of a record, the length the same) is
     * found out while restored: it is marked damaged and named, and the journal rebuilds the state; a backup's copy of
     * it is refused the same way.
     */
    @Test
    void shouldNotRestoreASnapshotWhoseContentChanged() throws Exception {
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 30);
        }
        final Path snapshot = StateSnapshot.snapshots(data()).get(0);
        flipAByteOfARecord(snapshot.resolve("customer.records"));
        assertEquals(List.of(), StateSnapshot.unusableNewerThan(data(), null, -1), "its length still matches");
        deleteTree(state);
        try (Harness h = new Harness(config(HOUR))) {
            final String report = h.engine.startupReport();
            assertTrue(report.startsWith("state: rebuilt from the journal"), report);
            assertTrue(report.contains("left unused: " + snapshot.getFileName() + ": its file customer.records does "
                + "not hold what it was taken with"), report);
        }
        assertEqualsReplay(data().resolve("maps"));
        // the clean stop took a new snapshot at the same index in its place, whole
        assertFalse(Files.exists(snapshot.resolve(StateSnapshot.DAMAGED)), "replaced by the stop's own");
        assertNotNull(StateSnapshot.copyNewest(data(), dir.resolve("copy")), "a backup takes the new one");

        flipAByteOfARecord(snapshot.resolve("card.records"));
        assertNull(StateSnapshot.copyNewest(data(), dir.resolve("copy2")), "nor does a backup take a damaged one");
        assertFalse(Files.exists(dir.resolve("copy2")), "and leaves nothing of it");
        assertTrue(StateSnapshot.unusableNewerThan(data(), null, -1).get(0).contains("card.records does not hold"));
    }

    /**
     * The next snapshot while running starts from a copy of the newest one: a newest one whose content changed on the
     * disk is refused and marked damaged, not built on, and the one after is built from the journal.
     */
    @Test
    void shouldNotBuildTheNextSnapshotOnADamagedOne() throws Exception {
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 30);
            final long first = h.engine.snapshotNow();
            final Path snapshot = data().resolve(StateSnapshot.PREFIX + first);
            flipAByteOfARecord(snapshot.resolve("customer.records"));
            score(h, 30, 40);
            final IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                h.engine::snapshotNow);
            assertTrue(refused.getMessage().contains("its file customer.records does not hold what it was taken "
                + "with"), refused.getMessage());
            assertTrue(Files.exists(snapshot.resolve(StateSnapshot.DAMAGED)), "marked");
            assertFalse(Files.exists(data().resolve(StateSnapshot.BUILDING)), "nothing left half built");
            final long second = h.engine.snapshotNow();
            assertEquals(h.engine.store().meta().appliedThrough(), second);
            assertSnapshots(second);
        }
        assertEqualsReplay(data().resolve(StateSnapshot.PREFIX + StateSnapshot.indexOf(
            StateSnapshot.snapshots(data()).get(0))));
    }

    private static void flipAByteOfARecord(final Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        int at = bytes.length - 1;
        while (bytes[at] == 0) {
            at--; // a byte that was written (blocks of zeros count as nothing in the digest)
        }
        bytes[at] ^= 0x10;
        Files.write(file, bytes);
    }

    /** A snapshot whose record of the journal entry it follows is not a number is named and not restored. */
    @Test
    void shouldNameASnapshotWhoseJournalEntryCannotBeRead() throws Exception {
        try (Harness h = new Harness(config(HOUR))) {
            score(h, 0, 30);
        }
        final Path snapshot = StateSnapshot.snapshots(data()).get(0);
        Files.writeString(snapshot.resolve(StateSnapshot.JOURNAL_ENTRY), "\u0000\u0000garbage");
        assertNull(StateSnapshot.copyNewest(data(), dir.resolve("copy")), "nothing usable to copy");
        assertEquals(List.of(snapshot.getFileName() + ": its JOURNAL-ENTRY file does not hold the checksum of a "
            + "journal entry"), StateSnapshot.unusableNewerThan(data(), null, -1));
        deleteTree(state);
        try (Harness h = new Harness(config(HOUR))) {
            final String report = h.engine.startupReport();
            assertTrue(report.startsWith("state: rebuilt from the journal"), report);
            assertTrue(report.contains("left unused: " + snapshot.getFileName() + ": its JOURNAL-ENTRY file"), report);
        }
        assertEqualsReplay(data().resolve("maps"));
    }

    @Test
    void shouldTakeNoneWithoutAStateInMemoryOrWithTheSettingOff() throws Exception {
        try (Harness h = new Harness(config(0))) {
            score(h, 0, 5);
            assertEquals(-1, h.engine.lastRunningSnapshot());
            assertTrue(Double.isNaN(h.engine.snapshotAgeSeconds()), "no copy: no age");
            final IllegalStateException off = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, h.engine::snapshotNow);
            assertTrue(off.getMessage().contains("engine.snapshot-minutes is 0"), off.getMessage());
        }
    }

    /** A disk without room for a copy of the state (and the free space kept) is not written to at all. */
    @Test
    void shouldNotBeginWithoutRoomForACopy() throws Exception {
        Files.createDirectories(data());
        Files.write(state.resolve("card.records"), new byte[4096]);
        final RunningSnapshots snapshots = new RunningSnapshots(config(HOUR).withMinFreeDisk(1L << 60), state, null,
            () -> 5, () -> 0, index -> -1);
        final IOException noRoom = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
            snapshots::takeOne);
        assertTrue(noRoom.getMessage().startsWith("not begun: the disk of ") && noRoom.getMessage().contains(
            "engine.min-free-disk-mb"), noRoom.getMessage());
        assertFalse(Files.exists(data().resolve(StateSnapshot.BUILDING)), "nothing written");
    }

    private void assertSnapshots(final long index) throws IOException {
        final List<Path> all = StateSnapshot.snapshots(data());
        assertEquals(List.of(data().resolve(StateSnapshot.PREFIX + index)), all);
        assertTrue(Files.exists(all.get(0).resolve(StateSnapshot.COMPLETE)), "complete");
    }

    /** The state in {@code maps} equals a replay of the whole journal into a new folder. */
    private void assertEqualsReplay(final Path maps) throws Exception {
        final Replay.Result replay = Replay.run(data().resolve("journal"), dir.resolve("replay"), 1000, 10_000,
            n -> { });
        assertTrue(replay.identical(), replay.examples().toString());
        try (FeatureStore a = FeatureStore.open(maps, 1000, 10_000);
             FeatureStore b = FeatureStore.open(dir.resolve("replay"), 1000, 10_000)) {
            assertEquals(List.of(), StateDiff.compare(a, b), "equal to a replay of the journal");
        }
    }

    private static void copyTree(final Path from, final Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
