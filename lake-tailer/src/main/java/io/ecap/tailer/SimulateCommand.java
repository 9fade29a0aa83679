package io.ecap.tailer;

import io.ecap.hotpath.sim.SeedSchedule;
import io.ecap.hotpath.sim.Simulation;
import io.ecap.hotpath.state.CrashPoints;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ecap lake-tailer simulate}: the lake tailer's deterministic simulations, one seed after another. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run deterministic simulations of the lake tailer beside the engine: the engine's seeded "
        + "simulation (as 'ecap simulate'), and between its commands tailer processes that load the journal into "
        + "bronze in batches of seeded sizes and die at their crash points (Parquet files written and not committed, "
        + "between two tables' commits, before the mark is in place). Then a last tailer catches up and every bronze "
        + "table must hold each journal entry of its types exactly once. The same seed gives the same run. Exits 1 "
        + "if any check failed, naming the seed to run again.")
final class SimulateCommand implements Callable<Integer> {
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

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200000",
        description = "commands the engine is sent in each simulation (default: ${DEFAULT-VALUE})")
    private int steps;

    @Option(names = "--crash-rate", paramLabel = "P", defaultValue = "0.03",
        description = "chance that a tailer dies at a crash point it reaches (default: ${DEFAULT-VALUE}; 0: never)")
    private double crashRate;

    @Option(names = "--round-every", paramLabel = "N", defaultValue = "2000",
        description = "a tailer starts after one engine command in N, on average (default: ${DEFAULT-VALUE})")
    private int roundEvery;

    @Option(names = "--engine-crash-rate", paramLabel = "P", defaultValue = "0.00005",
        description = "the engine's crash rate, as 'ecap simulate --crash-rate' (default: ${DEFAULT-VALUE})")
    private double engineCrashRate;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "data/simulations/lake-tailer",
        description = "where each simulation's folder is made; a passing one is removed, a failing one kept "
            + "(default: ${DEFAULT-VALUE})")
    private Path work;

    @Override
    public Integer call() throws Exception {
        check();
        if (!CrashPoints.simulating()) {
            throw new IllegalStateException("start through ./ecap lake-tailer simulate (the JVM needs "
                + "-Decap.crash.at=simulation)");
        }
        final SeedSchedule schedule = new SeedSchedule(work, seed, seeds, minutes);
        int failed = 0;
        int crashes = 0;
        long commits = 0;
        while (schedule.hasNext()) {
            final long s = schedule.next();
            final Path folder = schedule.folder(s);
            final TailerSimulation.Result r = TailerSimulation.run(new TailerSimulation.Settings(
                new Simulation.Settings(s, steps, engineCrashRate, 0.00005, 2, 1_000, 4_096, true), crashRate,
                roundEvery), folder);
            crashes += r.crashCount();
            commits += r.commits();
            final Simulation.Result e = r.engine();
            System.out.printf("seed %d: %s, %,d engine commands (%,d engine crashes), %,d tailer runs, %,d tailer "
                + "crashes %s, %,d Delta commits, %,d rows in bronze, %,d orphan files, %.1f s%n", s,
                r.passed() ? "passed" : "FAILED", e.steps(), e.crashCount(), r.rounds(), r.crashCount(), r.crashes(),
                r.commits(), r.rows(), r.orphans(), r.elapsedNs() / 1e9);
            if (r.passed()) {
                Simulation.removeFolder(folder);
            } else {
                failed++;
                e.failures().forEach(f -> System.out.println("  engine: " + f));
                r.failures().forEach(f -> System.out.println("  " + f));
                System.out.printf("  the files are kept in %s; run it again: ./ecap lake-tailer simulate --seed %d "
                    + "--steps %d%n", folder.toAbsolutePath(), s, steps);
            }
        }
        System.out.printf("%d simulations, %,d tailer crashes, %,d Delta commits: %s%n", schedule.runs(), crashes,
            commits, failed == 0 ? "all passed" : failed + " FAILED");
        return failed == 0 ? 0 : 1;
    }

    private void check() {
        final String counts = SeedSchedule.problem(seed, steps, seeds, minutes);
        usage(counts == null, counts);
        usage(crashRate >= 0 && crashRate <= 1, "--crash-rate: expected 0 to 1, got " + crashRate);
        usage(roundEvery >= 1, "--round-every: expected 1 or more, got " + roundEvery);
        usage(engineCrashRate >= 0 && engineCrashRate <= 0.01, "--engine-crash-rate: expected 0 to 0.01, got "
            + engineCrashRate);
        final String folder = SeedSchedule.workProblem(work);
        usage(folder == null, folder);
    }

    private void usage(final boolean ok, final String problem) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }
}
