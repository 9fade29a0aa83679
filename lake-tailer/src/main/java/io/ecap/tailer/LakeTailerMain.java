package io.ecap.tailer;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.model.storage.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ecap lake-tailer}: the journal straight into the lake's bronze Delta tables ({@link LakeTailer}). */
@Command(name = "ecap lake-tailer", mixinStandardHelpOptions = true, version = "ecap 0.1.0",
    subcommands = SimulateCommand.class,
    description = {
        "Load the engine's journal into the lake's bronze Delta tables (Parquet files and Delta commits "
            + "through Delta Kernel, no Spark), exactly once, beside a live engine (the journal is opened read-only).",
        "Follows the journal until stopped (Ctrl-C, SIGTERM: the batch in hand is committed first); --once loads "
            + "what is there and stops. Same tables, columns and commit tags as 'ecap export-lake' + 'ecap lake "
            + "journal-to-bronze', which it replaces; the two can take turns on one lake."})
public final class LakeTailerMain implements Callable<Integer> {
    /** Held so that its level stays (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger AWS_BASE64_LOG = java.util.logging.Logger.getLogger(
        "com.amazonaws.util.Base64");

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
        description = "data folder with the engine's journal (default: ${DEFAULT-VALUE})")
    private Path data;

    @Option(names = "--lake", paramLabel = "DIR", description = "lake root: a local folder, or an s3a:// URI "
        + "(ECAP_S3_ENDPOINT names an S3-compatible server; default: <data>/lake)")
    private String lake;

    @Option(names = "--once", description = "load what the journal has now, then stop")
    private boolean once;

    @Option(names = "--interval-ms", defaultValue = "1000", paramLabel = "MS",
        description = "commit new entries at most this often, following (default: ${DEFAULT-VALUE})")
    private long intervalMs;

    @Option(names = "--batch", defaultValue = "100000", paramLabel = "ENTRIES",
        description = "most journal entries in one commit (default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "serve Prometheus metrics on http://HOST:PORT/metrics while following (0: any free port; "
            + "default: none)")
    private Integer metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
        description = "address of the metrics endpoint (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
    private String metricsHost;

    /**
     * For the crash tests: {@code -Decap.tailer.haltAfter=TABLE} ends the process abruptly (as a kill would) right
     * after that table's first commit, {@code -Decap.tailer.haltBefore=TABLE} once its Parquet files are written and
     * before it commits them.
     */
    private static void afterCommit(final String table, final long version) {
        if (table.equals(System.getProperty("ecap.tailer.haltAfter"))) {
            Runtime.getRuntime().halt(3);
        }
    }

    private static void beforeCommit(final String path) {
        final String table = System.getProperty("ecap.tailer.haltBefore");
        if (table != null && path.endsWith("/bronze/" + table)) {
            Runtime.getRuntime().halt(3);
        }
    }

