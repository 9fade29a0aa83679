package io.ecap.flinkbench;

import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The reference "plain Apache Flink job" to compare with {@code ./ecap score}: one file source of the JSON lines
 * {@code ./ecap generate} writes, Jackson parsing (malformed lines skipped and counted), keyed by card then by
 * customer with 60 s and 1 h windows, an amount z-score and an impossible-travel speed in keyed state
 * ({@link KeyFeatures}), a decision per transaction ({@link CustomerDecision}) counted, not printed
 * ({@link DecisionCounter}). Local execution environment (an in-process MiniCluster), streaming mode, Flink's default
 * heap state backend, no checkpoints, no journal, nothing persisted.
 *
 * <p>Usage: {@code FlinkReferenceJob FILE [--parallelism N]} (1 by default). Run it with {@code benchmarks/run flink}.
 */
public final class FlinkReferenceJob {
    private FlinkReferenceJob() {
    }

    public static void main(final String[] args) throws Exception {
        String file = null;
        int parallelism = 1;
        for (int i = 0; i < args.length; i++) {
            if ("--parallelism".equals(args[i]) && i + 1 < args.length) {
                parallelism = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("--parallelism=")) {
                parallelism = Integer.parseInt(args[i].substring("--parallelism=".length()));
            } else if (file == null && !args[i].startsWith("-")) {
                file = args[i];
            } else {
                usage("unknown argument " + args[i]);
            }
        }
        if (file == null) {
            usage("no file");
        }
        if (parallelism < 1) {
            usage("--parallelism must be at least 1");
        }
        if (!Files.isReadable(Paths.get(file))) {
            usage("cannot read " + file);
        }
        final String absolute = Paths.get(file).toAbsolutePath().toString();

        final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
            new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.getConfig().disableGenericTypes(); // every record type is a Flink POJO: no Kryo fallback

        final FileSource<String> source = FileSource
            .forRecordStreamFormat(new TextLineInputFormat(), new Path(absolute)).build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ecap-jsonl")
            .flatMap(new TxnParser()).name("parse")
            .keyBy(t -> t.cardId)
            .process(new CardFeatures()).name("card-features")
            .keyBy(t -> t.customerId)
            .process(new CustomerDecision()).name("customer-features-and-decision")
            .flatMap(new DecisionCounter()).name("count-decisions")
            .sinkTo(new DiscardingSink<>()).name("discard");

        final long start = System.nanoTime();
        final JobExecutionResult result = env.execute("ecap-flink-reference");
        final double seconds = (System.nanoTime() - start) / 1e9;

        final long lines = counter(result, TxnParser.LINES);
        final long malformed = counter(result, TxnParser.MALFORMED);
        final long[] outcomes = new long[Decision.NAMES.length];
        long decisions = 0;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = counter(result, Decision.NAMES[i]);
            decisions += outcomes[i];
        }
        System.out.printf("Flink %s, local execution environment, parallelism %d, heap state, no checkpoints%n",
            EnvironmentInformation.getVersion(), parallelism);
        System.out.printf("file: %s%n", absolute);
        System.out.printf("lines read: %,d%n", lines);
        System.out.printf("malformed (skipped): %,d%n", malformed);
        System.out.printf("decisions: %,d (APPROVE %,d, REVIEW %,d, DECLINE %,d)%n", decisions,
            outcomes[Decision.APPROVE], outcomes[Decision.REVIEW], outcomes[Decision.DECLINE]);
        System.out.printf("job: %.2f s in env.execute (MiniCluster start and stop included), %,.0f lines/s%n",
            seconds, lines / seconds);
        final double net = result.getNetRuntime() / 1e3;
        System.out.printf("job net runtime (Flink's, submission to end): %.2f s, %,.0f lines/s%n", net, lines / net);
    }

    private static long counter(final JobExecutionResult result, final String name) {
        final Object value = result.getAccumulatorResult(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static void usage(final String problem) {
        System.err.println("flink reference job: " + problem);
        System.err.println("usage: FlinkReferenceJob FILE [--parallelism N]");
        System.exit(2);
    }
}
