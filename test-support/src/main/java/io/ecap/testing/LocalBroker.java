package io.ecap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka the tests use: the one named by the environment variable {@code ECAP_TEST_KAFKA} (host:port), or else a
 * real single-node KRaft broker ({@code ecap kafka}) in a child JVM with its own classpath (the kafka-broker module's:
 * Kafka 4 and Scala 2.13 never meet the service's classpath), on a free port, with its data in a temporary folder.
 */
public final class LocalBroker implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("KAFKA ready on (\\S+)");

    private final ChildJvm child;
    private final String bootstrapServers;

    private LocalBroker(final ChildJvm child, final String bootstrapServers) {
        this.child = child;
        this.bootstrapServers = bootstrapServers;
    }

    public static LocalBroker start(final Path dir) throws IOException, InterruptedException {
        final String configured = System.getenv("ECAP_TEST_KAFKA");
        if (configured != null && !configured.isBlank()) {
            return new LocalBroker(null, configured.trim());
        }
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
            List.of("--data", dir.toString(), "--port", "0"));
        final Matcher ready = child.await(READY, 120);
        return new LocalBroker(child, ready.group(1));
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
