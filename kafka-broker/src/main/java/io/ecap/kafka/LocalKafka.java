package io.ecap.kafka;

import io.ecap.model.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka (one process is broker and controller) on loopback, with its data in one folder. The
 * folder is formatted on first use and reused after: topics and records survive a restart. {@link #createTopics}
 * makes ECAP's topics that are absent.
 */
public final class LocalKafka implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final int port;

    private LocalKafka(final KafkaRaftServer server, final int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a broker with its data under {@code dir}, listening on {@code port} (0: a free one) and its controller on
     * {@code controllerPort} (0: a free one).
     */
    public static LocalKafka start(final Path dir, final int port, final int controllerPort) throws Exception {
        final int brokerPort = port == 0 ? freePort() : port;
        final int quorumPort = controllerPort == 0 ? freePort() : controllerPort;
        final Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        final Properties props = new Properties();
        props.putAll(Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@" + HOST + ":" + quorumPort),
            Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":"
                + quorumPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logs.toAbsolutePath().toString()),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("num.partitions", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))));
        final KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Files.exists(logs.resolve("meta.properties"))) {
            new Formatter().setPrintStream(new PrintStream(PrintStream.nullOutputStream())).setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString()).setDirectories(List.of(logs.toAbsolutePath().toString()))
                .setMetadataLogDirectory(logs.toAbsolutePath().toString())
                .setReleaseVersion(MetadataVersion.latestProduction()).setControllerListenerName("CONTROLLER")
                .setIgnoreFormatted(true).run();
        }
        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new LocalKafka(server, brokerPort);
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** Creates ECAP's topics that do not exist yet; returns the names it created. */
    public List<String> createTopics() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            final Set<String> existing = admin.listTopics().names().get();
            final List<NewTopic> missing = new ArrayList<>();
            for (final Topics.Topic t : Topics.all()) {
                if (!existing.contains(t.name())) {
                    missing.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.settings()));
                }
            }
            admin.createTopics(missing).all().get();
            return missing.stream().map(NewTopic::name).collect(Collectors.toList());
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
