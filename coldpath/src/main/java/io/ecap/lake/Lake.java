package io.ecap.lake;

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
        final SparkSession.Builder builder = SparkSession.builder().appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC");
        if (System.getProperty("spark.master") == null) {
            builder.master("local[*]").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.databricks.delta.snapshotPartitions", "2");
        }
        return builder.getOrCreate();
    }
}
