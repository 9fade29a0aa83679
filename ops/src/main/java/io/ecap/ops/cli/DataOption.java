package io.ecap.ops.cli;

import io.ecap.hotpath.journal.JournalSwap;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The data folder option shared by the commands that use the engine's files. */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", converter = Folder.class,
        description = "data folder: journal, maps, reports (default: ${DEFAULT-VALUE})")
    Path data;

    /** The command this option belongs to, for its usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** A folder that may not exist yet; an existing file that is not a folder is a usage error. */
    static final class Folder implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(final String value) {
            final Path path = Path.of(value);
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new CommandLine.TypeConversionException(value + " is a file, not a data folder");
            }
            return path;
        }
    }

    Path dir() {
        return data;
    }

    /** The data folder, which must hold a journal. */
    Path existingJournal() {
        final Path journal = data.resolve("journal");
        try {
            if (JournalSwap.finishInterrupted(journal)) {
                System.err.println("completed the swap of the journal rewritten by ecap redact-journal (it had stopped "
                    + "half-way)");
            }
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException("completing the swap of the rewritten journal in " + journal, e);
        }
        if (!Files.isDirectory(journal)) {
            throw usage("no journal in " + data.toAbsolutePath() + " (run 'ecap score' first, or give --data)");
        }
        return journal;
    }

    /** A usage error of the command (exit 2, with where to look): a data folder without what the command needs. */
    CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(command.commandLine(), "--data: " + message);
    }
}
