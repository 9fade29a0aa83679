package io.ecap.lake;

import io.ecap.model.storage.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Where the lake is and the Spark session its jobs share: a root folder (a local path by default; an {@code s3a://}
 * URI works with the usual Hadoop settings) holding {@code bronze/}, {@code silver/} and {@code gold/}, and
 * {@code _journal/} where the engine's side stages journal entries, and {@code _checkpoints/} where streaming jobs keep
 * their progress.
 */
public final class Lake {
    private final String root;

    public Lake(final String root) {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("--lake: expected a folder or URI");
        }
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    public String root() {
        return root;
    }

    public String bronze(final String table) {
        return root + "/bronze/" + table;
    }

    public String silver(final String table) {
        return root + "/silver/" + table;
    }

    public String gold(final String table) {
        return root + "/gold/" + table;
    }

    /** The model registry's folder of a model family: {@code <root>/models/<name>/<version>.model}. */
    public String models(final String name) {
        return root + "/models/" + name;
    }

    public String staging() {
        return root + "/_journal";
    }

    /** Where a streaming job keeps its progress (Kafka offsets, de-duplication state). */
    public String checkpoint(final String job) {
        return root + "/_checkpoints/" + job;
    }

    /**
     * A session with Delta enabled. With no master configured (not under spark-submit) it runs {@code local[*]}, with
     * few shuffle and snapshot partitions: on a laptop, Delta's default of 50 tasks to rebuild each table snapshot
     * costs more than the work.
     */
    public static SparkSession session(final String appName) {
        return session(appName, S3Settings.fromEnvironment());
    }

    /** {@link #session(String)} with Hadoop settings of its own ({@link S3Settings}: a lake on an S3 server). */
    public static SparkSession session(final String appName, final Map<String, String> hadoop) {
        final SparkSession.Builder builder = SparkSession.builder().appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC");
        if (System.getProperty("spark.master") == null) {
            builder.master("local[*]").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.databricks.delta.snapshotPartitions", "2");
        }
        hadoop.forEach((key, value) -> builder.config("spark.hadoop." + key, value));
        final SparkSession spark = builder.getOrCreate();
        // a context that was already running keeps its own Hadoop settings: these join them (file systems made from
        // here on read them)
        hadoop.forEach(spark.sparkContext().hadoopConfiguration()::set);
        return spark;
    }

    /**
     * Bronze, silver and the staged journal together below this many bytes: a small lake, whose jobs run faster with
     * Spark's code generation off (measured on the demo's 69 MB lake: rfm 24-30 s against 31-35 s, bronze-to-silver
     * and silver-to-gold 67 s against 75 s; compiling generated code costs more than it saves on a few thousand rows).
     * Above it the code generation stays on; where the break-even lies has not been measured. The launcher
     * ({@code ecap}) has a smaller limit of its own, below which it also keeps the JIT to its quick compiler.
     */
    static final long SMALL_BYTES = 128L << 20;

    /**
     * Turns Spark's code generation off for this session when the lake is local and small ({@link #SMALL_BYTES}),
     * unless {@code spark.sql.codegen.wholeStage} was set by the user. Returns whether it did.
     */
    public boolean fitSession(final SparkSession spark) {
        if (System.getProperty("spark.sql.codegen.wholeStage") != null) {
            return false;
        }
        final long bytes = localBytes(root, "bronze") + localBytes(root, "silver") + localBytes(root, "_journal");
        if (bytes < 0 || bytes >= SMALL_BYTES) {
            return false;
        }
        spark.conf().set("spark.sql.codegen.wholeStage", "false");
        spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        return true;
    }

    /** Bytes of the files in a local lake's layer (0 when it does not exist yet), or -1 for a lake behind a URI. */
    static long localBytes(final String root, final String layer) {
        if (root.contains("://")) {
            return -1;
        }
        final Path folder = Path.of(root, layer);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (final IOException | UncheckedIOException e) {
            return -1;
        }
    }
}
