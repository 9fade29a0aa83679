package io.ecap.ops.cli;

import io.ecap.hotpath.engine.BackupRegister;
import io.ecap.hotpath.engine.StateSnapshot;
import io.ecap.hotpath.state.EngineMeta;
import io.ecap.hotpath.state.FolderLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** An online backup of a data folder: the journal up to a consistent entry, the keys, and the state when idle. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Copy a data folder to a new backup folder, also while 'ecap run' is using it: the journal up to "
        + "its last complete entry (every entry's checksum checked in the copy), the API keys, and the state: the "
        + "state itself when no engine holds it, else the newest snapshot of it in the data folder (if there is none, "
        + "'ecap restore' rebuilds the state from the journal). Copies stay sparse.")
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    private DataOption data;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "a new or empty folder for the backup")
    private Path to;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final Path journal = data.existingJournal();
        io.ecap.hotpath.journal.TornTail.checkHeaders(journal.toFile()); // a file without its header: refused, named
        final Path maps = data.state(); // a copy's link to another folder's state is refused before anything is copied
        try (Stream<Path> files = Files.list(journal)) {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data: " + journal.toAbsolutePath()
                    + " holds no journal file (*.cq4)");
            }
        }
        final Path source = data.dir().toAbsolutePath().normalize();
        if (to.toAbsolutePath().normalize().startsWith(source)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to " + to.toAbsolutePath() + " is inside "
                + "the data folder " + source + ": a backup goes elsewhere (it would hold a copy of itself, and be "
                + "lost with the folder)");
        }
        final String targetProblem = BackupFolder.notNewFolder(to, "--to");
        if (targetProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), targetProblem);
        }
        try {
            return backup(journal, maps);
        } catch (final Exception | Error e) {
            BackupFolder.removeContents(to); // a failed backup leaves nothing that looks like one
            throw e;
        }
    }

    private int backup(final Path journal, final Path maps) throws Exception {
        final long start = System.nanoTime();
        long stateBytes = -1;
        long appliedThrough = 0;
        String stateSource = null;
        long snapshotDigest = 0;
        final boolean stateThere = Files.isRegularFile(maps.resolve("engine.meta"));
        final FolderLock idle = stateThere ? lockIfIdle(maps) : null;
        String notCopied = stateThere ? "an engine is running on it, and the data folder has no complete snapshot of it"
            : "the data folder has no state (its folder in memory is gone, or it never had one) and no snapshot of it";
        if (idle != null) {
            try (idle) {
                stateBytes = BackupFolder.copyFiles(maps, to.resolve("maps"), null, "engine.lock");
            }
            stateSource = "the state";
        } else {
            // an engine runs on the state: its newest snapshot in the data folder is a state at a journal index, which
            // the journal copied next holds (engine.snapshot-minutes)
            final StateSnapshot.Copy copy = StateSnapshot.copyNewest(data.dir(), to.resolve("maps"));
            if (copy != null) {
                stateBytes = copy.bytes();
                snapshotDigest = copy.entryDigest();
                stateSource = "the state snapshot of journal index " + copy.journalIndex();
            }
            final List<String> unusable = StateSnapshot.unusableNewerThan(data.dir(), null,
                copy == null ? -1 : copy.journalIndex());
            if (!unusable.isEmpty()) {
                final String names = String.join("; ", unusable);
                if (copy == null) {
                    notCopied = "an engine is running on it, and no snapshot of it in the data folder can be used ("
                        + names + ")";
                } else {
                    stateSource += " (newer snapshots left out: " + names + ")";
                }
            }
        }
        if (stateBytes >= 0) {
            try (EngineMeta meta = EngineMeta.open(to.resolve("maps").toFile())) {
                appliedThrough = meta.appliedThrough();
            }
        }
        // the table store first: the daily files copied after it hold at least what it names
        final long journalBytes = BackupFolder.copyFiles(journal, to.resolve("journal"), "metadata.cq4t", null);
        final Path gateway = data.dir().resolve("gateway");
        if (Files.isDirectory(gateway)) {
            BackupFolder.copyFiles(gateway, to.resolve("gateway"), null, null);
        }
        if (snapshotDigest != 0
            && BackupFolder.entryChecksum(to.resolve("journal"), appliedThrough) != snapshotDigest) {
            // a snapshot of another journal (replaced by a rewrite since): not a state of this one
            BackupFolder.removeContents(to.resolve("maps"));
            Files.delete(to.resolve("maps"));
            stateBytes = -1;
            appliedThrough = 0;
            notCopied = "its newest snapshot in the data folder is of another journal (one rewritten since)";
        }
        final BackupFolder.JournalCheck check = BackupFolder.check(to.resolve("journal"));
        final BackupFolder.Manifest manifest = new BackupFolder.Manifest(check.entries(), check.damaged(),
            check.lastIndex(), check.lastChecksum(), stateBytes >= 0, appliedThrough,
            stateBytes >= 0 ? BackupFolder.entryChecksum(to.resolve("journal"), appliedThrough) : 0);
        final Properties properties = manifest.toProperties();
        final Instant created = Instant.now();
        properties.setProperty("created", created.toString());
        properties.setProperty("source", data.dir().toAbsolutePath().toString());
        BackupFolder.writeManifest(to, properties);
        try {
            BackupRegister.add(data.dir(), to, created); // an erasure names the backups that still hold what it erased
        } catch (final java.io.IOException e) {
            System.err.println("ecap backup: the backup is whole, but could not be added to " + data.dir().resolve(
                BackupRegister.FILE) + " (" + e.getMessage() + "): an erasure will not name it");
        }
        System.out.printf("Backed up %s in %.1f s: %,d journal entries through index %d (0x%x), every checksum "
            + "checked%s; %.1f MB of journal files (sparse)%n", data.dir().toAbsolutePath(),
            (System.nanoTime() - start) / 1e9, check.entries(), check.lastIndex(), check.lastIndex(),
            check.damaged() == 0 ? "" : String.format(" (%,d damaged entries skipped, as the engine skips them)",
                check.damaged()), journalBytes / 1e6);
        System.out.println(stateBytes >= 0
            ? String.format("%s was copied too (%.1f MB of files, sparse): a restore starts from it and applies the "
                + "journal after journal index %d.", Character.toUpperCase(stateSource.charAt(0))
                + stateSource.substring(1), stateBytes / 1e6, appliedThrough)
            : "The state was not copied (" + notCopied + "): a restore rebuilds it from the journal.");
        System.out.println("Restore with: ecap restore --from " + to + " --data NEW-FOLDER");
        return 0;
    }

    /** The state folder's lock, or null while an engine runs on it (its files change as they are read). */
    private static FolderLock lockIfIdle(final Path maps) throws java.io.IOException {
        try {
            return FolderLock.acquire(maps);
        } catch (final IllegalStateException inUse) {
            return null;
        }
    }
}
