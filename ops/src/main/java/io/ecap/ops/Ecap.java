package io.ecap.ops;

import io.ecap.ops.chaos.ChaosCommand;
import io.ecap.ops.cli.BacktestCommand;
import io.ecap.ops.cli.BackupCommand;
import io.ecap.ops.cli.DemoCommand;
import io.ecap.ops.cli.EraseCommand;
import io.ecap.ops.cli.ExportLakeCommand;
import io.ecap.ops.cli.FeaturesCommand;
import io.ecap.ops.cli.GenerateCommand;
import io.ecap.ops.cli.JournalCommand;
import io.ecap.ops.cli.KeysCommand;
import io.ecap.ops.cli.LoadCommand;
import io.ecap.ops.cli.RedactJournalCommand;
import io.ecap.ops.cli.ReplayCommand;
import io.ecap.ops.cli.RestoreCommand;
import io.ecap.ops.cli.RouterCommand;
import io.ecap.ops.cli.RunCommand;
import io.ecap.ops.cli.ScoreCommand;
import io.ecap.ops.cli.SimulateCommand;
import io.ecap.ops.cli.StateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ecap} command line. */
@Command(name = "ecap", mixinStandardHelpOptions = true, version = "ecap 0.1.0",
    description = "ECAP: real-time fraud scoring for e-commerce payments.",
    footer = {"", "Also, each in a JVM of its own:",
        "  ecap kafka [--data DIR] [--port N]   a local Kafka broker (docs/KAFKA.md)",
        "  ecap stores [--data DIR]             a local PostgreSQL and Redis (docs/CONSOLE.md)",
        "  ecap lake-tailer [--data DIR]        the journal into the bronze Delta tables (docs/LAKE.md)",
        "  ecap lake JOB [options]              the lake's Spark jobs (docs/LAKE.md)"},
    subcommands = {DemoCommand.class, RunCommand.class, ScoreCommand.class, GenerateCommand.class, LoadCommand.class,
        ReplayCommand.class, BacktestCommand.class, JournalCommand.class, ExportLakeCommand.class, StateCommand.class,
        FeaturesCommand.class, KeysCommand.class, BackupCommand.class, RestoreCommand.class, ChaosCommand.class,
        SimulateCommand.class, RouterCommand.class, EraseCommand.class, RedactJournalCommand.class})
public final class Ecap implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        int code;
        try {
            code = run(args);
        } catch (final RuntimeException | Error t) {
            // an Error (a class gone from a jar replaced under the JVM, memory): the command's other threads (a
            // service's event loops) must not keep the process alive after its main thread is gone
            System.err.println("ecap: stopped by an internal error: " + t);
            t.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad arguments. */
    public static int run(final String... args) {
        final CommandLine cli = new CommandLine(new Ecap());
        // every subcommand's --version says the same as ecap's (picocli gives a subcommand an empty one)
        for (final CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().version(cli.getCommandSpec().version());
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ecap " + commandLine.getCommandName() + ": " + describe(e));
            if (Boolean.getBoolean("ecap.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        // a usage error (a bad option, setting or argument): what is wrong, then where to look; exit 2
        cli.setParameterExceptionHandler((e, arguments) -> {
            final CommandLine command = e.getCommandLine();
            final java.io.PrintWriter err = command.getErr();
            final String name = command.getCommandSpec().qualifiedName(" ");
            err.println(name + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + name + " --help' for the options.");
            err.flush();
            return 2;
        });
        return cli.execute(args);
    }

    /** An exception as one line for a user: a file problem as "path: what is wrong", else its message. */
    public static String describe(final Exception e) {
        if (e instanceof java.nio.file.FileSystemException fs) {
            return fileProblem(fs);
        }
        if (e.getCause() instanceof java.nio.file.FileSystemException fs) {
            return fileProblem(fs);
        }
        final String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** A file system error as "path: what is wrong" (Java's own message is often the path alone). */
    private static String fileProblem(final java.nio.file.FileSystemException e) {
        final String what = e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
            : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
            : e instanceof java.nio.file.NotDirectoryException ? "not a folder"
            : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
            : e instanceof java.nio.file.DirectoryNotEmptyException ? "a folder that is not empty"
            : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        return (e.getFile() != null ? e.getFile() : "") + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "")
            + ": " + what;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