    public static void main(final String[] args) {
        quietByDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // a new table has no checkpoint yet, and this machine no native Hadoop library: both are normal
        quietByDefault("org.slf4j.simpleLogger.log.io.delta.kernel.internal.snapshot.SnapshotManager", "error");
        quietByDefault("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
        // "Failed to load checkpoint metadata ... Retrying": with a stack trace, before the error that says why
        quietByDefault("org.slf4j.simpleLogger.log.io.delta.kernel.internal.checkpoints.Checkpointer", "error");
        quietByDefault("org.slf4j.simpleLogger.log.org.apache.hadoop.fs.FileSystem", "error");
        // the S3 connector: "Cannot locate configuration" of its metrics, a note said on every start
        quietByDefault("org.slf4j.simpleLogger.log.org.apache.hadoop.metrics2.impl.MetricsConfig", "error");
        // the AWS SDK's "JAXB is unavailable" (java.util.logging): it has its own Base64, which is what runs here
        AWS_BASE64_LOG.setLevel(java.util.logging.Level.SEVERE);
        final CommandLine cli = new CommandLine(new LakeTailerMain());
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(cli.getCommandSpec().version()));
        cli.setParameterExceptionHandler((e, args1) -> {
            final String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println(command + ": " + e.getMessage() + " (" + command + " --help: the "
                + "options)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("ecap lake-tailer: " + withCause(e));
            if (Boolean.getBoolean("ecap.trace")) {
                e.printStackTrace();
            }
            // a bad argument, a folder another tailer holds, storage that refuses the keys or has no such bucket:
            // the caller has to change something
            return e instanceof IllegalArgumentException || e.getMessage() != null
                && e.getMessage().contains("is in use by another") || S3Settings.refusal(e) != null ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }

    private static void quietByDefault(final String logger, final String level) {
        System.setProperty(logger, System.getProperty(logger, level));
    }

    private MetricsServer metrics(final TailerStats stats) {
        try {
            return MetricsServer.start(metricsHost, metricsPort, stats);
        } catch (final java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("--metrics-port: cannot listen on " + metricsHost + ":" + metricsPort
                + " (" + e.getMessage() + "; another process may hold it)", e);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (intervalMs < 1 || intervalMs > 3_600_000) {
            throw new IllegalArgumentException("--interval-ms: expected 1 to 3600000 (an hour), found " + intervalMs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch: expected at least 1, found " + batch);
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
            throw new IllegalArgumentException("--metrics-port: expected 0 to 65535, found " + metricsPort);
        }
        if (metricsPort != null && once) {
            throw new IllegalArgumentException("--metrics-port: only while following (without --once)");
        }
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data: " + data + " is a file, not a data folder");
        }
        final Path journal = data.resolve("journal");
        if (!Files.isDirectory(journal)) {
            throw new IllegalArgumentException("--data: no journal in " + data.toAbsolutePath()
                + " (run 'ecap score' or 'ecap run' first)");
        }
        final Configuration hadoop = new Configuration();
        S3Settings.fromEnvironment().forEach(hadoop::set);
        // no dictionary pages: encoding each value through a dictionary was a third of the Parquet writers' time, and
        // the files are about as small without (measured: docs/PERFORMANCE.md, lake tailer)
        hadoop.set("parquet.enable.dictionary", "false");
        final String root;
        if (lake != null && lake.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            S3Settings.checkLake(lake, "--lake");
            checkFileSystem(lake, hadoop);
            root = lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
        } else {
            final Path local = (lake != null ? Path.of(lake) : data.resolve("lake")).toAbsolutePath().normalize();
            if (Files.exists(local) && !Files.isDirectory(local)) {
                throw new IllegalArgumentException("--lake: " + local + " is a file, not a folder");
            }
            root = local.toString();
        }
        LakeJournal.check(root, hadoop, journal);
        LakeFeatureNames.record(hadoop, root, io.ecap.hotpath.features.FeatureCatalog.names());
        final BronzeCommitter committer = new BronzeCommitter(DefaultEngine.create(hadoop),
            LakeTailerMain::beforeCommit);
        try (LakeTailer tailer = new LakeTailer(journal, root, data.resolve("lake-tailer"), batch,
            committer, LakeTailerMain::afterCommit)) {
            tailer.pauseFor(new ErasurePause(root, hadoop, System.out::println));
            final long began = System.nanoTime();
            if (once) {
                tailer.catchUp();
            } else {
                // SIGTERM and Ctrl-C ask for a clean stop: the batch in hand is committed, then the command ends
                // normally, with status 0 (the JVM's own handling would end it with 143)
                final AtomicBoolean stop = new AtomicBoolean();
                for (final String name : new String[] {"TERM", "INT"}) {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.set(true));
                }
                System.out.printf("following %s into %s/bronze, a commit at most every %,d ms (Ctrl-C stops); "
                    + "progress once a minute%n", journal, root, intervalMs);
                try (MetricsServer metrics = metricsPort == null ? null : metrics(tailer.stats())) {
                    if (metrics != null) {
                        System.out.printf("metrics on http://%s:%d/metrics%n", metricsHost, metrics.port());
                    }
                    tailer.follow(intervalMs, stop::get, stats -> System.out.printf("%s so far; bronze has the "
                        + "journal up to index %#x%n", stats, tailer.mark()));
                }
            }
            System.out.printf("%s, in %.1f s; bronze has the journal up to index %#x%n", tailer.stats(),
                (System.nanoTime() - began) / 1e9, tailer.mark());
        }
        return 0;
    }

    /** A lake behind a URI needs Hadoop's file system for its scheme: this classpath has s3a:// (and file://). */
    private static void checkFileSystem(final String lake, final Configuration hadoop) {
        final String scheme = lake.substring(0, lake.indexOf("://"));
        try {
            org.apache.hadoop.fs.FileSystem.getFileSystemClass(scheme, hadoop);
        } catch (final java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("--lake: " + lake + ": no Hadoop file system for " + scheme
                + ":// here; the lake tailer writes to local folders and s3a:// URIs (docs/LAKE.md)");
        }
    }

    /** A failure's message, and its cause's where that says more (a storage error under Delta Kernel's words). */
    static String withCause(final Throwable e) {
        final String message = String.valueOf(e.getMessage());
        final Throwable cause = e.getCause();
        if (cause == null || cause.getMessage() == null || message.contains(cause.getMessage())) {
            return message;
        }
        final String because = cause.getMessage().strip().lines().findFirst().orElse("");
        return message + " (" + (because.length() > 300 ? because.substring(0, 300) + "..." : because) + ")";
    }
}
