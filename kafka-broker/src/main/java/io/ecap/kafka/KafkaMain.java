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
        final CommandLine cli = new CommandLine(new KafkaMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ecap kafka: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535 || controllerPort < 0 || controllerPort > 65_535) {
            throw new IllegalArgumentException("--port and --controller-port: expected 0 to 65535");
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
