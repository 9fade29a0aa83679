package io.ecap.lake;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Table care: OPTIMIZE with Z-ORDER on the columns queries filter by, VACUUM that will not go below Delta's safe
 * retention unless forced, the commit history, and reading a table as it was at a version or a time.
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

    /** Compacts small files and Z-orders by {@code columns} (the table's usual ones when empty); returns metrics. */
    public Row optimize(final String table, final List<String> columns) {
        final List<String> by = columns.isEmpty() ? ZORDER.getOrDefault(table, List.of()) : columns;
        final DeltaTable delta = open(table);
        final Dataset<Row> result = by.isEmpty() ? delta.optimize().executeCompaction()
            : delta.optimize().executeZOrderBy(by.toArray(new String[0]));
        return result.first();
    }

    /**
     * Deletes files no version within {@code retainHours} needs. Below {@link #SAFE_RETENTION_HOURS} it refuses
     * unless {@code force}: readers and time travel to older versions would lose their files.
     */
    public void vacuum(final String table, final long retainHours, final boolean force) {
        checkRetention(retainHours, force);
        final DeltaTable delta = open(table);
        final String check = "spark.databricks.delta.retentionDurationCheck.enabled";
        final String before = spark.conf().get(check, "true");
        spark.conf().set(check, Boolean.toString(!force));
        try {
            delta.vacuum(retainHours);
        } finally {
            spark.conf().set(check, before);
        }
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
     * The table as it was at a version (a whole number) or a time ({@code 2026-11-24} or
     * {@code 2026-11-24 10:15:00}, UTC).
     */
    public Dataset<Row> asOf(final String table, final String versionOrTime) {
        final String path = path(table);
        requireDelta(table, path);
        if (versionOrTime.matches("\\d+")) {
            return spark.read().format("delta").option("versionAsOf", Long.parseLong(versionOrTime)).load(path);
        }
        if (!versionOrTime.matches("\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?")) {
            throw new IllegalArgumentException("--as-of: expected a version number or a time like 2026-11-24 or "
                + "2026-11-24 10:15:00, found '" + versionOrTime + "'");
        }
        return spark.read().format("delta").option("timestampAsOf", versionOrTime.replace('T', ' ')).load(path);
    }

    /** The table now. */
    public Dataset<Row> current(final String table) {
        final String path = path(table);
        requireDelta(table, path);
        return spark.read().format("delta").load(path);
    }

    private DeltaTable open(final String table) {
        final String path = path(table);
        requireDelta(table, path);
        return DeltaTable.forPath(spark, path);
    }

    private void requireDelta(final String table, final String path) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            throw new IllegalArgumentException("--table " + table + ": no Delta table at " + path);
        }
    }

    private String path(final String table) {
        if (table == null || !table.matches("(bronze|silver|gold)/[a-z0-9_]+")) {
            throw new IllegalArgumentException("--table: expected layer/name such as bronze/decisions, found '"
                + table + "'");
        }
        return lake.root() + "/" + table;
    }
}
