package io.ecap.ops.cli;

import io.ecap.gateway.GatewayConfig;
import io.ecap.gateway.cases.CaseOptions;
import io.ecap.gateway.lists.ListOptions;
import io.ecap.gateway.kafka.KafkaOptions;
import io.ecap.model.topic.Topics;
import io.ecap.ops.service.Logs;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the engine and the HTTP/WebSocket gateway until stopped (SIGTERM or Ctrl-C stop it cleanly). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the scoring service: engine and HTTP/WebSocket gateway. Settings come from "
        + "config/ecap.properties (or --config), environment variables (ECAP_GATEWAY_PORT...) and these options.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port to listen on (default: gateway.port, 8080)")
    private Integer port;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "0",
        description = "before opening the port, score generated payments for SECONDS in a throwaway service, so that "
            + "the first real ones meet compiled code (0: off, the default; 15 behind a load balancer, "
            + "docs/OPERATIONS.md)")
    private double warmUpSeconds;

    @Mixin
    private SettingsOptions settingsOptions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final Settings settings;
        try {
            settings = settingsOptions.load();
            if (port != null) {
                settings.set("gateway.port", Integer.toString(port));
            }
            settings.validate();
            if (settings.kafka() != null) {
                // here, not in validate: a name another machine's resolver knows (a compose service) is no error
                settings.kafka().checkResolvable();
            }
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (java.nio.file.Files.exists(settings.dataDir()) && !java.nio.file.Files.isDirectory(settings.dataDir())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data (data.dir): " + settings.dataDir()
                + " is a file, not a data folder");
        }
        if (!(warmUpSeconds >= 0 && warmUpSeconds <= 600)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warm-up: expected 0 to 600 seconds, found "
                + seconds(warmUpSeconds));
        }
        final GatewayConfig gateway = settings.gateway();
        final String portProblem = PortCheck.problem(gateway.host(), gateway.port());
        if (portProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "gateway.port: " + portProblem);
        }
        Logs.apply(settings.logFormat(), settings.logLevel());
        Logs.kafkaRecords(settings.logKafkaRecords());
        Logs.requests(settings.logRequests());
        // SIGTERM and Ctrl-C ask for a clean stop, from here on (the warm-up too); the command then ends normally,
        // with status 0 (the JVM's own handling would end it with 143 after the shutdown hooks, as if it had failed)
        final CountDownLatch stop = new CountDownLatch(1);
        for (final String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
        }
        if (warmUpSeconds > 0) {
            ReplayFolders.removeAbandoned(settings.dataDir(), System.out);
            WarmUp.run(settingsOptions::load, warmUpSeconds, stop, System.out);
            if (stop.getCount() == 0) {
                System.out.println("ECAP stopped during its warm-up: the service was not started.");
                return 0;
            }
        }
        System.out.printf("ECAP starting: data in %s%s, listening on %s%n", settings.dataDir().toAbsolutePath(),
            settings.shard().sharded() ? " (shard " + settings.shard() + ")" : "",
            gateway.port() == 0 ? gateway.host() + " (a free port, named when ready)" : gateway.host() + ":"
                + gateway.port());
        ReplayFolders.removeAbandoned(settings.dataDir(), System.out);
        final Service service = Service.start(settings, gateway);
        if (service.createdKey() != null) {
            System.out.printf("Created API key 'admin' with every scope. It is shown once and stored hashed in %s:%n"
                + "  %s%n", settings.keysFile(), service.createdKey());
        }
        System.out.println(service.engine().startupReport());
        final KafkaOptions kafka = settings.kafka();
        if (kafka != null) {
            System.out.printf("Kafka at %s (instance %s):%s%s%n", kafka.bootstrapServers(), kafka.instanceId(),
                kafka.bridge() ? " consuming " + String.join(", ", Topics.INPUTS) + " (group " + kafka.groupId() + ");"
                    : "",
                service.publisher() == null ? "" : " publishing decisions and fraud-alerts after journal index "
                    + Long.toHexString(service.publisher().publishedIndex()));
        }
        final CaseOptions cases = settings.cases();
        System.out.println(cases == null ? "Cases: off (cases.database-url is empty; docs/CASES.md)"
            : "Cases: opening a case for every " + cases.describeDecisions() + " in " + cases.redactedUrl());
        final ListOptions lists = settings.lists();
        System.out.println(lists == null ? "Lists: off (lists.redis-url is empty; docs/LISTS.md)"
            : "Lists: block and allow lists in " + lists.redactedUrl() + ", from stream id "
                + service.engine().lastListStreamId());
        System.out.printf("ECAP ready on %s://%s:%d  (API: /openapi.yaml, health: /health/ready, metrics: "
            + "/metrics)%n", gateway.tlsCert() == null ? "http" : "https", gateway.host(), service.port());
        System.out.flush();
        final Thread hook = new Thread(() -> close(service), "ecap-shutdown"); // any other way out still closes
        Runtime.getRuntime().addShutdownHook(hook);
        stop.await();
        Runtime.getRuntime().removeShutdownHook(hook);
        return close(service) ? 0 : 1;
    }

    /** Seconds as a person writes them: 15, 1.5. */
    static String seconds(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
            : Double.toString(value);
    }

    private static boolean close(final Service service) {
        System.out.println("ECAP stopping: finishing requests in flight, flushing the journal"
            + (service.engine().copiesStateAtStop() ? ", copying the state from memory to the data folder "
            + "(state-snapshot-*)..." : "..."));
        try {
            service.close();
            System.out.println("ECAP stopped cleanly.");
            return true;
        } catch (final Exception e) {
            System.err.println("ECAP stop failed: " + e.getMessage());
            return false;
        }
    }
}
