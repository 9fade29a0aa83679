package io.ecap.ops.cli;

import io.ecap.gateway.router.RouterConfig;
import io.ecap.gateway.router.ShardRouter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the shard router until stopped (SIGTERM or Ctrl-C). */
@Command(name = "router", mixinStandardHelpOptions = true,
    description = "One address in front of several ECAP shards (each an 'ecap run' with engine.shard=I/N): payments "
        + "and user events go to the shard that owns their customer, batches are split and put back in order, "
        + "decisions are looked up on every shard, labels, rules, models, lists and the catalogue go to all. "
        + "docs/SHARDS.md")
public final class RouterCommand implements Callable<Integer> {
    @Option(names = "--shard", paramLabel = "URL", required = true,
        description = "a shard's gateway, http://HOST:PORT; once per shard, in shard order (the first is 0/N)")
    private List<String> shards;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: 127.0.0.1)")
    private String host;

    @Option(names = "--port", defaultValue = "8080", description = "port to listen on (default: 8080)")
    private int port;

    @Option(names = "--max-batch", defaultValue = "1000",
        description = "most transactions in one batch, as the shards' gateway.max-batch (default: 1000)")
    private int maxBatch;

    @Option(names = "--body-limit", defaultValue = "65536",
        description = "largest request body in bytes, as the shards' gateway.body-limit (default: 65536)")
    private int bodyLimit;

    @Option(names = "--timeout-ms", defaultValue = "10000",
        description = "how long a shard may take to answer before the router answers 504 (default: 10000)")
    private long timeoutMs;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final RouterConfig config;
        try {
            config = new RouterConfig(host, port, RouterConfig.urls(shards), maxBatch, bodyLimit, timeoutMs);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final String portProblem = PortCheck.problem(host, port);
        if (portProblem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port: " + portProblem.replace(
                " or gateway.port", ""));
        }
        final CountDownLatch stop = new CountDownLatch(1);
        for (final String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
        }
        final Vertx vertx = Vertx.vertx();
        try {
            final int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
            vertx.deployVerticle(() -> new ShardRouter(config), new DeploymentOptions().setInstances(loops))
                .await(30, TimeUnit.SECONDS);
            System.out.printf("ECAP router listening on %s:%d, in front of %d shards: %s%n", host, port,
                config.shards().size(), config.shards());
            stop.await();
            System.out.println("ECAP router stopped.");
            return 0;
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
