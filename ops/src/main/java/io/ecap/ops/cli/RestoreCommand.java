package io.ecap.ops.cli;

import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.StateFolder;
import io.ecap.hotpath.engine.StatePlacement;
import io.ecap.hotpath.engine.StateRebuild;
import io.ecap.hotpath.state.EngineMeta;
import io.ecap.hotpath.state.StateOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes a new data folder from a backup and brings its state level with the journal. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Make a new data folder from a backup of 'ecap backup': copy the journal, the keys and the state "
        + "(when the backup has it), check them against the backup's manifest (entries, damaged entries, last entry, "
        + "the entry the state is level with), then bring the state level with the journal, so that "
        + "'ecap run --data DIR' is ready at once.")
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "BACKUP", description = "the backup folder")
    private Path from;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "a new or empty data folder")
    private Path data;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final BackupFolder.Manifest manifest = BackupFolder.Manifest.of(BackupFolder.readManifest(from));
        final String targetProblem = BackupFolder.notNewFolder(data, "--data");
        if (targetProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), targetProblem);
        }
        final long start = System.nanoTime();
        BackupFolder.copyFiles(from.resolve("journal"), data.resolve("journal"), "metadata.cq4t", null);
        if (Files.isDirectory(from.resolve("gateway"))) {
            BackupFolder.copyFiles(from.resolve("gateway"), data.resolve("gateway"), null, null);
        }
        // the state where a new data folder's goes (in memory when there is room; OPERATIONS.md)
        final Path stateDir = StatePlacement.resolve(StatePlacement.AUTO, data);
        final Path maps = StateFolder.prepare(data, stateDir);
        if (manifest.stateIncluded()) {
            BackupFolder.copyFiles(from.resolve("maps"), maps, null, StateOwner.FILE);
        }
        final String problem = verify(manifest);
        if (problem != null) {
            System.out.printf("The backup does not match its manifest: %s. It is incomplete or damaged; %s is left as "
                + "it is for a look.%n", problem, data.toAbsolutePath());
            return 1;
        }
        final long copied = System.nanoTime() - start;
        final StateRebuild.Result rebuilt = StateRebuild.run(EngineConfig.defaults(data).withStateDir(stateDir));
        System.out.printf("Restored %,d journal entries through index %d into %s: copied in %.1f s, state %s in %.1f s "
            + "(%,d entries applied); %.1f s in all.%n", manifest.entries(), manifest.lastIndex(),
            data.toAbsolutePath(), copied / 1e9, manifest.stateIncluded() ? "from the backup, brought level"
                : "rebuilt from the journal", rebuilt.elapsedNs() / 1e9, rebuilt.appliedEntries(),
            (System.nanoTime() - start) / 1e9);
        System.out.println("State: " + (stateDir == null ? maps.toAbsolutePath() + " (on the disk)"
            : stateDir + (StatePlacement.isInMemory(stateDir) ? " (in memory)" : "")));
        System.out.println("Start it with: ecap run --data " + data);
        return 0;
    }

    /** What of the copy differs from the manifest, or null. */
    private String verify(final BackupFolder.Manifest manifest) {
        final BackupFolder.JournalCheck check = BackupFolder.check(data.resolve("journal"));
        if (check.entries() != manifest.entries() || check.damaged() != manifest.damaged()) {
            return String.format("the journal reads as %,d entries and %,d damaged, the manifest says %,d and %,d",
                check.entries(), check.damaged(), manifest.entries(), manifest.damaged());
        }
        if (check.lastIndex() != manifest.lastIndex()) {
            return "the journal ends at index " + check.lastIndex() + ", the manifest says " + manifest.lastIndex();
        }
        if (check.lastChecksum() != manifest.lastCrc()) {
            return "the journal's last entry (index " + check.lastIndex() + ") has the CRC32C " + check.lastChecksum()
                + ", the manifest says " + manifest.lastCrc();
        }
        if (manifest.stateIncluded()) {
            final long applied;
            try (EngineMeta meta = EngineMeta.open(data.resolve("maps").toFile())) {
                applied = meta.appliedThrough();
            } catch (final RuntimeException e) {
                return "the state cannot be read (" + e.getMessage() + ")";
            }
            if (applied != manifest.stateAppliedThrough()
                || BackupFolder.entryChecksum(data.resolve("journal"), applied) != manifest.stateEntryCrc()) {
                return "the state is level with journal index " + applied + ", not with the manifest's entry "
                    + manifest.stateAppliedThrough() + " of this journal";
            }
        }
        return null;
    }
}
