package io.ecap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kafka the tests use: the one named by the environment variable {@code ECAP_TEST_KAFKA} (host:port), or else a
 * real single-node KRaft broker ({@code ecap kafka}) in a child JVM with its own classpath (the kafka-broker module's:
 * Kafka 4 and Scala 2.13 never meet the service's classpath), on a free port, with its data in a temporary folder.
 */
public final class LocalBroker implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("KAFKA ready on (\\S+)");

    private ChildJvm child;
    private final String bootstrapServers;
    private final Path dir;
    private final int controllerPort;

    private LocalBroker(final ChildJvm child, final String bootstrapServers, final Path dir,
        final int controllerPort) {
        this.child = child;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.controllerPort = controllerPort;
    }

    public static LocalBroker start(final Path dir) throws IOException, InterruptedException {
        final String configured = System.getenv("ECAP_TEST_KAFKA");
        if (configured != null && !configured.isBlank()) {
            return new LocalBroker(null, configured.trim(), null, 0);
        }
        final Started ready = child(dir, 0, 0);
        return new LocalBroker(ready.child, ready.bootstrap, dir, 0);
    }

    /**
     * A broker of its own even when {@code ECAP_TEST_KAFKA} names one (a test that stops and restarts it), on fixed
     * ports so that it comes back at the same address.
     */
    public static LocalBroker startOwn(final Path dir) throws IOException, InterruptedException {
        final int port;
        final int controllerPort;
        try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b =
            new java.net.ServerSocket(0)) {
            port = a.getLocalPort();
            controllerPort = b.getLocalPort();
        }
        final Started ready = child(dir, port, controllerPort);
        return new LocalBroker(ready.child, ready.bootstrap, dir, controllerPort);
    }

    /** Kills the broker (SIGKILL, as a crash or a lost machine would), leaving its data folder as it is. */
    public void kill() throws InterruptedException {
        child.kill();
    }

    /** Starts the broker again on its data folder and address, after {@link #kill}; its topics and records stay. */
    public void restart() throws IOException, InterruptedException {
        final String[] hostPort = bootstrapServers.split(":");
        child = child(dir, Integer.parseInt(hostPort[1]), controllerPort).child;
    }

    private record Started(ChildJvm child, String bootstrap) {
    }

    private static Started child(final Path dir, final int port, final int controllerPort)
        throws IOException, InterruptedException {
        final Path module = Path.of(System.getProperty("ecap.root"), "kafka-broker", "target");
        final Path classpathFile = module.resolve("classpath.txt");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build the kafka-broker module first "
                + "(mvn -B verify builds it before this one)");
        }
        final String classPath = module.resolve("classes") + java.io.File.pathSeparator
            + Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        Files.createDirectories(dir);
        final ChildJvm child = ChildJvm.start(dir, classPath, List.of("-Xmx512m"), "io.ecap.kafka.KafkaMain",
            List.of("--data", dir.toString(), "--port", Integer.toString(port), "--controller-port",
                Integer.toString(controllerPort)));
        return new Started(child, child.await(READY, 120).group(1));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws InterruptedException {
        if (child != null) {
            child.terminate();
        }
    }
}
