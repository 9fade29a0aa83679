package io.ecap.lake;

import io.delta.tables.DeltaTable;
import io.ecap.model.field.IdHash;
import io.ecap.model.field.Ids;
import io.ecap.model.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Erases one customer, card, device, IP address or merchant from the lake (right to erasure): in every Delta table of
 * bronze, silver and gold, the rows whose column for that kind holds the id, and the rows whose {@code raw} entry (the
 * journal's or a Kafka record's JSON) names it, are deleted; then each table changed is vacuumed with the retention
 * given, after which no file of the table holds them. Each table's deletion is recorded in {@code audit/erasures}
 * (the id's hash, as the engine's erasure entry and the case database name it; never the id).
 */
final class LakeErasure {
    /** What can be erased: its name, the lake's column for it, and the field of a raw JSON entry that carries it. */
    enum Kind {
        CUSTOMER("customer", "customer_id", "customerId"),
        CARD("card", "card_id", "cardId"),
        DEVICE("device", "device_id", "deviceId"),
        IP("ip", "ip", "ip"),
        MERCHANT("merchant", "merchant_id", "merchantId");

        final String label;
        final String column;
        final String jsonField;

        Kind(final String label, final String column, final String jsonField) {
            this.label = label;
            this.column = column;
            this.jsonField = jsonField;
        }
    }

    /** The audit table, under the lake's root. */
    static final String AUDIT = "audit/erasures";
    private static final List<String> LAYERS = List.of("bronze", "silver", "gold");
    private static final StructType AUDIT_SCHEMA = new StructType()
        .add("erased_at", DataTypes.TimestampType, false)
        .add("kind", DataTypes.StringType, false)
        .add("id_hash", DataTypes.StringType, false)
        .add("actor", DataTypes.StringType, false)
        .add("reason", DataTypes.StringType, false)
        .add("table_name", DataTypes.StringType, false)
        .add("rows_deleted", DataTypes.LongType, false)
        .add("retain_hours", DataTypes.LongType, false);

    /** What was erased from one table. */
    record Deleted(String table, long rows) {
    }

    private final SparkSession spark;
    private final Lake lake;

    LakeErasure(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** The id checked and in its canonical form ({@code option} names it in an error), as transactions carry it. */
    static String canonical(final Kind kind, final String id, final String option) {
        return Ids.canonical(kind == Kind.IP, id, option);
    }

    /** The id's hash as the engine and the case database name it: 16 hex digits. */
    static String idHash(final String canonicalId) {
        final byte[] bytes = canonicalId.getBytes(StandardCharsets.US_ASCII);
        return String.format("%016x", IdHash.hash(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    /**
     * Deletes the entity's rows everywhere, vacuums the tables changed, records it. Returns the tables it deleted from
     * (none when the lake did not hold the entity; the request is recorded all the same).
     */
    List<Deleted> erase(final Kind kind, final String canonicalId, final String actor, final String reason,
        final long retainHours, final boolean force) throws IOException {
        final Maintenance maintenance = new Maintenance(spark, lake);
        final List<Deleted> deleted = new ArrayList<>();
        // the id's hash, and that of the id as a raw JSON entry writes it (escapes kept), once for every table
        final String json = new JsonWriter().value(canonicalId).toString();
        final long idHash = xxhash64(canonicalId);
        final long rawHash = xxhash64(json.substring(1, json.length() - 1));
        for (final String table : tables()) {
            final String path = lake.root() + "/" + table;
            final Column match = match(spark.read().format("delta").load(path).schema(), kind, idHash, rawHash);
            if (match == null) {
                continue;
            }
            final long rows = delete(DeltaTable.forPath(spark, path), match);
            if (rows > 0) {
                maintenance.vacuum(table, retainHours, force);
                deleted.add(new Deleted(table, rows));
            }
        }
        audit(kind, canonicalId, actor, reason, retainHours, deleted);
        return deleted;
    }

    /** Deletes the rows {@code match} selects; returns how many, from the commit's own metrics (0: no commit). */
    private static long delete(final DeltaTable delta, final Column match) {
        final long before = delta.history(1).first().<Long>getAs("version");
        delta.delete(match);
        final Row last = delta.history(1).first();
        if (last.<Long>getAs("version") == before || !"DELETE".equals(last.getAs("operation"))) {
            return 0;
        }
        final java.util.Map<String, String> metrics = last.getJavaMap(last.fieldIndex("operationMetrics"));
        return Long.parseLong(metrics.getOrDefault("numDeletedRows", "0"));
    }

    /**
     * The rows of a table with this schema that hold the entity, or null if the table has no column for it. The
     * condition compares Spark's {@code xxhash64} of the column (and of the id a raw entry names) with that of the id,
     * never the id itself: Delta writes a DELETE's condition into the table's log, which would keep the id.
     */
    static Column match(final StructType schema, final Kind kind, final long idHash, final long rawHash) {
        final Set<String> columns = Set.of(schema.fieldNames());
        Column match = null;
        if (columns.contains(kind.column)) {
            match = functions.xxhash64(functions.col(kind.column)).equalTo(idHash);
        }
        if (columns.contains("raw") && schema.apply("raw").dataType().equals(DataTypes.StringType)) {
            // the id as the entry (the journal's JSON, or a Kafka record's) names it: the field's JSON string,
            // escapes kept, hashed the same way
            final Column named = functions.xxhash64(functions.regexp_extract(functions.col("raw"),
                "\"" + kind.jsonField + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", 1))
                .equalTo(rawHash);
            match = match == null ? named : match.or(named);
        }
        return match == null ? null : functions.coalesce(match, functions.lit(false));
    }

    private long xxhash64(final String text) {
        return spark.range(1).select(functions.xxhash64(functions.lit(text))).first().getLong(0);
    }

    /** Every Delta table of bronze, silver and gold ({@code layer/name}), the audit table not among them. */
    List<String> tables() throws IOException {
        final List<String> tables = new ArrayList<>();
        for (final String layer : LAYERS) {
            final Path dir = new Path(lake.root() + "/" + layer);
            final FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(dir)) {
                continue;
            }
            for (final FileStatus status : fs.listStatus(dir)) {
                final String table = layer + "/" + status.getPath().getName();
                if (status.isDirectory() && DeltaWrites.exists(spark, lake.root() + "/" + table)) {
                    tables.add(table);
                }
            }
        }
        tables.sort(String::compareTo);
        return tables;
    }

    private void audit(final Kind kind, final String canonicalId, final String actor, final String reason,
        final long retainHours, final List<Deleted> deleted) {
        final Timestamp now = new Timestamp(System.currentTimeMillis());
        final String hash = idHash(canonicalId);
        final List<Row> rows = new ArrayList<>();
        for (final Deleted d : deleted) {
            rows.add(RowFactory.create(now, kind.label, hash, actor, reason, d.table(), d.rows(), retainHours));
        }
        if (rows.isEmpty()) {
            rows.add(RowFactory.create(now, kind.label, hash, actor, reason, "", 0L, retainHours));
        }
        spark.createDataFrame(rows, AUDIT_SCHEMA).write().format("delta").mode("append")
            .save(lake.root() + "/" + AUDIT);
    }
}
