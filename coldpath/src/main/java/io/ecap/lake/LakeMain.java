package io.ecap.lake;

import io.ecap.model.storage.S3Settings;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lake's jobs, by name: {@code ./ecap lake <job> [options]} runs them with {@code local[*]}; on a cluster,
 * {@code spark-submit --class io.ecap.lake.LakeMain ecap-coldpath.jar <job> [options]} runs the same code. The jobs and
 * their help are in {@link LakeJobs}; options are read and checked before Spark starts ({@link LakeArgs}), and a bad
 * one stops the job with its name and the problem (exit code 2).
 */
public final class LakeMain {
    /** The longest window a --days option takes. */
    static final int MAX_DAYS = 366;

    private LakeMain() {
    }

    public static void main(final String[] args) throws Exception {
        System.exit(exec(args, System.err));
    }

    /**
     * Runs a command line; returns the exit code. A user's mistake (an option, a missing table, a time the table
     * cannot travel to, SQL that does not parse) is one line on {@code err} naming the option or the problem and exit
     * code 2, never a stack trace; data that cannot support the job (a model that does not converge, a malformed
     * staged entry) is exit code 1.
     */
    static int exec(final String[] args, final PrintStream err) throws Exception {
        final String job = args.length > 0 && !args[0].startsWith("-") ? args[0] : null;
        final String where = job == null ? "ecap lake" : "ecap lake " + job;
        try {
            return run(args, err);
        } catch (final IllegalArgumentException e) {
            final String message = withoutJob(job, e.getMessage());
            err.println(where + ": " + message + (message.startsWith("unknown job") ? " (ecap lake --help lists them)"
                : " (" + where + " --help lists the options)"));
            return 2;
        } catch (final AnalysisException e) {
            err.println(where + ": " + firstLine(e.getMessage()));
            return 2;
        } catch (final IllegalStateException e) {
            err.println(where + ": " + withoutJob(job, e.getMessage()));
            return 1;
        } catch (final java.io.IOException | RuntimeException e) {
            final Throwable refused = S3Settings.refusal(e);
            if (refused == null) {
                throw e;
            }
            err.println(where + ": the lake's storage refused: " + firstLine(refused.getMessage()));
            return 2;
        }
    }

    /** Messages of the jobs start with the job's name, which the line already has. */
    private static String withoutJob(final String job, final String message) {
        return job != null && message != null && message.startsWith(job + ": ") ? message.substring(job.length() + 2)
            : message;
    }

