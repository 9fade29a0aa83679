package io.ecap.lake;

import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Table care: OPTIMIZE with Z-ORDER on the columns queries filter by, VACUUM that will not go below Delta's safe
 * retention unless forced, the commit history, reading a table as it was at a version or a time, and how long rows
 * took to become visible.
 */
public final class Maintenance {
    /** Delta's default retention for VACUUM: files a reader of a 7-day-old version may still need. */
    public static final long SAFE_RETENTION_HOURS = 168;

    /** The columns each bronze table is Z-ordered by: what analysts and the silver jobs filter on. */
    static final Map<String, List<String>> ZORDER = Map.of(
        "bronze/decisions", List.of("customer_id", "merchant_id"),
        "bronze/labels", List.of("txn_id"),
        "bronze/user_events", List.of("customer_id", "session_id"),
        "bronze/product_updates", List.of("product_id"),
        "bronze/config_changes", List.of("journal_index"));

    private final SparkSession spark;
    private final Lake lake;

    public Maintenance(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /**
     * Compacts small files and Z-orders by {@code columns} (the table's usual ones when empty); returns what it did,
     * from Delta's metrics: files and bytes rewritten, partitions.
     */
    public String optimize(final String table, final List<String> columns) {
        final List<String> by = columns.isEmpty() ? ZORDER.getOrDefault(table, List.of()) : columns;
        final DeltaTable delta = open(table);
        final Dataset<Row> result = by.isEmpty() ? delta.optimize().executeCompaction()
            : delta.optimize().executeZOrderBy(by.toArray(new String[0]));
        final Row metrics = result.first().getStruct(1);
        final Row removed = metrics.getAs("filesRemoved");
        final Row added = metrics.getAs("filesAdded");
        final long filesRemoved = metrics.<Long>getAs("numFilesRemoved");
        return String.format("%,d file%s rewritten into %,d (%,d bytes into %,d) in %,d partition%s%s",
            filesRemoved, filesRemoved == 1 ? "" : "s", metrics.<Long>getAs("numFilesAdded"), removed.<Long>getAs(
                "totalSize"), added.<Long>getAs("totalSize"), metrics.<Long>getAs("partitionsOptimized"),
            metrics.<Long>getAs("partitionsOptimized") == 1 ? "" : "s", by.isEmpty() ? "" : ", ordered by "
                + String.join(", ", by));
    }

    /**
     * Compacts each month of {@code table} holding at least {@code smallFiles} small files (as the loading jobs do
     * every tenth version, but now); returns what it did: the small files rewritten, into how many, and the months.
     */
    public String compact(final String table, final int smallFiles) {
        final DeltaWrites.Compaction done = DeltaWrites.compactMonths(spark, path(table), smallFiles);
        return done.months().isEmpty() ? String.format("no month with %,d small files", smallFiles)
            : String.format("%,d small files rewritten into %,d, months %s", done.filesRemoved(), done.filesAdded(),
                String.join(", ", done.months()));
    }

    /** A lag in seconds as people read it: 14.3 s, 2.5 min, 3.1 h, 199.8 days. */
    static String seconds(final Object value) {
        if (value == null) {
            return "-";
        }
        final double s = ((Number) value).doubleValue();
        return s < 120 ? String.format(java.util.Locale.ROOT, "%.1f s", s) : s < 7_200 ? String.format(
            java.util.Locale.ROOT, "%.1f min", s / 60) : s < 172_800 ? String.format(java.util.Locale.ROOT, "%.1f h",
            s / 3_600) : String.format(java.util.Locale.ROOT, "%,.1f days", s / 86_400);
    }

    /**
     * Deletes files no version within {@code retainHours} needs; returns how many it deleted. Below
     * {@link #SAFE_RETENTION_HOURS} it refuses unless {@code force}: readers and time travel to older versions would
     * lose their files.
     */
    public long vacuum(final String table, final long retainHours, final boolean force) {
        checkRetention(retainHours, force);
        final DeltaTable delta = open(table);
        final String check = "spark.databricks.delta.retentionDurationCheck.enabled";
        final String before = spark.conf().get(check, "true");
        spark.conf().set(check, Boolean.toString(!force));
        // Delta prints its count ("Deleted N files and directories in a total of M directories.") to Scala's console
        // on this thread: taken in here, so that the commands say it in their own words and nothing else prints
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (PrintStream console = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            scala.Console.withOut(console, (scala.Function0<Object>) () -> delta.vacuum(retainHours));
        } finally {
            spark.conf().set(check, before);
        }
        return deletedCount(said.toString(StandardCharsets.UTF_8));
    }

    private static final Pattern DELETED = Pattern.compile("Deleted ([0-9,]+) files");

    /** The count of Delta's vacuum line, 0 when it said none. */
    static long deletedCount(final String said) {
        final Matcher m = DELETED.matcher(said);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : 0;
    }

    /** Refuses a retention below {@link #SAFE_RETENTION_HOURS} unless forced. */
    static void checkRetention(final long retainHours, final boolean force) {
        if (retainHours < 0) {
            throw new IllegalArgumentException("--retain-hours: expected 0 or more, found " + retainHours);
        }
        if (retainHours < SAFE_RETENTION_HOURS && !force) {
            throw new IllegalArgumentException("--retain-hours " + retainHours + " is below the safe default of "
                + SAFE_RETENTION_HOURS + " hours: versions younger than that could lose their files; add --force if "
                + "no reader needs them");
        }
    }

    /** The table's commits, newest first. */
    public Dataset<Row> history(final String table, final int limit) {
        return open(table).history(limit).select("version", "timestamp", "operation", "operationParameters");
    }

    /**
     * The table now or as it was at a version or a time. A version or time the table no longer has (or never had)
     * is a usage error naming the option and the versions there are, not Delta's stack trace.
     */
    public Dataset<Row> read(final String table, final TimeTravel travel) {
        final String path = path(table);
        requireDelta(table, path);
        if (travel.version() == null && travel.time() == null) {
            return spark.read().format("delta").load(path);
        }
        final Row span = DeltaTable.forPath(spark, path).history().selectExpr("min(version)", "max(version)",
            "min(timestamp)", "max(timestamp)").first();
        final String versions = "the table has versions " + span.getLong(0) + " (" + span.get(2) + " UTC) to "
            + span.getLong(1) + " (" + span.get(3) + " UTC)";
        final String option = travel.version() != null ? "--version " + travel.version()
            : "--timestamp " + travel.text();
        if (travel.version() != null && (travel.version() < span.getLong(0) || travel.version() > span.getLong(1))) {
            throw new IllegalArgumentException(option + ": no such version; " + versions);
        }
        if (travel.time() != null && travel.epochMillis() < span.getTimestamp(2).getTime()) {
            throw new IllegalArgumentException(option + ": before the oldest version kept; " + versions);
        }
        if (travel.time() != null && travel.epochMillis() > System.currentTimeMillis()) {
            throw new IllegalArgumentException(option + ": in the future (the table at a time not yet reached is "
                + "unknown); " + versions + " (without --timestamp, show reads the newest)");
        }
        // a time after the newest commit (and not in the future): the table then was its newest version
        final Long version = travel.version() != null ? travel.version()
            : travel.epochMillis() > span.getTimestamp(3).getTime() ? Long.valueOf(span.getLong(1)) : null;
        try {
            return version != null
                ? spark.read().format("delta").option("versionAsOf", version).load(path)
                : spark.read().format("delta").option("timestampAsOf", travel.sparkTime()).load(path);
        } catch (final Exception e) {
            // Delta's AnalysisExceptions (a version whose log or files are gone) are not declared in Java
            if (e instanceof AnalysisException) {
                throw new IllegalArgumentException(option + ": " + LakeMain.firstLine(e.getMessage()) + "; "
                    + versions);
            }
            throw e;
        }
    }

    /** The table now. */
    public Dataset<Row> current(final String table) {
        return read(table, TimeTravel.NOW);
    }

    private DeltaTable open(final String table) {
        final String path = path(table);
        requireDelta(table, path);
        return DeltaTable.forPath(spark, path);
    }

    /**
     * How long rows took to become visible: for each row {@code where} selects, from its {@code event_ts} to the
     * commit that added its data file. Commit times come from the table's own log ({@code _delta_log/*.json}: a
     * commit's {@code add} actions and its {@code commitInfo.timestamp}), joined to rows by data file name
     * ({@code _metadata}). For rows stamped with the moment they were sent (a probe), this is the end-to-end lag.
     * Returns the number of rows and the median, 90th and 99th percentile and maximum lag in seconds.
     */
    public Row lag(final String table, final String where) {
        final String path = path(table);
        requireDelta(table, path);
        spark.read().json(path + "/_delta_log/*.json").selectExpr("input_file_name() AS commit_file", "add",
            "commitInfo").createOrReplaceTempView("delta_log");
        final Dataset<Row> chosen;
        try {
            chosen = spark.read().format("delta").load(path).where(where);
        } catch (final Exception e) {
            if (e instanceof AnalysisException) { // the condition does not parse, or names no column of the table
                throw new IllegalArgumentException("--where: " + LakeMain.firstLine(e.getMessage()));
            }
            throw e;
        }
        chosen.selectExpr("event_ts", "_metadata.file_name AS file_name").createOrReplaceTempView("chosen_rows");
        return spark.sql(String.join("\n",
            "WITH adds AS (SELECT commit_file, regexp_extract(add.path, '[^/]+$', 0) AS file_name FROM delta_log",
            "    WHERE add IS NOT NULL),",
            "  commits AS (SELECT commit_file, commitInfo.timestamp AS visible_ms FROM delta_log",
            "    WHERE commitInfo IS NOT NULL),",
            "  lags AS (SELECT (c.visible_ms - unix_millis(r.event_ts)) / 1000.0 AS lag_s",
            "    FROM chosen_rows r JOIN adds a ON r.file_name = a.file_name",
            "    JOIN commits c ON a.commit_file = c.commit_file)",
            "SELECT count(*) AS rows, percentile(lag_s, 0.5) AS p50_s, percentile(lag_s, 0.9) AS p90_s,",
            "  percentile(lag_s, 0.99) AS p99_s, max(lag_s) AS max_s FROM lags")).first();
    }

    private void requireDelta(final String table, final String path) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            throw new IllegalArgumentException("--table " + table + ": no Delta table at " + path);
        }
    }

    private String path(final String table) {
        checkTableName(table);
        return lake.root() + "/" + table;
    }

    /** A table is named by its layer and name, such as {@code bronze/decisions}. */
    static void checkTableName(final String table) {
        if (table == null) {
            throw new IllegalArgumentException("--table is required (for example bronze/decisions)");
        }
        if (!table.matches("(bronze|silver|gold|audit)/[a-z0-9_]+")) {
            throw new IllegalArgumentException("--table: expected layer/name such as bronze/decisions, found '"
                + table + "'");
        }
    }
}
