package io.ecap.stores;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecap stores}: a local PostgreSQL and Redis for the demo and for users without their own, until stopped. */
@Command(name = "ecap stores", mixinStandardHelpOptions = true,
    description = {
        "Run a PostgreSQL 14 and a Redis 6.2 on 127.0.0.1, each a process of its own, with their files under "
            + "<data>/stores (kept across restarts), for review cases, the console, published analytics and shared "
            + "lists. Stops both cleanly on SIGTERM or Ctrl-C.",
        "Point ECAP at them with the URLs the ready line prints: cases.database-url (ECAP_CASES_DATABASE_URL) and "
            + "lists.redis-url (ECAP_LISTS_REDIS_URL)."})
public final class StoresMain implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
        description = "data folder; the stores' files go to DIR/stores (default: ${DEFAULT-VALUE})")
    private Path data;

    @Option(names = "--postgres-port", defaultValue = "55432",
        description = "PostgreSQL's port, 0 for a free one (default: ${DEFAULT-VALUE})")
    private int postgresPort;

    @Option(names = "--redis-port", defaultValue = "56379",
        description = "Redis's port, 0 for a free one (default: ${DEFAULT-VALUE})")
    private int redisPort;

    public static void main(final String[] args) {
        final CommandLine cli = new CommandLine(new StoresMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ecap stores: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (final int port : new int[] {postgresPort, redisPort}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException((port == postgresPort ? "--postgres-port" : "--redis-port")
                    + ": expected 0 to 65535, found " + port);
            }
        }
        if (data.toString().isBlank()) {
            throw new IllegalArgumentException("--data: expected a folder, found an empty value");
        }
        final Path dir = data.resolve("stores");
        System.out.printf("Stores starting: PostgreSQL and Redis, files in %s%n", dir.toAbsolutePath());
        final LocalStores stores = LocalStores.start(dir, postgresPort, redisPort);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stores stopping...");
            try {
                stores.close();
                System.out.println("Stores stopped cleanly.");
            } catch (final java.io.IOException e) {
                System.out.println("Stores: stopping failed: " + e.getMessage());
            }
            stopped.countDown();
        }, "stores-shutdown"));
        System.out.printf("STORES ready postgres=%s redis=%s%n", stores.postgresUrl(), stores.redisUrl());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