    static String firstLine(final String message) {
        final String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    static int run(final String[] all, final PrintStream err) throws Exception {
        if (all.length == 0 || all[0].equals("--help") || all[0].equals("-h")) {
            System.out.println(LakeJobs.usage());
            return 0;
        }
        if (all.length == 1 && (all[0].equals("--version") || all[0].equals("-V"))) {
            System.out.println("ecap 0.1.0");
            return 0;
        }
        final LakeArgs args = LakeArgs.parse(all);
        if (args.help()) {
            args.jobs().forEach(job -> System.out.println(job.help()));
            return 0;
        }
        DeltaWrites.checkSettings(System.getProperty(DeltaWrites.SMALL_FILES_SETTING));
        final List<Step> steps = new ArrayList<>();
        for (final LakeJobs.Job job : args.jobs()) {
            steps.add(plan(job, args, err));
        }
        final Map<String, String> s3 = S3Settings.fromEnvironment(); // checked before Spark starts, as the options
        final SparkSession spark = Lake.session("ecap " + String.join(",", args.jobs().stream()
            .map(LakeJobs.Job::name).toList()), s3);
        try {
            args.lake().fitSession(spark);
            int code = 0;
            for (final Step step : steps) {
                code = Math.max(code, step.run(spark));
            }
            return code;
        } finally {
            spark.stop();
        }
    }

    /** A job ready to run: its options already checked. Returns the exit code. */
    @FunctionalInterface
    private interface Step {
        int run(SparkSession spark) throws Exception;
    }

    /** Checks the options {@code job} takes (before Spark starts) and returns the job, ready to run. */
    private static Step plan(final LakeJobs.Job job, final LakeArgs args, final PrintStream err) {
        final Map<String, String> options = new HashMap<>(args.options());
        options.keySet().retainAll(job.options());
        final Lake lake = args.lake();
        final long everySeconds = number(options, "--every-seconds", 0, 1);
        final int limit = (int) number(options, "--limit", 20, 1);
        final long retainHours = number(options, "--retain-hours", Maintenance.SAFE_RETENTION_HOURS, 0);
        final String table = options.get("--table");
        if (job.options().contains("--table") && (table != null || !job.name().equals("compact"))) {
            Maintenance.checkTableName(table);
        }
        final boolean force = options.containsKey("--force");
        switch (job.name()) {
            case "journal-to-bronze":
                return spark -> ok(() -> journalToBronze(spark, lake, everySeconds));
            case "kafka-to-bronze":
                final KafkaToBronze.Options kafka = kafkaOptions(options, everySeconds);
                return spark -> ok(() -> {
                    new KafkaToBronze(spark, lake, kafka).run();
                    System.out.printf("kafka-to-bronze: the topics are in %s/bronze (kafka_*)%n", lake.root());
                });
            case "bronze-to-silver":
                return spark -> ok(() -> bronzeToSilver(spark, lake, everySeconds));
            case "silver-to-gold":
                return spark -> ok(() -> System.out.printf("silver-to-gold: %,d merchant-days in %s%n",
                    new SilverToGold(spark, lake).run(), lake.gold("fraud_kpis_daily")));
            case "optimize":
                return spark -> ok(() -> System.out.println("optimize " + table + ": " + new Maintenance(spark, lake)
                    .optimize(table, options.containsKey("--zorder") ? List.of(options.get("--zorder").split(","))
                        : List.of())));
            case "compact":
                final long smallFiles = number(options, "--small-files", 20, 2);
                if (smallFiles > MAX_SMALL_FILES) {
                    throw new IllegalArgumentException("--small-files: expected at most " + MAX_SMALL_FILES
                        + ", found " + smallFiles);
                }
                return spark -> ok(() -> compact(spark, lake, table, (int) smallFiles, everySeconds));
            case "vacuum":
                Maintenance.checkRetention(retainHours, force);
                return spark -> ok(() -> {
                    final long deleted = new Maintenance(spark, lake).vacuum(table, retainHours, force);
                    System.out.printf("vacuum %s: %,d file%s not needed by the last %d hours of versions deleted%n",
                        table, deleted, deleted == 1 ? "" : "s", retainHours);
                });
            case "erase":
                Maintenance.checkRetention(retainHours, force);
                final EraseRequest erase = EraseRequest.of(options);
                return spark -> ok(() -> erase.run(new LakeErasure(spark, lake), retainHours, force));
            case "history":
                return spark -> ok(() -> new Maintenance(spark, lake).history(table, limit).show(limit, false));
            case "load-rates":
                final List<RatesFile.Rate> rates = RatesFile.read(args.positional());
                return spark -> ok(() -> System.out.printf("load-rates: %,d rates from %s; %s now holds %,d%n",
                    rates.size(), args.positional(), lake.silver("exchange_rates"),
                    ExchangeRates.load(spark, lake, rates)));
            case "import-orders":
                final ImportOrdersOptions orders = ImportOrdersOptions.parse(options, args.positionals());
                return spark -> ok(() -> OrderImport.print(new OrderImport(spark, lake).run(orders), orders, lake));
            case "show":
                final TimeTravel travel = TimeTravel.of(options);
                final ShowOutput show = ShowOutput.of(options, limit);
                return spark -> ok(() -> show.print(show.select(new Maintenance(spark, lake).read(table, travel)),
                    table + travel.describe(), System.out, err));
            case "lag":
                return spark -> ok(() -> {
                    final Row lag = new Maintenance(spark, lake).lag(table, options.getOrDefault("--where", "true"));
                    System.out.printf("lag %s: %,d rows; event time -> visible: p50 %s, p90 %s, p99 %s, max %s%n",
                        table, lag.getLong(0), Maintenance.seconds(lag.get(1)), Maintenance.seconds(lag.get(2)),
                        Maintenance.seconds(lag.get(3)), Maintenance.seconds(lag.get(4)));
                });
            case "products":
                final ProductsJob.Options products = ProductsJob.Options.parse(options);
                return spark -> ok(() -> System.out.printf("products: %,d products in %s%n",
                    new ProductsJob(spark, lake).run(products), lake.gold("product_performance")));
            case "publish":
                final PublishJob.Options publish = PublishJob.Options.parse(options, System.getenv());
                return spark -> ok(() -> {
                    final List<String> tables = new PublishJob(spark, lake).run(publish);
                    System.out.printf("publish: %d tables into %s, in place of the last publication in one "
                        + "transaction:%n  %s%n", tables.size(), publish.database(), String.join("\n  ", tables));
                });
            case "push-profiles":
                final ProfilePush.Options push = ProfilePush.Options.parse(options);
                ProfilePush.checkService(push);
                return spark -> ok(() -> ProfilePush.print(new ProfilePush(spark, lake).run(push), push));
            case "models":
                return spark -> ok(() -> new ModelRoles(spark, lake).print());
            case "drift":
                final DriftJob.Options drift = DriftJob.Options.parse(options);
                return spark -> new DriftJob(spark, lake).run(drift);
            case "train-fraud":
                final TrainFraudOptions training = TrainFraudOptions.parse(options).serviceChecked();
                return spark -> new TrainFraudJob(spark, lake).run(training).exitCode();
            default:
                final AnalyticsOptions analytics = AnalyticsOptions.parse(job.name(), options, args.data());
                return spark -> analytics.run(spark, lake);
        }
    }

    /** What a job does, for jobs that end with exit code 0 when they end at all. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static int ok(final Work work) throws Exception {
        work.run();
        return 0;
    }

    private static void journalToBronze(final SparkSession spark, final Lake lake, final long everySeconds)
        throws Exception {
        final JournalToBronze loader = new JournalToBronze(spark, lake);
        if (everySeconds == 0) {
            final long read = loader.runOnce();
            System.out.printf("journal-to-bronze: read %,d staged entries, rows added: %s, into %s/bronze%n", read,
                loader.added(), lake.root());
            return;
        }
        System.out.printf("journal-to-bronze: following %s into %s/bronze, a load every %,d s (Ctrl-C stops)%n",
            lake.staging(), lake.root(), everySeconds);
        final long total = follow(everySeconds, () -> {
            final long loaded = loader.runOnce();
            if (loaded > 0) {
                System.out.printf("journal-to-bronze: read %,d staged entries, rows added: %s, into %s/bronze%n",
                    loaded, loader.added(), lake.root());
            }
            return loaded;
        });
        System.out.printf("journal-to-bronze: stopped; read %,d staged entries in all%n", total);
    }

    private static void bronzeToSilver(final SparkSession spark, final Lake lake, final long everySeconds)
        throws Exception {
        final BronzeToSilver silver = new BronzeToSilver(spark, lake);
        if (everySeconds == 0 && !DeltaWrites.exists(spark, lake.bronze("decisions"))) {
            // a run on a folder that is not a lake's root would otherwise say "0 transactions" and exit 0
            throw new IllegalArgumentException("no bronze/decisions in " + lake.root() + " (is it the lake's root? "
                + "ecap lake-tailer loads the journal into bronze)");
        }
        if (everySeconds == 0) {
            System.out.printf("bronze-to-silver: %,d transactions in %s%n", silver.run(),
                lake.silver("transactions"));
            return;
        }
        System.out.printf("bronze-to-silver: following %s/bronze into %s/silver, a cycle every %,d s (Ctrl-C "
            + "stops)%n", lake.root(), lake.root(), everySeconds);
        final long[] before = {-1};
        follow(everySeconds, () -> {
            final long began = System.nanoTime();
            final long now = silver.run();
            if (before[0] < 0) {
                System.out.printf("bronze-to-silver: %,d transactions in %s, cycle %.1f s%n", now,
                    lake.silver("transactions"), (System.nanoTime() - began) / 1e9);
            } else if (now != before[0]) {
                System.out.printf("bronze-to-silver: %,d transactions in %s (%,d new), cycle %.1f s%n", now,
                    lake.silver("transactions"), now - before[0], (System.nanoTime() - began) / 1e9);
            }
            before[0] = now;
            return 0L;
        });
        System.out.println("bronze-to-silver: stopped");
    }

    /** Compacts the named table, or every bronze table there is; once, or every {@code everySeconds}. */
    private static void compact(final SparkSession spark, final Lake lake, final String table, final int smallFiles,
        final long everySeconds) throws Exception {
        final Maintenance maintenance = new Maintenance(spark, lake);
        if (table != null && !DeltaWrites.exists(spark, lake.root() + "/" + table)) {
            throw new IllegalArgumentException("--table: no table " + table + " in " + lake.root());
        }
        // the bronze tables there are, looked for again each cycle (a table appears with its first entry)
        final java.util.function.Supplier<List<String>> tables = () -> table != null ? List.of(table)
            : java.util.Arrays.stream(BronzeTable.values()).map(t -> "bronze/" + t.table())
                .filter(t -> DeltaWrites.exists(spark, lake.root() + "/" + t)).toList();
        if (tables.get().isEmpty()) {
            throw new IllegalArgumentException("no bronze table in " + lake.root() + " yet (ecap lake-tailer loads the "
                + "journal into bronze)");
        }
        final java.util.concurrent.Callable<Long> cycle = () -> {
            for (final String t : tables.get()) {
                final long began = System.nanoTime();
                final String done = maintenance.compact(t, smallFiles);
                System.out.printf("compact %s: %s, %.1f s%n", t, done, (System.nanoTime() - began) / 1e9);
            }
            return 0L;
        };
        if (everySeconds == 0) {
            cycle.call();
            return;
        }
        System.out.printf("compact: %s, every %,d s (Ctrl-C stops)%n", table != null ? table : "the bronze tables",
            everySeconds);
        follow(everySeconds, cycle);
    }

    /**
     * Runs {@code cycle} now and then every {@code everySeconds} seconds until SIGTERM or Ctrl-C, which ask for a
     * clean stop after the cycle in hand (status 0, not the JVM's 130/143); returns the sum of what the cycles
     * returned.
     */
    private static long follow(final long everySeconds, final java.util.concurrent.Callable<Long> cycle)
        throws Exception {
        final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        for (final String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                if (stop.getCount() == 0) {
                    System.exit(130); // asked twice: at once (a Delta commit is whole or absent either way)
                }
                System.out.println("stopping once the cycle in hand is done (Ctrl-C again: at once)");
                stop.countDown();
            });
        }
        long total = 0;
        do {
            total += cycle.call();
        } while (!stop.await(everySeconds, java.util.concurrent.TimeUnit.SECONDS));
        return total;
    }

    private static KafkaToBronze.Options kafkaOptions(final Map<String, String> options, final long everySeconds) {
        final String bootstrap = options.get("--bootstrap");
        if (bootstrap == null || !bootstrap.matches("[^\\s,:]+:\\d+(,[^\\s,:]+:\\d+)*")) {
            throw new IllegalArgumentException("--bootstrap: expected HOST:PORT[,HOST:PORT...], found "
                + (bootstrap == null ? "nothing" : "'" + bootstrap + "'"));
        }
        final String starting = options.getOrDefault("--starting", "earliest");
        if (!starting.equals("earliest") && !starting.equals("latest")) {
            throw new IllegalArgumentException("--starting: expected earliest or latest, found '" + starting + "'");
        }
        return new KafkaToBronze.Options(bootstrap, everySeconds, number(options, "--dedupe-minutes", 60, 1),
            starting, number(options, "--max-records", 100_000, 1));
    }

    static LocalDate date(final Map<String, String> options, final String name, final LocalDate otherwise) {
        final String value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected a date such as 2026-11-24, found '" + value + "'");
        }
    }

    /**
     * A whole number of days from 1 to 366 (a year, leap day included), or {@code otherwise}; refused with one message
     * whatever is wrong with it.
     */
    static int days(final Map<String, String> options, final String name, final int otherwise) {
        final String given = options.get(name);
        if (given == null) {
            return otherwise;
        }
        final int days = given.matches("[0-9]{1,3}") ? Integer.parseInt(given) : 0;
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException(name + ": expected a whole number of days from 1 to " + MAX_DAYS
                + ", found '" + given + "'");
        }
        return days;
    }

    /** The most small files {@code compact --small-files} waits for. */
    static final long MAX_SMALL_FILES = 1_000_000;

    static long number(final Map<String, String> options, final String name, final long otherwise,
        final long min) {
        final String value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            final long n = Long.parseLong(value);
            if (n >= min) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": expected a whole number of at least " + min + ", found '"
            + value + "'");
    }
}
