package io.ecap.ops.cli;

import io.ecap.ops.drive.Driver;
import io.ecap.ops.drive.Tally;
import io.ecap.ops.drive.Target;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.GeneratedRates;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.report.LatencyReport;
import io.ecap.ops.service.Service;
import io.ecap.ops.service.Settings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The first thing to run: starts the service (engine and gateway) in this process, feeds it months of generated
 * history (the older part straight into the engine, the last part live through its HTTP API at a set rate), and
 * explains what happened.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start ECAP (engine and HTTP gateway) with embedded defaults and feed it generated e-commerce history (210 "
            + "days by default, ending at today's midnight UTC: customers who arrive, repeat, slow down and leave, "
            + "payments with labelled fraud, clickstream, catalog updates, chargebacks). The older part goes straight "
            + "into the engine as fast as it takes it; the last part is sent live over HTTP at --rate for --warmup "
            + "plus --seconds, with live progress. It ends with a summary: requests sent of each kind against the "
            + "rate asked for, decisions per outcome, fraud caught per scenario, precision and recall against the "
            + "ground truth (kept in <data>/truth.jsonl), latency, and where the journal and the reports are.",
        "Each demo starts from an empty data folder (a previous demo's folder is replaced). Ctrl-C ends it early, "
            + "with the summary.",
        "Then the lake stage (when started as ./ecap demo): the demo's journal is exported and every lake job runs "
            + "on it (Spark local[*] in a JVM of its own, about two minutes; its warnings and errors in "
            + "<data>/lake.log): bronze, silver and gold tables, RFM segments, CLV, churn, funnels, attribution, "
            + "data quality, and one page with their charts, <data>/report.html. --no-lake stops after the demo's "
            + "summary.",
        "Beside it (when started as ./ecap demo) a local PostgreSQL and Redis (ecap stores, files in <data>-stores): "
            + "REVIEW decisions open review cases, lists are shared through Redis, the lake's results are published "
            + "for the console's customer view. --no-stores runs without them."})
