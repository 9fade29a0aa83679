package io.ecap.ops.chaos;

import io.ecap.ops.Ecap;
import io.ecap.ops.cli.BackupFolder;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ecap chaos}: runs the service, offers it generated traffic over HTTP, kills it with SIGKILL at seeded random
 * moments, restarts it, and checks after each restart and at the end that nothing acknowledged was lost, changed or
 * journaled twice, and that a replay of the journal gives the same decisions and state. See docs/RELIABILITY.md.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Kill the scoring service with SIGKILL at random moments under load, restart it each time, and "
        + "check that every acknowledged decision survives unchanged, none is journaled twice, and a replay of the "
        + "journal reproduces every decision and the state. Exits 1 on any loss.")
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--kills", defaultValue = "20", description = "SIGKILLs to deliver (default: ${DEFAULT-VALUE})")
    private int kills;

    @Option(names = "--minutes", defaultValue = "0",
        description = "stop delivering kills after this many minutes even if fewer than --kills were made, then "
            + "check everything as at the end (default: no limit)")
    private double minutes;

    @Option(names = "--seed", description = "seed of the kill moments and the traffic (default: a new one, printed)")
    private Long seed;

    @Option(names = "--data", paramLabel = "DIR",
        description = "an empty or new data folder for the service (default: a temporary folder, removed after a "
            + "run that passes)")
    private Path data;

    @Option(names = "--uptime-ms", paramLabel = "MIN-MAX", defaultValue = "200-2000",
        description = "how long the service takes traffic before each kill, drawn uniformly (default: "
            + "${DEFAULT-VALUE} ms)")
    private String uptime;

    @Option(names = "--in-flight", defaultValue = "32",
        description = "requests kept in flight (default: ${DEFAULT-VALUE})")
    private int inFlight;

    @Option(names = "--customers", defaultValue = "20000",
        description = "customers in the generated traffic (default: ${DEFAULT-VALUE})")
    private int customers;

    @Option(names = "--replay-every", defaultValue = "0", paramLabel = "N",
        description = "also after every N-th kill: once the service has recovered, stop it cleanly, replay the journal "
            + "and compare the state, then go on (default: only at the end)")
    private int replayEvery;

    @Option(names = "--no-replay", description = "skip the final replay of the journal")
    private boolean noReplay;

    /** Made on first use: picocli makes every command object at each start, and an HTTP client costs ~0.1 s. */
    private HttpClient http;
    /** Requests answered with an error status (503 while saturated, say): not acknowledged, nothing to check. */
    private final AtomicLong refused = new AtomicLong();

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final long[] window = uptimeWindow();
        atLeast("--kills", kills, 1);
        atLeast("--in-flight", inFlight, 1);
        atLeast("--customers", customers, 1);
        atLeast("--replay-every", replayEvery, 0);
        if (!(minutes >= 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--minutes: expected 0 or more, got "
                + minutes);
        }
        final String dataProblem = data == null ? null : BackupFolder.notNewFolder(data, "--data");
        if (dataProblem != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), dataProblem
                + " (a chaos run checks every transaction of its journal)");
        }
        final boolean temporary = data == null;
        final Path dir = temporary ? Files.createTempDirectory("ecap-chaos-") : data;
        final long runSeed = seed != null ? seed : System.nanoTime() & 0xFFFF_FFFFL;
        System.out.printf("Chaos: %d kills of ecap run on %s, seed %d (repeat with --seed %d)%n", kills,
            dir.toAbsolutePath(), runSeed, runSeed);
        // whatever ends this JVM (an error, SIGTERM, Ctrl-C) also ends the service it started
        final Thread killService = new Thread(this::killCurrent, "ecap-chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(killService);
        final boolean passed;
        try {
            passed = run(dir, runSeed, window);
        } catch (final Exception | Error e) {
            killCurrent();
            System.out.println("The data folder is kept for a look: " + dir.toAbsolutePath());
            throw e;
        } finally {
            Runtime.getRuntime().removeShutdownHook(killService);
        }
        if (temporary && passed) {
            deleteTree(dir);
        } else if (temporary) {
            System.out.println("The data folder is kept for a look: " + dir.toAbsolutePath());
        }
        return passed ? 0 : 1;
    }

    private boolean run(final Path dir, final long runSeed, final long[] window) throws Exception {
        final SplittableRandom random = new SplittableRandom(runSeed);
        // payments, their labels and a small catalogue's updates; clickstream would be most of the requests and is
        // not what is at risk here
        final Traffic.Settings defaults = Traffic.Settings.defaults(new WorkloadGenerator.Settings(runSeed,
            customers, 100, 1_793_577_600_000L, 20_000, 0.01));
        final Traffic traffic = new Traffic(new Traffic.Settings(defaults.payments(), 50, 0,
            defaults.productUpdateRate(), defaults.chargebackShare(), defaults.labelDelayHours(),
            defaults.analystShare(), EnumSet.of(Kind.TRANSACTION, Kind.LABEL, Kind.PRODUCT_UPDATE), Long.MAX_VALUE));
        final Ledger ledger = new Ledger();
        final List<String> sent = new ArrayList<>();
        final long[] readyNs = new long[kills];
        final AtomicLong unanswered = new AtomicLong();
        long lookupProblems = 0;
        long resendProblems = 0;
        int replays = 0;
        int failedReplays = 0;
        final List<String> examples = new ArrayList<>();
        final List<String> heap = heapFlags();
        ServiceProcess service = start(dir, heap);
        final String key = service.createdKey();
        if (key == null) {
            service.kill();
            throw new IllegalStateException("the service did not create an API key on its first start");
        }
        final long deadline = minutes > 0 ? System.nanoTime() + (long) (minutes * 60e9) : Long.MAX_VALUE;
        int made = 0;
        for (int k = 0; k < kills && System.nanoTime() - deadline < 0; k++) {
            made++;
            final long uptimeMs = window[0] + random.nextLong(window[1] - window[0] + 1);
            final List<Ledger.Ack> round = offerLoad(service, key, traffic, ledger, sent, unanswered, uptimeMs);
            service = start(dir, heap);
            readyNs[k] = service.startToReadyNs();
            final long wrongLookups = lookUp(service, key, round, examples);
            final long wrongResends = resend(service, key, ledger, sent, random, examples);
            lookupProblems += wrongLookups;
            resendProblems += wrongResends;
            if (replayEvery > 0 && (k + 1) % replayEvery == 0 && k < kills - 1 && !noReplay
                && System.nanoTime() - deadline < 0) {
                replays++;
                final boolean stopped = service.terminate();
                final int status = Ecap.run("replay", "--data", dir.toString());
                if (!stopped || status != 0) {
                    failedReplays++;
                    examples.add("after kill " + (k + 1) + ": " + (stopped ? "" : "the stop was not clean; ")
                        + (status == 0 ? "" : "the replay did not reproduce the journal and state"));
                }
                service = start(dir, heap);
            }
            System.err.printf("kill %d/%d after %,d ms: %,d decisions acknowledged in that run, ready again in %.2f s"
                + "%s%n", k + 1, kills, uptimeMs, round.size(), readyNs[k] / 1e9,
                wrongLookups + wrongResends == 0 ? "" : ", " + (wrongLookups + wrongResends) + " wrong answers");
        }
        final boolean clean = service.terminate();
        if (!clean) {
            System.out.println("The last stop (SIGTERM) was not clean; the service printed:\n" + service.output());
        }
        final Ledger.Audit audit = ledger.audit(dir.resolve("journal"));
        int replay = 0;
        if (!noReplay) {
            System.out.println("Replaying the journal into a fresh state (ecap replay):");
            replay = Ecap.run("replay", "--data", dir.toString());
        }
        final long[] ready = Arrays.copyOf(readyNs, made);
        Arrays.sort(ready);
        System.out.printf("%nKills %d%s; decisions acknowledged %,d; requests without an answer (in flight at a kill) "
            + "%,d; answered with an error status %,d; scored entries in the journal %,d%n", made,
            made < kills ? " (of " + kills + ": --minutes ran out)" : "", audit.acknowledged(), unanswered.get(),
            refused.get(), audit.scoredEntries());
        System.out.printf("  lost %,d   changed %,d   journaled twice %,d   wrong after a restart %,d (by lookup) "
            + "%,d (sent again)%n", audit.lost(), audit.changed(), audit.duplicated(), lookupProblems, resendProblems);
        System.out.printf("  restart to ready: p50 %.2f s, max %.2f s; damaged journal entries %d; final stop %s%n",
            ready[made / 2] / 1e9, ready[made - 1] / 1e9, audit.damaged(), clean ? "clean" : "NOT clean");
        examples.addAll(audit.examples());
        examples.stream().limit(10).forEach(e -> System.out.println("  " + e));
        if (replays > 0) {
            System.out.printf("  replays along the way: %d, failed %d%n", replays, failedReplays);
        }
        final boolean passed = audit.clean() && lookupProblems == 0 && resendProblems == 0 && clean && replay == 0
            && failedReplays == 0 && audit.acknowledged() > 0;
        System.out.println(passed ? "PASS: nothing acknowledged was lost, changed or duplicated."
            : "FAIL" + (audit.acknowledged() == 0 ? ": no decision was acknowledged" : "") + (replay != 0
                ? ": the replay did not reproduce the journal" : "") + (clean ? "" : ": the last stop was not clean"));
        return passed;
    }

    /**
     * Sends generated events for {@code uptimeMs}, kills the service with requests in flight, and returns the
     * transactions acknowledged meanwhile.
     */
    private List<Ledger.Ack> offerLoad(final ServiceProcess service, final String key, final Traffic traffic,
        final Ledger ledger, final List<String> sent, final AtomicLong unanswered, final long uptimeMs)
        throws InterruptedException {
        final Semaphore slots = new Semaphore(inFlight);
        final List<Ledger.Ack> round = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<CompletableFuture<?>> pending = new ArrayList<>();
        // the uptime counts from the first decision of this run: a service still warming up is not killed before it
        // has answered anything (unless nothing comes within a minute)
        final long began = System.nanoTime();
        long end = -1;
        while (service.alive()) {
            final long now = System.nanoTime();
            if (end < 0 && !round.isEmpty()) {
                end = now + TimeUnit.MILLISECONDS.toNanos(uptimeMs);
            }
            if (end >= 0 ? now - end >= 0 : now - began > TimeUnit.MINUTES.toNanos(1)) {
                break;
            }
            if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            final GeneratedEvent event = traffic.next();
            if (event.kind() == Kind.TRANSACTION) {
                sent.add(event.json());
            }
            pending.add(http().sendAsync(post(service.port(), key, event.kind().path(), event.json()),
                HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    slots.release();
                    if (error != null) {
                        unanswered.incrementAndGet();
                    } else if (response.statusCode() != 200 && response.statusCode() != 202) {
                        refused.incrementAndGet();
                    } else if (response.statusCode() == 200 && event.kind() == Kind.TRANSACTION) {
                        final Ledger.Ack ack = ackOf(new JsonObject(response.body()));
                        ledger.acknowledge(ack);
                        round.add(ack);
                    }
                }));
            pending.removeIf(CompletableFuture::isDone);
        }
        // the kill comes with requests in flight; what they get back (if anything) is kept like the rest
        final List<CompletableFuture<?>> inFlightAtKill = List.copyOf(pending);
        service.kill();
        try {
            CompletableFuture.allOf(inFlightAtKill.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .get(60, TimeUnit.SECONDS);
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("requests in flight at the kill did not finish within 60 s", e);
        }
        return new ArrayList<>(round);
    }

    /**
     * Every decision acknowledged in the last run must be found unchanged; returns how many were not. The lookups go
     * {@code --in-flight} at a time.
     */
    private long lookUp(final ServiceProcess service, final String key, final List<Ledger.Ack> round,
        final List<String> examples) throws InterruptedException {
        final AtomicLong wrong = new AtomicLong();
        final Semaphore slots = new Semaphore(inFlight);
        final List<CompletableFuture<?>> lookups = new ArrayList<>(round.size());
        for (final Ledger.Ack ack : round) {
            slots.acquire();
            lookups.add(http().sendAsync(HttpRequest.newBuilder(uri(service.port(), "/v1/decisions/" + ack.txnId()))
                .header("X-API-Key", key).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).whenComplete((found, error) -> {
                    slots.release();
                    if (error != null || found.statusCode() != 200
                        || !ackOf(new JsonObject(found.body())).equals(ack)) {
                        wrong.incrementAndGet();
                        synchronized (examples) {
                            examples.add("after a restart, " + ack.txnId() + " (answered " + ack + ") looked up: "
                                + (error != null ? error : found.statusCode() + " " + found.body()));
                        }
                    }
                }));
        }
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return wrong.get();
    }

    /**
     * Sends a few transactions again, acknowledged or not: each must get its first decision back if it was
     * journaled, and be scored once if not. Returns how many got another decision than their acknowledged one.
     */
    private long resend(final ServiceProcess service, final String key, final Ledger ledger,
        final List<String> sent, final SplittableRandom random, final List<String> examples)
        throws IOException, InterruptedException {
        long wrong = 0;
        for (int i = 0; i < Math.min(20, sent.size()); i++) {
            final String json = sent.get(sent.size() - 1 - random.nextInt(Math.min(sent.size(), 2_000)));
            final HttpResponse<String> again = http().send(post(service.port(), key, Kind.TRANSACTION.path(), json),
                HttpResponse.BodyHandlers.ofString());
            if (again.statusCode() != 200) {
                wrong++;
                examples.add("sent again after a restart: " + again.statusCode() + " " + again.body());
                continue;
            }
            final Ledger.Ack answer = ackOf(new JsonObject(again.body()));
            final Ledger.Ack first = ledger.get(answer.txnId());
            if (first == null) {
                ledger.acknowledge(answer);
            } else if (!first.equals(answer)) {
                wrong++;
                examples.add("sent again after a restart, " + answer.txnId() + " was answered " + answer
                    + ", first " + first);
            }
        }
        return wrong;
    }

    private static Ledger.Ack ackOf(final JsonObject body) {
        return new Ledger.Ack(body.getString("txnId"), body.getString("decision"), body.getInteger("score", -1),
            body.getLong("journalIndex", -1L));
    }

    private static HttpRequest post(final int port, final String key, final String path, final String json) {
        return HttpRequest.newBuilder(uri(port, path)).header("X-API-Key", key)
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static URI uri(final int port, final String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The heap flags of the service: $ECAP_JAVA_OPTS as the launcher reads it, or the launcher's own. */
    private static List<String> heapFlags() {
        final String opts = System.getenv("ECAP_JAVA_OPTS");
        return opts == null || opts.isBlank() ? ServiceProcess.RUN_HEAP : List.of(opts.trim().split("\\s+"));
    }

    private volatile ServiceProcess current;

    private ServiceProcess start(final Path dir, final List<String> heap) throws IOException, InterruptedException {
        current = null;
        final ServiceProcess service = ServiceProcess.start(dir, heap, 120, started -> current = started);
        current = service;
        return service;
    }

    private void killCurrent() {
        final ServiceProcess service = current;
        if (service != null && service.alive()) {
            try {
                service.kill();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void atLeast(final String option, final long value, final long min) {
        if (value < min) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + ": expected " + min
                + " or more, got " + value);
        }
    }

    /** The longest uptime before a kill: a day. */
    private static final long MAX_UPTIME_MS = 86_400_000L;

    private long[] uptimeWindow() {
        final String[] parts = uptime.split("-", 2);
        try {
            final long min = Long.parseLong(parts[0].trim());
            final long max = parts.length == 2 ? Long.parseLong(parts[1].trim()) : min;
            if (min < 0 || max < min || max > MAX_UPTIME_MS) {
                throw new NumberFormatException();
            }
            return new long[] {min, max};
        } catch (final NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--uptime-ms: expected MIN-MAX in "
                + "milliseconds with 0 <= MIN <= MAX <= " + MAX_UPTIME_MS + " (a day), got '" + uptime + "'");
        }
    }

    private static void deleteTree(final Path dir) throws IOException {
        BackupFolder.removeContents(dir);
        Files.deleteIfExists(dir);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return http;
    }
}
