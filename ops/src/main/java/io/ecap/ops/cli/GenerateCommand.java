package io.ecap.ops.cli;

import io.ecap.ops.drive.Driver;
import io.ecap.ops.drive.KafkaSender;
import io.ecap.ops.drive.Tally;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.GeneratedRates;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.service.FileChecks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Generates e-commerce traffic (payments with labelled fraud, clickstream, catalog updates, late labels) into
 * JSON-lines files or to a running server over HTTP or WebSocket.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {
        "Generate realistic e-commerce traffic: payments with labelled fraud scenarios, clickstream sessions, "
            + "catalog updates and late chargeback labels, in event-time order.",
        "To files: payments to --out (standard output by default), the other kinds to the files named for them, "
            + "the ground truth of fraud to --truth (never into what is scored).",
        "To a server: --url and --key, at --rate requests a second (or as fast as possible); exits 1 if any "
            + "request failed, with the counts.",
        "To Kafka: --kafka host:port, each kind to its input topic (transactions, user-events, product-updates, "
            + "labels) keyed as docs/KAFKA.md says, at --rate records a second (or as fast as possible)."})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "100000",
        description = "payments to generate; the other kinds come along with them; with --days, history may end "
            + "first, at today's midnight UTC (default: ${DEFAULT-VALUE})")
    private long count;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE",
        description = "payments file; '-' is standard output (default)")
    private String out;

    @Option(names = "--events", paramLabel = "FILE", description = "clickstream events file")
    private Path events;

    @Option(names = "--products", paramLabel = "FILE", description = "catalog updates file")
    private Path products;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels file (chargebacks, analyst verdicts)")
    private Path labels;

    @Option(names = "--rates", paramLabel = "FILE",
        description = "the generator's exchange rates to USD, dated the first day, as CSV for 'ecap lake load-rates' "
            + "or 'ecap lake ... --rates' (the payments are in the customers' own currencies)")
    private Path rates;

    @Option(names = "--truth", paramLabel = "FILE", description = "ground truth of fraud: txnId and scenario")
    private Path truth;

    @Option(names = "--rate", defaultValue = "0",
        description = "events a second, 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    private double rate;

    @Option(names = "--seconds", defaultValue = "0",
        description = "with --url: stop after this long even if --count is not reached (default: no limit)")
    private double seconds;

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
        description = "send to Kafka at these bootstrap servers instead of files or a server")
    private String kafka;

    @Option(names = "--kinds", defaultValue = "all",
        description = "with --url or --kafka: which kinds to send: transactions,events,products,labels or all "
            + "(default: all)")
    private String kinds;

    @Mixin
    private TrafficOptions traffic;

    @Mixin
    private SendOptions send;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count: expected at least 1, found "
                + count);
        }
        if (!(rate >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate: expected 0 (as fast as possible) "
                + "or more events a second, found " + rate);
        }
        if (!(seconds >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds: expected 0 (no limit) or more, "
                + "found " + seconds);
        }
        if (send.url != null && kafka != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url and --kafka: choose one");
        }
        if ((send.url != null || kafka != null) && (truth != null || events != null || products != null
            || labels != null || rates != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), (truth != null ? "--truth"
                : events != null ? "--events" : products != null ? "--products" : labels != null ? "--labels"
                : "--rates") + ": only when writing files; with " + (kafka != null ? "--kafka" : "--url")
                + " the traffic is sent, not written (generate the same --seed to files for its ground truth)");
        }
        if (kafka != null) {
            return toKafka();
        }
        return send.url != null ? toServer() : toFiles();
    }

    private int toKafka() throws Exception {
        final Supplier<GeneratedEvent> source = limited(new Traffic(trafficSettings(TrafficOptions.kinds(kinds))),
            count);
        final Progress progress = new Progress(System.err);
        final long startNs = System.nanoTime();
        final long deadlineNs = seconds > 0 ? startNs + (long) (seconds * 1e9) : Long.MAX_VALUE;
        long sent = 0;
        try (KafkaSender sender = new KafkaSender(kafka)) {
            System.err.printf("sending to Kafka at %s%s%n", kafka, rate > 0 ? String.format(" at %,.0f/s", rate)
                : "");
            for (GeneratedEvent e = source.get(); e != null && System.nanoTime() < deadlineNs; e = source.get()) {
                if (rate > 0) {
                    LockSupport.parkNanos(startNs + (long) (sent * 1e9 / rate) - System.nanoTime());
                }
                sender.send(e);
                sent++;
                final long n = sent;
                progress.update(() -> String.format("sent %,d, acknowledged %,d", n, sender.acknowledged()));
            }
            sender.flush();
            progress.done();
            System.out.printf("sent %,d records to Kafka in %.1f s: %s%n", sender.acknowledged(),
                (System.nanoTime() - startNs) / 1e9, sender.perTopic());
        }
        return 0;
    }

    private int toServer() throws Exception {
        final Traffic source = new Traffic(trafficSettings(TrafficOptions.kinds(kinds)));
        final Tally tally = new Tally(true);
        try (Driver driver = new Driver(send.target(), send.plan(rate), tally)) {
            System.err.printf("sending to %s%s%n", send.url, rate > 0 ? String.format(" at %,.0f/s", rate) : "");
            final Driver.End end = driver.run(limited(source, count), seconds,
                new LiveProgress(System.err, tally, driver));
            tally.print(System.out, driver.elapsedSeconds());
            if (end == Driver.End.FELL_BEHIND) {
                System.out.printf("%nStopped early: the server did not keep up with %,.0f requests a second.%n", rate);
                return 1;
            }
            final String failure = tally.failure();
            if (failure != null) {
                System.out.printf("%nThe run failed: %s.%n", failure);
                return 1;
            }
        }
        return 0;
    }

    /** The traffic's settings; a bad traffic option is a usage error that names it. */
    private Traffic.Settings trafficSettings(final Set<Kind> kinds) {
        try {
            return traffic.settings(kinds);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Refuses a file {@code option} names that cannot be written, before any file is created. */
    private void writable(final String option, final Path file) {
        final String problem = file == null ? null : FileChecks.unwritable(file);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": cannot write " + file + ": "
                + problem);
        }
    }

    private int toFiles() throws IOException {
        final Set<Kind> kinds = EnumSet.of(Kind.TRANSACTION);
        if (events != null) {
            kinds.add(Kind.USER_EVENT);
        }
        if (products != null) {
            kinds.add(Kind.PRODUCT_UPDATE);
        }
        if (labels != null) {
            kinds.add(Kind.LABEL);
        }
        final Traffic.Settings settings = trafficSettings(kinds);
        writable("--out", out.equals("-") ? null : Path.of(out));
        writable("--events", events);
        writable("--products", products);
        writable("--labels", labels);
        writable("--truth", truth);
        writable("--rates", rates);
        final Map<Kind, Writer> writers = new EnumMap<>(Kind.class);
        final Progress progress = new Progress(System.err);
        long fraud = 0;
        long written = 0;
        long payments = 0;
        try (Writer truthOut = truth == null ? Writer.nullWriter() : writer(truth)) {
            writers.put(Kind.TRANSACTION, out.equals("-")
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : writer(Path.of(out)));
            open(writers, Kind.USER_EVENT, events);
            open(writers, Kind.PRODUCT_UPDATE, products);
            open(writers, Kind.LABEL, labels);
            final Supplier<GeneratedEvent> source = limited(new Traffic(settings), count);
            final long startNs = System.nanoTime();
            for (GeneratedEvent e = source.get(); e != null; e = source.get()) {
                if (rate > 0) {
                    LockSupport.parkNanos(startNs + (long) (written * 1e9 / rate) - System.nanoTime());
                }
                final Writer w = writers.get(e.kind());
                w.write(e.json());
                w.write('\n');
                written++;
                if (e.kind() == Kind.TRANSACTION) {
                    payments++;
                }
                if (e.isFraud()) {
                    fraud++;
                    truthOut.write("{\"txnId\":\"" + e.txnId() + "\",\"scenario\":\"" + e.scenario() + "\"}\n");
                }
                final long n = written;
                progress.update(() -> String.format("generated %,d", n));
            }
        } finally {
            for (final Writer w : writers.values()) {
                w.close();
            }
        }
        progress.done();
        // a history (--days) may end before --count payments: count what was written, not what was asked
        System.err.printf("generated %,d payments (%,d of them fraudulent) and %,d other events%n", payments, fraud,
            written - payments);
        if (rates != null) {
            GeneratedRates.write(rates, java.time.LocalDate.ofInstant(java.time.Instant.ofEpochMilli(
                settings.payments().startMs()), java.time.ZoneOffset.UTC));
            System.err.printf("exchange rates in %s (for ecap lake load-rates)%n", rates);
        }
        if (payments < count) {
            System.err.printf("the history ended before --count %,d payments: its customers made %,d in the days "
                + "asked for; more customers (--customers) or days (--days) make more%n", count, payments);
        }
        return 0;
    }

    /** The traffic up to (not including) payment number {@code payments + 1} or its end, then null. */
    static Supplier<GeneratedEvent> limited(final Traffic traffic, final long payments) {
        final long[] seen = {0};
        return () -> {
            final GeneratedEvent e = traffic.next();
            return e == null || e.kind() == Kind.TRANSACTION && ++seen[0] > payments ? null : e;
        };
    }

    private static void open(final Map<Kind, Writer> writers, final Kind kind, final Path file) throws IOException {
        if (file != null) {
            writers.put(kind, writer(file));
        }
    }

    private static Writer writer(final Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
}
