package io.ecap.ops.cli;

import io.ecap.ops.generate.GeneratedTransaction;
import io.ecap.ops.generate.WorkloadGenerator;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a deterministic stream of realistic payments, with fraud scenarios and their ground truth kept apart. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write generated e-commerce payments as JSON lines, with labelled fraud scenarios mixed in. "
        + "The ground truth goes to a separate file, never into what is scored.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "100000", description = "payments to write (default: ${DEFAULT-VALUE})")
    private long count;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE",
        description = "where to write the payments; '-' is standard output (default)")
    private String out;

    @Option(names = "--truth", paramLabel = "FILE", description = "where to write the ground truth of fraud")
    private Path truth;

    @Option(names = "--seed", defaultValue = "42", description = "the same seed gives the same stream (default: 42)")
    private long seed;

    @Option(names = "--fraud-rate", defaultValue = "0.004",
        description = "chance that a payment starts a fraud scenario (default: ${DEFAULT-VALUE})")
    private double fraudRate;

    @Option(names = "--customers", defaultValue = "100000", description = "customers (default: ${DEFAULT-VALUE})")
    private int customers;

    @Option(names = "--per-hour", defaultValue = "10000",
        description = "payments per hour of event time, before the daily rhythm (default: ${DEFAULT-VALUE})")
    private double perHour;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || fraudRate < 0 || fraudRate > 0.5 || customers < 10 || perHour <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, --fraud-rate "
                + "from 0 to 0.5, --customers at least 10 and --per-hour positive");
        }
        final WorkloadGenerator.Settings defaults = WorkloadGenerator.Settings.defaults(seed);
        final WorkloadGenerator generator = new WorkloadGenerator(new WorkloadGenerator.Settings(seed, customers,
            defaults.merchants(), defaults.startMs(), perHour, fraudRate));
        final Progress progress = new Progress(System.err);
        long fraud = 0;
        try (Writer payments = out.equals("-")
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
            : Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8);
             Writer truthOut = truth == null ? Writer.nullWriter() : Files.newBufferedWriter(truth,
                 StandardCharsets.UTF_8)) {
            for (long i = 0; i < count; i++) {
                final GeneratedTransaction t = generator.next();
                payments.write(t.json());
                payments.write('\n');
                if (t.isFraud()) {
                    fraud++;
                    truthOut.write("{\"txnId\":\"" + t.txnId() + "\",\"scenario\":\"" + t.scenario() + "\"}\n");
                }
                final long done = i + 1;
                progress.update(() -> String.format("generated %,d", done));
            }
        }
        progress.done();
        System.err.printf("generated %,d payments, %,d of them fraudulent%n", count, fraud);
        return 0;
    }
}
