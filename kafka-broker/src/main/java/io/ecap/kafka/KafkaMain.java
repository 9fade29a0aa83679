package io.ecap.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecap kafka}: a local Kafka for users and demos without a cluster, until SIGTERM or Ctrl-C. */
@Command(name = "ecap kafka", mixinStandardHelpOptions = true,
    description = {
        "Run a single-node Kafka (KRaft, broker and controller in one process) on 127.0.0.1 with its data under "
            + "<data>/kafka, and create ECAP's topics when they are absent. Stops cleanly on SIGTERM or Ctrl-C.",
        "Point ECAP at it with kafka.bootstrap-servers=127.0.0.1:<port> (ECAP_KAFKA_BOOTSTRAP_SERVERS)."})
public final class KafkaMain implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
        description = "data folder; Kafka's files go to DIR/kafka (default: ${DEFAULT-VALUE})")
    private Path data;

    @Option(names = "--port", defaultValue = "9092", description = "client port, 0 for a free one (default: 9092)")
    private int port;

    @Option(names = "--controller-port", defaultValue = "0",
        description = "the KRaft controller's port (default: a free one)")
    private int controllerPort;

    public static void main(final String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; returns its exit status (2: a bad option, 1: the broker failed). */
    static int run(final String... args) {
        final CommandLine cli = new CommandLine(new KafkaMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ecap kafka: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof IllegalArgumentException ? 2 : 1; // a bad option: the caller has to change it
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        for (final int[] option : new int[][] {{port, 0}, {controllerPort, 1}}) {
            if (option[0] < 0 || option[0] > 65_535) {
                throw new IllegalArgumentException((option[1] == 0 ? "--port" : "--controller-port")
                    + ": expected 0 (a free port) to 65535, found " + option[0]);
            }
        }
        final Path dir = data.resolve("kafka");
        System.out.printf("Kafka starting: data in %s%n", dir.toAbsolutePath());
        final LocalKafka kafka = LocalKafka.start(dir, port, controllerPort);
        final List<String> created = kafka.createTopics();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Kafka stopping...");
            kafka.close();
            System.out.println("Kafka stopped cleanly.");
            stopped.countDown();
        }, "kafka-shutdown"));
        System.out.printf("KAFKA ready on %s%s%n", kafka.bootstrapServers(),
            created.isEmpty() ? "" : " (created topics " + String.join(", ", created) + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
