package io.ecap.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data folder option shared by the commands that use the engine's files. */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
        description = "data folder: journal, maps, reports (default: ${DEFAULT-VALUE})")
    Path data;

    Path dir() {
        return data;
    }

    /** The data folder, which must hold a journal. */
    Path existingJournal() {
        final Path journal = data.resolve("journal");
        if (!Files.isDirectory(journal)) {
            throw new IllegalArgumentException("no journal in " + data.toAbsolutePath()
                + " (run 'ecap score' first, or give --data)");
        }
        return journal;
    }
}
