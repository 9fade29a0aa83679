package io.ecap.lake;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The few ways the lake's jobs write Delta tables, in one place. A table is created on first use with the rows'
 * schema. When the rows have an {@code event_date}, the table gets a generated column {@code event_month} (the first
 * day of the event's month) and is partitioned by it: one folder per month whatever the volume (a small shop's year
 * is twelve folders, not 365 of tiny files), and Delta turns a filter on {@code event_date} into one on the month,
 * so queries by day still read only their month. The loading jobs compact a month once it holds many small files
 * ({@link #compactSmallFiles}). Tables an earlier ECAP created by day keep their layout.
 */
final class DeltaWrites {
    /** The partition column of event tables, generated from {@code event_date}. */
    static final String MONTH = "event_month";
    /**
     * How many small files a month gathers before a write compacts it: 50, or the Spark setting
     * {@code spark.ecap.lake.smallFiles}.
     */
    static final String SMALL_FILES_SETTING = "spark.ecap.lake.smallFiles";
    /** Writes look for months to compact at every this many table versions (the check costs a small Spark job). */
    static final long COMPACT_EVERY_VERSIONS = 10;
    /** Files below this size are small; compaction rewrites only those (into files of up to 1 GB). */
    static final long SMALL_FILE_BYTES = 32L << 20;

    private DeltaWrites() {
    }

    static boolean exists(final SparkSession spark, final String path) {
        return DeltaTable.isDeltaTable(spark, path);
    }

    /**
     * Appends in one commit tagged with Delta's {@code txnAppId}/{@code txnVersion}: the table keeps the highest
     * version committed per application and skips a write whose version is not above it, so the same write retried
     * after a crash lands once. New columns are merged into the table's schema.
     */
    static void appendOnce(final Dataset<Row> rows, final String path, final String appId, final long version) {
        create(rows.sparkSession(), rows, path);
        // a table the lake tailer (Delta Kernel) created has a plain month column, which an append must fill
        withMonth(rows.sparkSession(), rows, path).write().format("delta").mode("append")
            .option("mergeSchema", "true")
            .option("txnAppId", appId).option("txnVersion", version).save(path);
        compactSmallFiles(rows.sparkSession(), path);
    }

    /**
     * After a write: at every {@link #COMPACT_EVERY_VERSIONS}th version of the table, compacts each month that holds
     * enough small files ({@link #SMALL_FILES_SETTING}), leaving larger files alone, so that a continuous export (a
     * small file per table and commit) does not pile up thousands of them. Compaction changes files, not rows:
     * readers, streams and time travel see the same data.
     *
     * @return the months compacted.
     */
    static List<String> compactSmallFiles(final SparkSession spark, final String path) {
        final Snapshot snapshot = DeltaLog.forTable(spark, path).unsafeVolatileSnapshot();
        final int smallFiles = smallFiles(spark.conf().get(SMALL_FILES_SETTING, "50"));
        if (snapshot.version() % COMPACT_EVERY_VERSIONS != 0) {
            return List.of();
        }
        return compactMonths(spark, path, smallFiles).months();
    }

    /** What a compaction did: the months it rewrote, and its files (from Delta's OPTIMIZE metrics). */
    record Compaction(List<String> months, long filesRemoved, long filesAdded) {
    }

    /**
     * Compacts, now, each month of the table at {@code path} that holds at least {@code smallFiles} files under
     * {@link #SMALL_FILE_BYTES}, rewriting only those; returns the months compacted. A table not partitioned by month,
     * or with fewer files, is left alone. Beside a writer that only appends (the lake tailer, a loading job) this is
     * safe: Delta lets a compaction and an append commit in either order.
     */
    static Compaction compactMonths(final SparkSession spark, final String path, final int smallFiles) {
        final Snapshot snapshot = DeltaLog.forTable(spark, path).update(false, scala.Option.empty(),
            scala.Option.empty());
        if (!snapshot.metadata().partitionColumns().contains(MONTH) || snapshot.numOfFiles() < smallFiles) {
            return new Compaction(List.of(), 0, 0);
        }
        final List<String> months = snapshot.allFiles().toDF().where("size < " + SMALL_FILE_BYTES)
            .groupBy(functions.col("partitionValues").getItem(MONTH).as("month")).count()
            .where("count >= " + smallFiles).orderBy("month").collectAsList().stream()
            .map(row -> row.getString(0)).collect(Collectors.toList());
        final String minSize = "spark.databricks.delta.optimize.minFileSize";
        final String before = spark.conf().get(minSize, null);
        spark.conf().set(minSize, Long.toString(SMALL_FILE_BYTES));
        long removed = 0;
        long added = 0;
        try {
            for (final String month : months) {
                final Row metrics = DeltaTable.forPath(spark, path).optimize().where(MONTH + " = DATE'" + month + "'")
                    .executeCompaction().first().getStruct(1);
                removed += metrics.<Long>getAs("numFilesRemoved");
                added += metrics.<Long>getAs("numFilesAdded");
            }
        } finally {
            if (before == null) {
                spark.conf().unset(minSize);
            } else {
                spark.conf().set(minSize, before);
            }
        }
        return new Compaction(months, removed, added);
    }

    /** Inserts the rows whose key ({@code on}, over {@code t} the table and {@code s} the rows) is not there yet. */
    static void insertNew(final SparkSession spark, final Dataset<Row> rows, final String path, final String on) {
        create(spark, rows, path);
        DeltaTable.forPath(spark, path).as("t").merge(withMonth(spark, rows, path).as("s"), on).whenNotMatched()
            .insertAll().execute();
        compactSmallFiles(spark, path);
    }

    /**
     * Replaces the rows whose key is there and differ (in any column but {@code updated_at}, which says when a row
     * last changed) and inserts the others; rows that did not change are not rewritten.
     */
    static void upsert(final SparkSession spark, final Dataset<Row> rows, final String path, final String on) {
        upsert(spark, rows, path, on, java.util.Set.of("updated_at"));
    }

    /** As above, {@code bookkeeping} naming the columns that say where and when a row came, not what it holds. */
    static void upsert(final SparkSession spark, final Dataset<Row> rows, final String path, final String on,
        final java.util.Set<String> bookkeeping) {
        create(spark, rows, path);
        final Dataset<Row> source = withMonth(spark, rows, path);
        final String same = Arrays.stream(source.columns()).filter(c -> !bookkeeping.contains(c))
            .map(c -> "t.`" + c + "` <=> s.`" + c + "`").collect(Collectors.joining(" AND "));
        DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), on).whenMatched("NOT (" + same + ")")
            .updateAll().whenNotMatched().insertAll().execute();
        compactSmallFiles(spark, path);
    }

    /** Checks the lake's own Spark setting (a system property, or null when not given) before Spark starts. */
    static void checkSettings(final String smallFilesSetting) {
        if (smallFilesSetting != null) {
            smallFiles(smallFilesSetting);
        }
    }

    private static int smallFiles(final String setting) {
        try {
            final int n = Integer.parseInt(setting.trim());
            if (n >= 2) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(SMALL_FILES_SETTING + ": expected a whole number of at least 2, found '"
            + setting + "'");
    }

    /** The rows with the table's generated month column, which MERGE (unlike an append) does not compute itself. */
    private static Dataset<Row> withMonth(final SparkSession spark, final Dataset<Row> rows, final String path) {
        final boolean tableHasIt = Arrays.asList(DeltaTable.forPath(spark, path).toDF().columns()).contains(MONTH);
        return tableHasIt && !Arrays.asList(rows.columns()).contains(MONTH)
            ? rows.withColumn(MONTH, functions.expr("TRUNC(event_date, 'MM')")) : rows;
    }

    /**
     * Writes {@code rows} as the {@code as_of} day's partition of a table partitioned by {@code as_of}, replacing
     * what that day had and leaving the other days: an analytics job rerun for a day replaces its own output.
     * Returns the rows now in that day.
     */
    static long replaceDay(final SparkSession spark, final Dataset<Row> rows, final String path,
        final LocalDate asOf) {
        return replaceDay(spark, rows, path, asOf, null);
    }

    /**
     * As {@link #replaceDay(SparkSession, Dataset, String, LocalDate)}, replacing only the day's rows that also
     * match {@code alsoWhere} (a SQL condition on the rows' columns, e.g. one kind of period among several kept side
     * by side), or all of the day's when null.
     */
    static long replaceDay(final SparkSession spark, final Dataset<Row> rows, final String path,
        final LocalDate asOf, final String alsoWhere) {
        final String day = "as_of = DATE'" + asOf + "'" + (alsoWhere == null ? "" : " AND (" + alsoWhere + ")");
        final Dataset<Row> dated = rows.selectExpr("*", "DATE'" + asOf + "' AS as_of");
        if (exists(spark, path)) {
            sameTypes(spark.read().format("delta").load(path).schema(), dated.schema(), path);
        }
        dated.write().format("delta").mode("overwrite").partitionBy("as_of").option("replaceWhere", day)
            .option("mergeSchema", "true").save(path);
        final long written = rowsOfLastCommit(spark, path);
        return written >= 0 ? written : spark.read().format("delta").load(path).where(day).count();
    }

    /**
     * The rows this session's last commit to the table wrote, from the metrics Delta keeps in the commit itself (read
     * on the driver: no Spark job, unlike counting the table again), or -1 when the commit has none
     * ({@code spark.databricks.delta.history.metricsEnabled=false}). After a write the session's snapshot of the table
     * is the version that write committed.
     */
    static long rowsOfLastCommit(final SparkSession spark, final String path) {
        final DeltaLog log = DeltaLog.forTable(spark, path);
        final scala.collection.Iterator<scala.Tuple2<Object, scala.collection.Seq<Action>>> changes =
            log.getChanges(log.unsafeVolatileSnapshot().version(), false);
        if (!changes.hasNext()) {
            return -1;
        }
        final scala.collection.Iterator<Action> actions = changes.next()._2().iterator();
        while (actions.hasNext()) {
            final Action action = actions.next();
            if (action instanceof CommitInfo && ((CommitInfo) action).operationMetrics().isDefined()) {
                final scala.Option<String> rows = ((CommitInfo) action).operationMetrics().get().get("numOutputRows");
                return rows.isDefined() ? Long.parseLong(rows.get()) : -1;
            }
        }
        return -1;
    }

    /**
     * A column the table has with another type than the rows' (money kept as DOUBLE by an earlier ECAP, now a
     * decimal) cannot be merged: a named problem instead of Delta's schema error. New columns are merged.
     */
    private static void sameTypes(final StructType table, final StructType rows, final String path) {
        for (final StructField field : rows.fields()) {
            final int at = java.util.Arrays.asList(table.fieldNames()).indexOf(field.name());
            if (at >= 0 && !table.fields()[at].dataType().sql().equals(field.dataType().sql())) {
                throw new IllegalArgumentException(path + " keeps " + field.name() + " as "
                    + table.fields()[at].dataType().sql() + " and this job writes " + field.dataType().sql()
                    + " (an earlier ECAP wrote it): move the table away and rerun the job for each as-of day you need");
            }
        }
    }

    private static void create(final SparkSession spark, final Dataset<Row> rows, final String path) {
        if (exists(spark, path)) {
            return;
        }
        final StructType schema = rows.schema();
        if (!Arrays.asList(schema.fieldNames()).contains("event_date")) {
            rows.limit(0).write().format("delta").save(path);
            return;
        }
        // the builder takes a relative location for a table name: give it the folder's absolute path
        final String location = LakeArgs.isLocal(path) ? Path.of(path).toAbsolutePath().normalize().toString() : path;
        DeltaTable.createIfNotExists(spark).location(location).addColumns(schema)
            .addColumn(DeltaTable.columnBuilder(spark, MONTH).dataType(DataTypes.DateType)
                .generatedAlwaysAs("TRUNC(event_date, 'MM')").build())
            .partitionedBy(MONTH).execute();
    }
}
