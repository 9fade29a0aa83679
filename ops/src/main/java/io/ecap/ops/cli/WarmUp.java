package io.ecap.ops.cli;

import io.ecap.ops.drive.Driver;
import io.ecap.ops.drive.Tally;
import io.ecap.ops.drive.Target;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Warms the JVM up before the service opens its port: a throwaway service (engine and gateway, the same rules and
 * model) in a folder of its own inside the data folder, on a free loopback port, scores generated payments sent over
 * HTTP for a while, then is closed and deleted. The JIT compiles per method, not per instance, so the real service
 * that starts next runs the parsing, scoring and answering code already compiled, instead of compiling it under its
 * first real traffic (a cold service at 10,000 requests a second answered in seconds for its first 10-17 s,
 * docs/PERFORMANCE.md). Nothing of the warm-up reaches the real journal or state.
 */
final class WarmUp {
    /** Requests in flight during the warm-up: enough to keep the writer busy, not more. */
    private static final int CONNECTIONS = 16;

    private WarmUp() {
    }

    /**
     * Runs the warm-up for {@code seconds} in a folder {@code <data>/warm-up-*} that is deleted after (one left by a
     * killed run is removed by the next start, {@link ReplayFolders#removeAbandoned}); {@code settings} loads a fresh
     * copy of the real service's settings, which are not changed. Ends early, within a second, once {@code stop}
     * is counted down. Returns the payments scored.
     */
    static long run(final Callable<Settings> settings, final double seconds, final CountDownLatch stop,
        final PrintStream out) throws Exception {
        final Settings throwaway = settings.call();
        final Path folder = ReplayFolders.createWarmUp(throwaway.dataDir());
        try {
            throwaway.set("data.dir", folder.toString())
                .set("engine.state-dir", "")
                .set("gateway.host", "127.0.0.1")
                .set("gateway.port", "0")
                .set("gateway.rate-per-second", "10000000")
                .set("gateway.keys-file", folder.resolve("keys").toString())
                .set("gateway.tls.cert", "")
                .set("gateway.tls.key", "")
                .set("kafka.bootstrap-servers", "")
                .set("cases.database-url", "")
                .set("lists.redis-url", "")
                .validate();
            out.printf("ECAP warming up for %s s: scoring generated payments in a throwaway service (%s)...%n",
                RunCommand.seconds(seconds), folder);
            out.flush();
            final long started = System.nanoTime();
            final Tally tally = new Tally(true);
            try (Service service = Service.start(throwaway, throwaway.gateway())) {
                final Target target = Target.parse("http://127.0.0.1:" + service.port(), service.createdKey(), false);
                final Traffic traffic = new Traffic(Traffic.Settings.defaults(WorkloadGenerator.Settings.defaults(7))
                    .withKinds(EnumSet.of(GeneratedEvent.Kind.TRANSACTION)));
                try (Driver driver = new Driver(target, new Driver.Plan(0, CONNECTIONS, false, CONNECTIONS, 1),
                    tally)) {
                    if (stop.getCount() > 0) {
                        driver.run(traffic::next, seconds, () -> {
                            if (stop.getCount() == 0) {
                                driver.stop();
                            }
                        });
                    }
                }
            }
            final long scored = tally.sent(GeneratedEvent.Kind.TRANSACTION, true);
            out.printf("ECAP %s: %,d payments scored in %.1f s%n", stop.getCount() == 0 ? "warm-up stopped"
                : "warmed up", scored, (System.nanoTime() - started) / 1e9);
            return scored;
        } finally {
            ReplayFolders.delete(folder);
        }
    }
}
