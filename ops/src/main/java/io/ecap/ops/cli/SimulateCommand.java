package io.ecap.ops.cli;

import io.ecap.hotpath.sim.SeedSchedule;
import io.ecap.hotpath.sim.Simulation;
import io.ecap.hotpath.state.CrashPoints;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs deterministic simulations of the engine's process, one seed after another (docs/RELIABILITY.md). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run deterministic simulations of the engine: a seeded workload with crashes at every step of the "
        + "write path, failed journal writes and power losses, then check that no acknowledged decision is lost, "
        + "changed or journaled twice and that a replay reproduces every entry and the state. The same seed gives "
        + "the same run. Exits 1 if any check failed, naming the seed to run again.")
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", paramLabel = "N", description = "the first seed (default: from the clock, printed)")
    private Long seed;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
        description = "seeds to run, one after another: the first, the first + 1, ... (default: ${DEFAULT-VALUE})")
    private int seeds;

    @Option(names = "--minutes", paramLabel = "M",
        description = "run seeds one after another until M minutes have passed (the long profile; replaces --seeds)")
    private Double minutes;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000000",
        description = "commands each simulation sends (default: ${DEFAULT-VALUE})")
    private int steps;

    @Option(names = "--crash-rate", paramLabel = "P", defaultValue = "0.00005",
        description = "chance that the process dies at a crash point it reaches (rare steps more often), and between "
            + "two commands (default: ${DEFAULT-VALUE}; 0: no crash)")
    private double crashRate;

    @Option(names = "--journal-failure-rate", paramLabel = "P", defaultValue = "0.00005",
        description = "chance that a journal write fails with an I/O error (default: ${DEFAULT-VALUE})")
    private double journalFailureRate;

    @Option(names = "--power-losses", paramLabel = "N", defaultValue = "2",
        description = "machine stops at N evenly spaced commands of each simulation, the state rebuilt from the "
            + "journal; besides these, a crash while an entry is being written is a machine stop one time in three "
            + "(the entry may be torn), unless N is 0 (default: ${DEFAULT-VALUE})")
    private int powerLosses;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "data/simulations",
        description = "where each simulation's folder is made; a passing one is removed, a failing one kept "
            + "(default: ${DEFAULT-VALUE})")
    private Path work;

    @Override
    public Integer call() throws Exception {
        check();
        if (!CrashPoints.simulating()) {
            throw new IllegalStateException("start through ./ecap simulate (the JVM needs -Decap.crash.at=simulation)");
        }
        final SeedSchedule schedule = new SeedSchedule(work, seed, seeds, minutes);
        int failed = 0;
        int crashes = 0;
        long commands = 0;
        while (schedule.hasNext()) {
            final long s = schedule.next();
            final Path folder = schedule.folder(s);
            final Simulation.Result r = Simulation.run(new Simulation.Settings(s, steps, crashRate,
                journalFailureRate, powerLosses, 1_000, 4_096, true), folder);
            crashes += r.crashCount();
            commands += r.steps();
            System.out.printf("seed %d: %s, %,d commands (%,d payments), %,d crashes %s, %d power losses (%d torn "
                + "entries, %d journal ends repaired), %,d failed journal writes, %,d repeats and %,d conflicts "
                + "checked, %,d journal entries, %.1f s%n", s, r.passed() ? "passed" : "FAILED", r.steps(),
                r.transactions(), r.crashCount(), r.crashes(), r.powerLosses(), r.tornEntries(), r.repairedEnds(),
                r.journalFailures(), r.repeatsChecked(),
                r.conflictsChecked(), r.journalEntries(), r.elapsedNs() / 1e9);
            if (r.passed()) {
                Simulation.removeFolder(folder);
            } else {
                failed++;
                r.failures().forEach(f -> System.out.println("  " + f));
                System.out.printf("  the files are kept in %s; run it again: ./ecap simulate --seed %d --steps %d%n",
                    folder.toAbsolutePath(), s, steps);
            }
        }
        System.out.printf("%d simulations, %,d commands, %,d crashes: %s%n", schedule.runs(), commands, crashes,
            failed == 0 ? "all passed" : failed + " FAILED");
        return failed == 0 ? 0 : 1;
    }

    private void check() {
        final String counts = SeedSchedule.problem(seed, steps, seeds, minutes);
        usage(counts == null, counts);
        usage(crashRate >= 0 && crashRate <= 0.01, "--crash-rate: expected 0 to 0.01, got " + crashRate);
        usage(journalFailureRate >= 0 && journalFailureRate <= 0.01,
            "--journal-failure-rate: expected 0 to 0.01, got " + journalFailureRate);
        usage(powerLosses >= 0 && powerLosses <= Math.min(1_000, steps), "--power-losses: expected 0 to "
            + Math.min(1_000, steps) + " (at most one a command, and 1000), got " + powerLosses);
        final String folder = SeedSchedule.workProblem(work);
        usage(folder == null, folder);
    }

    private void usage(final boolean ok, final String problem) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }
}
