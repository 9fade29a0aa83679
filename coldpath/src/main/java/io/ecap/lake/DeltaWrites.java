package io.ecap.lake;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The few ways the lake's jobs write Delta tables, in one place. A table is created on first use with the rows'
 * schema, partitioned by {@code event_date} when the rows have it.
 */
final class DeltaWrites {
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
        partitioned(rows.write().format("delta").mode("append").option("mergeSchema", "true")
            .option("txnAppId", appId).option("txnVersion", version), rows).save(path);
    }

    /** Inserts the rows whose key ({@code on}, over {@code t} the table and {@code s} the rows) is not there yet. */
    static void insertNew(final SparkSession spark, final Dataset<Row> rows, final String path, final String on) {
        create(spark, rows, path);
        DeltaTable.forPath(spark, path).as("t").merge(rows.as("s"), on).whenNotMatched().insertAll().execute();
    }

    /**
     * Replaces the rows whose key is there and differ (in any column but {@code updated_at}, which says when a row
     * last changed) and inserts the others; rows that did not change are not rewritten.
     */
    static void upsert(final SparkSession spark, final Dataset<Row> rows, final String path, final String on) {
        create(spark, rows, path);
        final String same = Arrays.stream(rows.columns()).filter(c -> !c.equals("updated_at"))
            .map(c -> "t.`" + c + "` <=> s.`" + c + "`").collect(Collectors.joining(" AND "));
        DeltaTable.forPath(spark, path).as("t").merge(rows.as("s"), on).whenMatched("NOT (" + same + ")")
            .updateAll().whenNotMatched().insertAll().execute();
    }

    /**
     * Writes {@code rows} as the {@code as_of} day's partition of a table partitioned by {@code as_of}, replacing
     * what that day had and leaving the other days: an analytics job rerun for a day replaces its own output.
     * Returns the rows now in that day.
     */
    static long replaceDay(final SparkSession spark, final Dataset<Row> rows, final String path,
        final LocalDate asOf) {
        final String day = "as_of = DATE'" + asOf + "'";
        final Dataset<Row> dated = rows.selectExpr("*", "DATE'" + asOf + "' AS as_of");
        if (exists(spark, path)) {
            sameTypes(spark.read().format("delta").load(path).schema(), dated.schema(), path);
        }
        dated.write().format("delta").mode("overwrite").partitionBy("as_of").option("replaceWhere", day)
            .option("mergeSchema", "true").save(path);
        return spark.read().format("delta").load(path).where(day).count();
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
        if (!exists(spark, path)) {
            partitioned(rows.limit(0).write().format("delta"), rows).save(path);
        }
    }

    private static DataFrameWriter<Row> partitioned(final DataFrameWriter<Row> writer, final Dataset<Row> rows) {
        return Arrays.asList(rows.columns()).contains("event_date") ? writer.partitionBy("event_date") : writer;
    }
}