public final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".ecap-demo";

    @Option(names = "--seconds", defaultValue = "30",
        description = "how long to send at the full rate, after the warm-up (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--warmup", defaultValue = "10",
        description = "seconds of rising rate first, while the JIT compiles (default: ${DEFAULT-VALUE})")
    private double warmup;

    @Option(names = "--rate", defaultValue = "3000",
        description = "HTTP requests a second, all kinds together (default: ${DEFAULT-VALUE})")
    private double rate;

    @Option(names = "--kinds", defaultValue = "all",
        description = "what to send: transactions,events,products,labels or all (default: ${DEFAULT-VALUE})")
    private String kinds;

    @Option(names = "--connections", defaultValue = "8", description = "HTTP connections (default: ${DEFAULT-VALUE})")
    private int connections;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/demo",
        description = "the demo's data folder, emptied first (default: ${DEFAULT-VALUE})")
    private Path data;

    /** Read by the ./ecap launcher, which runs the lake stage after this command; here it only has to be allowed. */
    @Option(names = "--no-lake", description = "stop after the demo's summary: no lake stage (see above)")
    private boolean noLake;

    /** Read by the ./ecap launcher, which starts the demo's PostgreSQL and Redis; here it only has to be allowed. */
    @Option(names = "--no-stores", description = "no PostgreSQL and Redis: no review cases, shared lists or "
        + "published analytics (see above)")
    private boolean noStores;

    @Option(names = "--cases-database-url", paramLabel = "URL", description = "open review cases in this PostgreSQL "
        + "(./ecap demo passes the one it starts)")
    private String casesDatabaseUrl;

    @Option(names = "--lists-redis-url", paramLabel = "URL", description = "keep block and allow lists in this Redis "
        + "(./ecap demo passes the one it starts)")
    private String listsRedisUrl;

    /** The key the demo's service made, shown in the summary (the console logs in with it). */
    private String apiKey;

    @Mixin
    private TrafficOptions traffic;

    /** Days of history unless --days says otherwise. */
    static final int DEFAULT_DAYS = 210;

    private volatile boolean stopping;

    @Spec
    private CommandSpec spec;

    /** A usage error (exit 2) when {@code wrong}, before anything is created. */
    private void usage(final boolean wrong, final String message) {
        if (wrong) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Override
    public Integer call() throws Exception {
        usage(!(seconds > 0), "--seconds: expected a positive number, found " + seconds);
        usage(!(rate > 0), "--rate: expected a positive number of requests a second, found " + rate);
        usage(!(warmup >= 0), "--warmup: expected 0 or more seconds, found " + warmup);
        usage(connections < 1, "--connections: expected at least 1, found " + connections);
        final Traffic.Settings trafficSettings;
        try {
            trafficSettings = traffic.settings(TrafficOptions.kinds(kinds), 42, DEFAULT_DAYS);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final long liveRequests = Math.round(rate * (warmup / 2 + seconds));
        prepare(data);
        final Settings settings = Settings.load(null, Map.of()).set("data.dir", data.toString());
        if (casesDatabaseUrl != null) {
            settings.set("cases.database-url", casesDatabaseUrl);
        }
        if (listsRedisUrl != null) {
            settings.set("lists.redis-url", listsRedisUrl);
        }
        final CountDownLatch finished = new CountDownLatch(1);
        try (Service service = Service.start(settings, settings.gateway().withPort(0)
            .withRate((int) Math.max(20_000, rate * 2)))) {
            apiKey = service.createdKey();
            final Target target = new Target("127.0.0.1", service.port(), false, false, apiKey);
            final Tally tally = new Tally(true);
            try (Driver driver = new Driver(target, new Driver.Plan(rate, connections, false,
                (int) Math.max(10_000, rate * 2), 1), tally)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stopping = true;
                    driver.stop();
                    await(finished);
                }, "ecap-demo-stop"));
                banner(target, trafficSettings, liveRequests);
                final DemoHistory history = new DemoHistory(new Traffic(trafficSettings), liveRequests, System.out);
                GeneratedRates.write(data.resolve("rates.csv"), LocalDate.ofInstant(Instant.ofEpochMilli(
                    trafficSettings.payments().startMs()), ZoneOffset.UTC));
                history.backfill(service.engine().newClient(), data.resolve("truth.jsonl"), () -> stopping);
                history.summary();
                System.out.printf("%nLive: the last %,d events, from %s on, over HTTP: first %.0f s rising to %,.0f "
                    + "requests a second while the JIT warms up, then %.0f s at that rate.%n%n",
                    history.liveLeft(), DemoHistory.day(history.firstLiveMs()), warmup, rate, seconds);
                final LiveProgress progress = new LiveProgress(System.out, tally, driver);
                final long startNs = System.nanoTime();
                Driver.End end = stopping ? Driver.End.STOPPED : warmup > 0
                    ? driver.warmUp(history::nextLive, warmup, progress) : null;
                tally.resetLatency();
                if (end == null || end == Driver.End.TIME) {
                    System.out.printf("-- warm-up done; measuring latency from here --%n");
                    end = driver.run(history::nextLive, seconds, progress);
                }
                summary(tally, (System.nanoTime() - startNs) / 1e9, end, history);
            }
        } finally {
            finished.countDown();
        }
        return 0;
    }

    private void banner(final Target target, final Traffic.Settings traffic, final long liveRequests) {
        final var payments = traffic.payments();
        final double days = (traffic.endMs() - payments.startMs()) / 86_400_000.0;
        System.out.printf("ECAP demo: serving on %s, data in %s%n", target, data.toAbsolutePath());
        System.out.printf("Generated history (seed %d): %.0f days of event time, %s to the end of %s; %,d customers "
            + "buying at a time, who arrive, repeat, slow down and leave; about %s payments an hour before the day's, "
            + "week's and year's rhythm, %.1f%% of them starting a fraud scenario; clickstream sessions (about one in "
            + "eighteen buys), catalog updates, chargebacks.%n", payments.seed(), days,
            DemoHistory.day(payments.startMs()), DemoHistory.day(traffic.endMs() - 1), payments.customers(),
            BigDecimal.valueOf(payments.eventsPerHour()).stripTrailingZeros().toPlainString(),
            100 * payments.fraudRate());
        System.out.printf("All but the last %,d events go straight into the engine, as fast as it takes them; those "
            + "are then sent live over HTTP at %,.0f requests a second (Ctrl-C ends early, with the summary).%n%n",
            liveRequests, rate);
    }

    private void summary(final Tally tally, final double elapsed, final Driver.End end, final DemoHistory history)
        throws IOException {
        final long sent = tally.sentTotal();
        System.out.printf("%nLive: sent %,d requests in %.1f s, %,.0f a second on average (asked for %,.0f a second "
            + "after a %.0f-s warm-up rising to it): %,d payments, %,d clickstream events, %,d catalog updates, %,d "
            + "labels.%n", sent, elapsed, sent / Math.max(elapsed, 1e-9), rate, warmup,
            tally.sent(Kind.TRANSACTION, false), tally.sent(Kind.USER_EVENT, false),
            tally.sent(Kind.PRODUCT_UPDATE, false), tally.sent(Kind.LABEL, false));
        tally.print(System.out, elapsed);
        if (end == Driver.End.FELL_BEHIND) {
            System.out.printf("%nThe demo stopped early: the service fell more than %,.0f requests behind. This "
                + "machine cannot sustain --rate %,.0f; try a lower one.%n", Math.max(10_000, rate * 2), rate);
        } else if (end == Driver.End.SOURCE_ENDED) {
            System.out.printf("%nThe live part ended early: the generated history ends at today's midnight UTC and "
                + "ran out after %,d requests (more --days or --per-hour give it more).%n", sent);
        }
        if (history.failed() > 0 || history.liveLeft() > 0) {
            System.out.printf("%nNot sent: %,d events of the history were refused or invalid (listed above), %,d "
                + "kept for the live part were not sent.%n", history.failed(), history.liveLeft());
        }
        final Path reports = data.resolve("reports");
        LatencyReport.write(reports, "demo-score-latency", String.format("ECAP demo: POST /v1/score as the client "
            + "saw it after warm-up, %,.0f requests/s offered", rate), tally.scoreLatency());
        LatencyReport.write(reports, "demo-engine-time", "ECAP demo: engine time per transaction",
            tally.stats().engineNanos());
        System.out.printf("%nWhere things are:%n");
        System.out.printf("  journal (every input and decision)  %s%n", data.resolve("journal").toAbsolutePath());
        System.out.printf("  feature maps                        %s%n", data.resolve("maps").toAbsolutePath());
        System.out.printf("  ground truth of the fraud           %s%n", data.resolve("truth.jsonl").toAbsolutePath());
        System.out.printf("  latency reports (.hgrm)             %s%n", reports.toAbsolutePath());
        System.out.printf("  latency plots (open in a browser)   %s, %s%n",
            reports.resolve("demo-score-latency.svg").toAbsolutePath(),
            reports.resolve("demo-engine-time.svg").toAbsolutePath());
        System.out.printf("%nLook further:%n  ./ecap journal --data %s --limit 5 --type scored%n"
            + "  ./ecap replay --data %s        (rebuild the state from the journal and compare)%n"
            + "  ./ecap run --data %s            (the service on port 8080 with the demo's state, until stopped)%n",
            data, data, data);
        if (apiKey != null) {
            System.out.printf("  the demo's API key (every scope%s): %s%n", casesDatabaseUrl == null ? ""
                : "; the console at /console/ logs in with it", apiKey);
        }
    }

    /** Empties the demo folder, refusing one that holds something other than a previous demo. */
    private static void prepare(final Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
                    throw new IllegalArgumentException("--data: " + dir.toAbsolutePath() + " is not empty and was "
                        + "not made by ecap demo; choose another folder");
                }
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (final Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by ecap demo; emptied by the next one\n");
    }

    private static void await(final CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
