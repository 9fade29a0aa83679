package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.state.FolderLock;
import io.ecap.model.binary.MessageHeader;
import io.ecap.ops.cli.BackupFolder;
import io.ecap.testing.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap backup} and {@code ecap restore}: online copies hold a consistent prefix; restores replay exactly. */
class BackupRestoreTest {
    @TempDir
    Path dir;

    @Test
    void backupWhileTheJournalGrowsHoldsAConsistentPrefix() throws Exception {
        final Path data = dir.resolve("data");
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong appended = new AtomicLong();
        Files.createDirectories(data.resolve("journal"));
        try (Journal journal = Journal.open(data.resolve("journal").toFile())) {
            for (int i = 0; i < 2_000; i++) {
                append(journal, i);
            }
            appended.set(2_000);
            final Thread writer = new Thread(() -> {
                journal.handOverToCurrentThread();
                for (int i = 2_000; running.get() && i < 2_000_000; i++) {
                    append(journal, i);
                    appended.incrementAndGet();
                }
            });
            writer.start();
            final int status;
            try {
                status = Ecap.run("backup", "--data", data.toString(), "--to", dir.resolve("b").toString());
            } finally {
                running.set(false);
                writer.join();
            }
            assertEquals(0, status);
        }
        long copied = 0;
        try (Journal source = Journal.openReadOnly(data.resolve("journal").toFile());
             JournalReader original = source.reader();
             Journal copy = Journal.openReadOnly(dir.resolve("b/journal").toFile());
             JournalReader backup = copy.reader()) {
            while (backup.next()) {
                assertTrue(original.read(backup.index()), "the source has entry " + backup.index());
                assertArrayEquals(bytes(original), bytes(backup), "entry " + backup.index());
                copied++;
            }
            assertEquals(0, backup.damaged(), "no torn entry in the copy");
        }
        assertTrue(copied >= 2_000 && copied < appended.get(), "the journal grew while it was copied: " + copied
            + " of " + appended.get());
        assertTrue(Files.readString(dir.resolve("b/ECAP-BACKUP")).contains("journal.entries=" + copied));
    }

