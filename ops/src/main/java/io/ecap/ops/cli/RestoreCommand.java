package io.ecap.ops.cli;

import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.StateRebuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes a new data folder from a backup and brings its state level with the journal. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Make a new data folder from a backup of 'ecap backup': copy the journal, the keys and the state "
        + "(when the backup has it), check the journal against the backup's manifest, then bring the state level with "
        + "the journal (a replay of the entries the state lacks), so that 'ecap run --data DIR' is ready at once.")
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "BACKUP", description = "the backup folder")
    private Path from;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "a new or empty data folder")
    private Path data;

    @Override
    public Integer call() throws Exception {
        final Properties manifest = BackupFolder.readManifest(from);
        BackupFolder.requireNewFolder(data, "--data");
        final long start = System.nanoTime();
        for (final String part : BackupFolder.parts()) {
            if (Files.isDirectory(from.resolve(part))) {
                BackupFolder.copyFiles(from.resolve(part), data.resolve(part), "metadata.cq4t", null);
            }
        }
        final BackupFolder.JournalCheck check = BackupFolder.check(data.resolve("journal"));
        final long expected = Long.parseLong(manifest.getProperty("journal.last-index", "-1"));
        if (check.lastIndex() != expected
            || check.lastChecksum() != Long.parseLong(manifest.getProperty("journal.last-entry-crc32c", "-1"))) {
            System.out.printf("The restored journal ends at index %d, the backup's manifest names %d (or another last "
                + "entry): the backup is incomplete or damaged; %s is left as it is.%n", check.lastIndex(), expected,
                data.toAbsolutePath());
            return 1;
        }
        final long copied = System.nanoTime() - start;
        final StateRebuild.Result rebuilt = StateRebuild.run(EngineConfig.defaults(data));
        System.out.printf("Restored %,d journal entries through index %d into %s: copied in %.1f s, state %s in %.1f s "
            + "(%,d entries applied); %.1f s in all.%n", check.entries(), check.lastIndex(), data.toAbsolutePath(),
            copied / 1e9, "included".equals(manifest.getProperty("state")) ? "from the backup, brought level"
                : "rebuilt from the journal", rebuilt.elapsedNs() / 1e9, rebuilt.appliedEntries(),
            (System.nanoTime() - start) / 1e9);
        System.out.println("Start it with: ecap run --data " + data);
        return 0;
    }
}
