package io.ecap.ops.cli;

import io.ecap.ops.lake.JournalExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Stages new journal entries for the lake (the engine's half of journal → bronze). */
@Command(name = "export-lake", mixinStandardHelpOptions = true,
    description = "Copy the journal entries not yet exported into <lake>/_journal as JSON-lines files (features "
        + "included) for './ecap lake journal-to-bronze'. Runs beside a live engine (the journal is opened read-only)."
        + " Once by default; --follow keeps going.")
public final class ExportLakeCommand implements Callable<Integer> {
    @Mixin
    private DataOption data;

    @Option(names = "--lake", paramLabel = "DIR", description = "lake root (default: <data>/lake)")
    private Path lake;

    @Option(names = "--follow", description = "keep exporting new entries until stopped")
    private boolean follow;

    @Option(names = "--every-ms", defaultValue = "1000",
        description = "with --follow: how often to look for new entries (default: ${DEFAULT-VALUE})")
    private long everyMs;

    @Option(names = "--entries-per-file", defaultValue = "100000",
        description = "most entries in one staged file (default: ${DEFAULT-VALUE})")
    private int entriesPerFile;

    @Override
    public Integer call() throws Exception {
        if (everyMs < 10) {
            throw new IllegalArgumentException("--every-ms: expected at least 10, found " + everyMs);
        }
        final JournalExport export = new JournalExport(data.existingJournal(),
            lake != null ? lake : data.dir().resolve("lake"), entriesPerFile);
        do {
            final long staged = export.exportNew();
            if (staged > 0 || !follow) {
                System.out.printf("staged %,d journal entries in %s (exported up to index %x)%n", staged,
                    export.staging(), export.exported());
            }
            if (follow) {
                Thread.sleep(everyMs);
            }
        } while (follow);
        return 0;
    }
}
