package io.ecap.lake;

import io.delta.tables.DeltaTable;
import io.ecap.model.field.Ids;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Erases one customer, card, device, IP address or merchant from the lake (right to erasure): in every Delta table of
 * bronze, silver and gold, the rows whose column for that kind holds the id, and the rows whose {@code raw} entry (the
 * journal's or a Kafka record's JSON) names it, are deleted; then each table changed is vacuumed with the retention
 * given, after which no file of the table holds them. Each table's deletion is recorded in {@code audit/erasures}
 * (the id's hash, as the engine's erasure entry and the case database name it; never the id).
 *
 * <p>An entity is found by the engine's hash of its id ({@link IdHashFunctions}), never by the id itself: Delta writes
 * a DELETE's condition into the table's log, which would keep the id. So the erasures the engine journals, which hold
 * only the hash, are enough: {@link #eraseJournaled} takes each one in {@code bronze/erasures} that
 * {@code audit/erasures} does not have yet.
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
        .add("retain_hours", DataTypes.LongType, false)
        .add("journal_index", DataTypes.LongType, true);

    /** What was erased from one table. */
    record Deleted(String table, long rows) {
    }

    /** An erasure the engine journaled, and what taking it out of the lake deleted. */
    record Journaled(long journalIndex, Kind kind, String idHash, List<Deleted> deleted) {
    }

    private final SparkSession spark;
    private final Lake lake;

    LakeErasure(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
        IdHashFunctions.register(spark);
    }

    /** The id checked and in its canonical form ({@code option} names it in an error), as transactions carry it. */
    static String canonical(final Kind kind, final String id, final String option) {
        return Ids.canonical(kind == Kind.IP, id, option);
    }

    /** The id's hash as the engine and the case database name it: 16 hex digits. */
    static String idHash(final String canonicalId) {
        return String.format("%016x", IdHashFunctions.ofId(canonicalId));
    }

    static Kind kindNamed(final String label) {
        for (final Kind kind : Kind.values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("an erasure of an unknown kind: " + label);
    }

    /**
     * Deletes the entity's rows everywhere, vacuums the tables changed, records it. Returns the tables it deleted from
     * (none when the lake did not hold the entity; the request is recorded all the same).
     */
    List<Deleted> erase(final Kind kind, final String canonicalId, final String actor, final String reason,
        final long retainHours, final boolean force) throws IOException {
        final String hash = idHash(canonicalId);
        final List<Deleted> deleted;
        try (ErasureLease pause = pauseTailers()) {
            deleted = delete(kind, IdHashFunctions.ofId(canonicalId));
            vacuum(deleted.stream().map(Deleted::table).toList(), retainHours, force);
        }
        audit(kind, hash, actor, reason, retainHours, deleted, null);
        return deleted;
    }

    /**
     * Takes out of the lake every erasure the engine journaled ({@code bronze/erasures}) that the audit table does not
     * have yet, oldest first, with the actor and reason journaled; then vacuums each table changed once. Returns them
     * (none when bronze has no erasure, or every one was taken before).
     */
    List<Journaled> eraseJournaled(final long retainHours, final boolean force) throws IOException {
        final String erasures = lake.bronze("erasures");
        if (!DeltaWrites.exists(spark, erasures)) {
            return List.of();
        }
        Dataset<Row> pending = spark.read().format("delta").load(erasures)
            .select("journal_index", "kind", "id_hash", "actor", "reason");
        final String audit = lake.root() + "/" + AUDIT;
        if (DeltaWrites.exists(spark, audit)) {
            final Dataset<Row> taken = spark.read().format("delta").load(audit);
            if (Set.of(taken.columns()).contains("journal_index")) {
                pending = pending.join(taken.select("journal_index").where("journal_index IS NOT NULL").distinct(),
                    pending.col("journal_index").equalTo(taken.col("journal_index")), "left_anti");
            }
        }
        final List<Journaled> done = new ArrayList<>();
        final Set<String> changed = new java.util.TreeSet<>();
        final List<Row> rows = pending.orderBy("journal_index").collectAsList();
        if (rows.isEmpty()) {
            return done;
        }
        try (ErasureLease pause = pauseTailers()) {
            for (final Row row : rows) {
                final Kind kind = kindNamed(row.getString(1));
                final String hash = row.getString(2);
                final List<Deleted> deleted = delete(kind, Long.parseUnsignedLong(hash, 16));
                deleted.forEach(d -> changed.add(d.table()));
                audit(kind, hash, row.getString(3), row.getString(4), retainHours, deleted, row.getLong(0));
                done.add(new Journaled(row.getLong(0), kind, hash, deleted));
            }
            vacuum(changed, retainHours, force);
        }
        return done;
    }

    /**
     * Holds the lake tailers off while the erasure deletes (open-source Delta checks a DELETE against every file
     * appended to its table meanwhile, blind appends too: its tables are all Serializable).
     */
    private ErasureLease pauseTailers() throws IOException {
        return ErasureLease.take(lake.root(), spark.sparkContext().hadoopConfiguration());
    }

    /** Deletes the rows of every bronze, silver and gold table that hold the entity whose id hashes to {@code hash}. */
    private List<Deleted> delete(final Kind kind, final long hash) throws IOException {
        final List<Deleted> deleted = new ArrayList<>();
        for (final String table : tables()) {
            final String path = lake.root() + "/" + table;
            final Column match = match(spark.read().format("delta").load(path).schema(), kind, hash);
            if (match == null) {
                continue;
            }
            final long rows = deleteRetrying(table, path, match);
            if (rows > 0) {
                deleted.add(new Deleted(table, rows));
            }
        }
        return deleted;
    }

    /**
     * Vacuums each table; with no retention also cuts its log history ({@link #cutLogHistory}), so that nothing of the
     * erased rows is left at once.
     */
    private void vacuum(final java.util.Collection<String> tables, final long retainHours, final boolean force)
        throws IOException {
        final Maintenance maintenance = new Maintenance(spark, lake);
        for (final String table : tables) {
            maintenance.vacuum(table, retainHours, force);
            if (retainHours == 0) {
                cutLogHistory(table);
            }
        }
    }

    /**
     * Checkpoints the table at its current version and deletes the log files of the versions before it. Delta's log
     * keeps each data file's lowest and highest value of (up to 32) columns, and an erased id may be one of them, in
     * the commit that added the file and in the DELETE's; after a vacuum with no retention those versions cannot be
     * read anyway (their files are gone), so their log goes with them. The new checkpoint holds only the files left.
     */
    private void cutLogHistory(final String table) throws IOException {
        final DeltaLog log = DeltaLog.forTable(spark, lake.root() + "/" + table);
        final Snapshot snapshot = log.update(false, Option.empty(), Option.empty());
        log.checkpoint(snapshot, Option.empty());
        final Path dir = new Path(lake.root() + "/" + table + "/_delta_log");
        final FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        for (final FileStatus status : fs.listStatus(dir)) {
            final java.util.regex.Matcher name = LOG_FILE.matcher(status.getPath().getName());
            if (status.isFile() && name.matches() && Long.parseLong(name.group(1)) < snapshot.version()) {
                fs.delete(status.getPath(), false);
            }
        }
    }

    /** A file of one version of the log: commit, checksum, checkpoint (and a local file system's checksum of one). */
    private static final java.util.regex.Pattern LOG_FILE = java.util.regex.Pattern.compile("\\.?(\\d{20})\\..*");

    /**
     * {@link #delete(DeltaTable, Column)}, again when another writer committed to the table meanwhile, up to
     * {@link #ATTEMPTS} times: a lake tailer's batch begun before the pause ({@link #pauseTailers}) may still commit,
     * and other writers (a Spark job, the Kafka loader) do not pause.
     */
    private long deleteRetrying(final String table, final String path, final Column match) {
        for (int attempt = 1; ; attempt++) {
            try {
                return delete(DeltaTable.forPath(spark, path), match);
            } catch (final java.util.ConcurrentModificationException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("erase: " + table + " changed under the erasure " + ATTEMPTS
                        + " times in a row (" + e.getClass().getSimpleName() + "): stop the other writers of the "
                        + "lake (Spark jobs, the Kafka loader; a lake tailer waits by itself), run the erasure "
                        + "again (the erasures already done are not done twice), then start them: they go on where "
                        + "they stopped");
                }
                try {
                    Thread.sleep(1_000L * attempt);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("erase: interrupted", interrupted);
                }
            }
        }
    }

    /** How often a DELETE is tried while other writers commit to its table. */
    private static final int ATTEMPTS = 5;

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
     * The rows of a table with this schema that hold the entity whose id hashes to {@code hash} (its column, or a raw
     * entry naming it), or null if the table has no column for it.
     */
    static Column match(final StructType schema, final Kind kind, final long hash) {
        final Set<String> columns = Set.of(schema.fieldNames());
        Column match = null;
        if (columns.contains(kind.column)) {
            match = functions.callUDF(IdHashFunctions.OF_ID, functions.col(kind.column)).equalTo(hash);
        }
        if (columns.contains("raw") && schema.apply("raw").dataType().equals(DataTypes.StringType)) {
            // the id as the entry (the journal's JSON, or a Kafka record's) names it: the field's JSON string
            final Column named = functions.callUDF(IdHashFunctions.OF_JSON, functions.regexp_extract(
                functions.col("raw"), "\"" + kind.jsonField + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", 1))
                .equalTo(hash);
            match = match == null ? named : match.or(named);
        }
        return match == null ? null : functions.coalesce(match, functions.lit(false));
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

    private void audit(final Kind kind, final String hash, final String actor, final String reason,
        final long retainHours, final List<Deleted> deleted, final Long journalIndex) {
        final Timestamp now = new Timestamp(System.currentTimeMillis());
        final List<Row> rows = new ArrayList<>();
        for (final Deleted d : deleted) {
            rows.add(RowFactory.create(now, kind.label, hash, actor, reason, d.table(), d.rows(), retainHours,
                journalIndex));
        }
        if (rows.isEmpty()) {
            rows.add(RowFactory.create(now, kind.label, hash, actor, reason, "", 0L, retainHours, journalIndex));
        }
        // mergeSchema: an audit table written before journal_index existed gains the column
        spark.createDataFrame(rows, AUDIT_SCHEMA).write().format("delta").mode("append")
            .option("mergeSchema", "true").save(lake.root() + "/" + AUDIT);
    }
}
