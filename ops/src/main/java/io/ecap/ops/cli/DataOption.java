package io.ecap.ops.cli;

import io.ecap.hotpath.journal.JournalSwap;
import io.ecap.hotpath.state.StateOwner;
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

    /**
     * The data folder's state ({@code data/maps}), refused with a usage error when it is a copy's link to another data
     * folder's state ({@link StateOwner}): a tool must not read or write the original's state through a copy.
     */
    Path state() {
        final Path maps = data.resolve("maps");
        try {
            io.ecap.hotpath.engine.StateMove.completeInterrupted(data);
            StateOwner.checkNotACopy(maps);
        } catch (final IllegalStateException e) {
            throw usage(e.getMessage());
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading " + maps, e);
        }
        return maps;
    }

    /** The usage error for a data folder whose state is missing, saying why when it was kept in memory. */
    CommandLine.ParameterException noState(final Path maps, final String more) {
        if (Files.isSymbolicLink(maps) && !Files.exists(maps)) {
            String target;
            try {
                target = maps.resolveSibling(Files.readSymbolicLink(maps)).toString();
            } catch (final java.io.IOException e) {
                target = "its state folder";
            }
            return usage("no engine state in " + maps.toAbsolutePath() + ": it was kept in memory, in " + target
                + ", which is gone (the machine restarted, or it was removed); the next start of the engine on this "
                + "folder (ecap run, or ecap score of a file) brings it back from the snapshot of its last clean stop "
                + "or rebuilds it from the journal" + more);
        }
        return usage("no engine state in " + maps.toAbsolutePath() + more);
    }

    /** A usage error of the command (exit 2, with where to look): a data folder without what the command needs. */
    CommandLine.ParameterException usage(final String message) {
        return usageOf("--data: " + message);
    }

    /** A usage error of the command (exit status 2) that is not about {@code --data}. */
    CommandLine.ParameterException usageOf(final String message) {
        return new CommandLine.ParameterException(command.commandLine(), message);
    }
}