    @Test
    void restoreOfABackupReplaysExactlyWithOrWithoutTheState() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, Ecap.run("score", "--sample", "3000", "--data", data.toString()));
        assertEquals(0, Ecap.run("backup", "--data", data.toString(), "--to", dir.resolve("idle").toString()));
        assertTrue(Files.readString(dir.resolve("idle/ECAP-BACKUP")).contains("state=included"));
        try (FolderLock engineRunning = FolderLock.acquire(data.resolve("maps"))) {
            assertEquals(0, Ecap.run("backup", "--data", data.toString(), "--to", dir.resolve("busy").toString()));
        }
        assertTrue(Files.readString(dir.resolve("busy/ECAP-BACKUP")).contains("state=not included"));
        for (final String backup : new String[] {"idle", "busy"}) {
            final Path restored = dir.resolve("restored-" + backup);
            final String out = capture(() -> Ecap.run("restore", "--from", dir.resolve(backup).toString(), "--data",
                restored.toString()));
            assertTrue(out.startsWith("0\n"), out);
            assertTrue(out.contains(backup.equals("idle") ? "(0 entries applied)" : "rebuilt from the journal"), out);
            final String replay = capture(() -> Ecap.run("replay", "--data", restored.toString()));
            assertTrue(replay.startsWith("0\n") && replay.contains("Every decision is reproduced exactly.")
                && replay.contains("The engine's state equals the rebuilt state."), replay);
        }
    }

    /**
     * While an engine runs on the state, a backup takes the newest snapshot of it from the data folder (a state at a
     * journal index), and a restore starts from it and applies the journal after it.
     */
    @Test
    void backupWhileAnEngineRunsTakesItsNewestSnapshot() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, Ecap.run("score", "--sample", "2000", "--data", data.toString()));
        final long snapshot;
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data), Throwable::printStackTrace)) {
            assumeTrue(engine.copiesStateAtStop(), "needs the state in memory (a tmpfs at /dev/shm)");
            snapshot = engine.snapshotNow();
            assertTrue(snapshot > 0, "a snapshot of the state while the engine runs");
            engine.loadConfig(EntryType.SHADOW_RULE_SET, "ruleset strict version 1\nthresholds review 1 decline 2\n"
                + "rule ANY weight 10\n    when txn.amount_usd > 0\n", "test", 0).get();
            final String out = capture(() -> Ecap.run("backup", "--data", data.toString(), "--to",
                dir.resolve("live").toString()));
            assertTrue(out.startsWith("0\n") && out.contains("The state snapshot of journal index " + snapshot
                + " was copied too"), out);
            // a snapshot damaged since: the backup leaves the state out and names the snapshot and why
            final Path entry = data.resolve("state-snapshot-" + snapshot).resolve("JOURNAL-ENTRY");
            final String digest = Files.readString(entry);
            Files.writeString(entry, "x");
            final String damaged = capture(() -> Ecap.run("backup", "--data", data.toString(), "--to",
                dir.resolve("live-damaged").toString()));
            assertTrue(damaged.startsWith("0\n") && damaged.contains("The state was not copied (an engine is running "
                + "on it, and no snapshot of it in the data folder can be used (state-snapshot-" + snapshot
                + ": its JOURNAL-ENTRY file does not hold"), damaged);
            Files.writeString(entry, digest);
        }
        final String manifest = Files.readString(dir.resolve("live/ECAP-BACKUP"));
        assertTrue(manifest.contains("state=included") && manifest.contains("state.applied-through=" + snapshot),
            manifest);
        final Path restored = dir.resolve("restored-live");
        final String out = capture(() -> Ecap.run("restore", "--from", dir.resolve("live").toString(), "--data",
            restored.toString()));
        assertTrue(out.startsWith("0\n") && out.contains("from the backup, brought level")
            && out.contains("(1 entries applied)"), out);
        try (var files = Files.list(restored)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("state-snapshot-")),
                "the restored state in memory has its copy in the data folder: a reboot does not rebuild it");
        }
        final String replay = capture(() -> Ecap.run("replay", "--data", restored.toString()));
        assertTrue(replay.startsWith("0\n") && replay.contains("Every decision is reproduced exactly.")
            && replay.contains("The engine's state equals the rebuilt state."), replay);
        // a reboot takes the state in memory: a replay says it did not compare one, rather than nothing
        final Path inMemory = restored.resolve("maps").toRealPath();
        try (var files = Files.walk(inMemory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        final String unchecked = capture(() -> Ecap.run("replay", "--data", restored.toString()));
        assertTrue(unchecked.startsWith("0\n") && unchecked.contains("The engine's state was not compared"),
            unchecked);
    }

    @Test
    void restoreRefusesABackupThatDoesNotMatchItsManifest() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, Ecap.run("score", "--sample", "2000", "--data", data.toString()));
        assertEquals(0, Ecap.run("backup", "--data", data.toString(), "--to", dir.resolve("b").toString()));
        final Path manifest = dir.resolve("b/ECAP-BACKUP");
        final String original = Files.readString(manifest);

        Files.writeString(manifest, original.replaceAll("journal.last-entry-crc32c=\\d+",
            "journal.last-entry-crc32c=7"));
        assertEquals(1, restore("b", "r1"), "another last entry");
        Files.writeString(manifest, original.replaceAll("journal.last-index=\\d+", "journal.last-index=abc"));
        assertEquals(1, restore("b", "r2"), "a manifest that is not readable");
        Files.write(manifest, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0x00});
        assertEquals(1, restore("b", "r2"), "a manifest that is not text");
        assertEquals(1, restore("missing", "r2"), "a backup folder that does not exist");
        assertTrue(!Files.exists(dir.resolve("r2")), "refused before anything is copied");
        Files.writeString(manifest, original);

        // one byte of a transaction in the middle of the journal flipped: that entry fails its checksum
        final Path daily;
        try (var files = Files.list(dir.resolve("b/journal"))) {
            daily = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(daily);
        final int at = Bytes.indexOf(bytes, "t-42n1000".getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0, "the 1000th transaction's id is in the file");
        bytes[at + 5] ^= 1;
        Files.write(daily, bytes);
        assertEquals(1, restore("b", "r3"), "a damaged entry the manifest does not know of");

        // a state from elsewhere in a backup that names its own
        assertEquals(0, Ecap.run("score", "--sample", "300", "--data", dir.resolve("other").toString()));
        assertEquals(0, Ecap.run("backup", "--data", data.toString(), "--to", dir.resolve("b2").toString()));
        BackupFolder.removeContents(dir.resolve("b2/maps"));
        BackupFolder.copyFiles(dir.resolve("other/maps"), dir.resolve("b2/maps"), null, "engine.lock");
        assertEquals(1, restore("b2", "r4"), "a state level with another journal");

        assertEquals(1, Ecap.run("restore", "--from", data.toString(), "--data", dir.resolve("r5").toString()),
            "a data folder is not a backup");
        assertEquals(2, Ecap.run("backup", "--data", data.toString(), "--to", dir.resolve("b").toString()),
            "a backup never writes into a folder that holds something: a usage error");
        assertEquals(2, Ecap.run("backup", "--data", data.toString(), "--to", manifest.toString()),
            "nor into a file");
        assertEquals(2, Ecap.run("backup", "--data", data.toString(), "--to", data.resolve("bk").toString()),
            "nor into the data folder itself");
    }

    private int restore(final String backup, final String into) {
        return Ecap.run("restore", "--from", dir.resolve(backup).toString(), "--data", dir.resolve(into).toString());
    }


    /** An entry of type user event with {@code i}-dependent bytes of varying length (only its checksum is read). */
    private static void append(final Journal journal, final int i) {
        final SplittableRandom random = new SplittableRandom(i);
        final byte[] entry = new byte[MessageHeader.LENGTH + 8 + random.nextInt(1_500)];
        random.nextBytes(entry);
        final UnsafeBuffer buffer = new UnsafeBuffer(entry);
        buffer.putShort(MessageHeader.TYPE_ID_OFFSET, (short) EntryType.USER_EVENT, MessageHeader.ORDER);
        buffer.putShort(MessageHeader.VERSION_OFFSET, (short) 1, MessageHeader.ORDER);
        buffer.putInt(MessageHeader.LENGTH_OFFSET, entry.length, MessageHeader.ORDER);
        journal.append(buffer, 0, entry.length);
    }

    private static byte[] bytes(final JournalReader reader) {
        final byte[] copy = new byte[reader.length()];
        reader.buffer().getBytes(0, copy);
        return copy;
    }

    private interface Run {
        int run() throws Exception;
    }

    /** The exit status on the first line, then what the command printed. */
    private static String capture(final Run command) throws Exception {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream out = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int status;
        try {
            status = command.run();
        } finally {
            System.setOut(out);
        }
        return status + "\n" + captured.toString(StandardCharsets.UTF_8);
    }
}
