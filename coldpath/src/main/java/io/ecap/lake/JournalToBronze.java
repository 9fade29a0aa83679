package io.ecap.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Journal → bronze, exactly once. Loads the files the engine's side staged in {@code <lake>/_journal}
 * ({@code ecap export-lake}), in journal order, into one Delta table per entry type ({@link BronzeTable}), partitioned
 * by event month ({@link DeltaWrites}).
 *
 * <p>Each run loads every staged file at once. Every Delta commit is tagged with {@code txnAppId} {@value #APP_ID}
 * and {@code txnVersion} = the last journal index it covers; Delta records the highest version committed per
 * application in the table's log, skips a write whose version is not above it, and this loader writes to each table
 * only the entries after that version. So a crash between writing data files and committing them (the files are
 * orphans, never part of the table), a crash between two tables, a file staged twice, a rerun, or two runs at once
 * never duplicate an entry, and staged files are deleted only after every table has them. An entry that cannot be
 * parsed stops the job with the file and line named: it is never dropped. Writes merge the schema: a column a newer
 * ECAP adds to a bronze table appears in it, with nulls in the rows written before.
 */
public final class JournalToBronze {
    /** Delta's application id for the journal loader's idempotent commits. */
    public static final String APP_ID = "ecap-journal-to-bronze";

    static final StructType ENTRY_SCHEMA = (StructType) DataType.fromDDL(String.join(", ",
        "index BIGINT", "type STRING", "ts STRING", "actor STRING", "text STRING",
        "transaction STRUCT<txnId: STRING, customerId: STRING, cardId: STRING, merchantId: STRING, deviceId: STRING,"
            + " ip: STRING, amount: STRING, currency: STRING, country: STRING, channel: STRING, bin: STRING>",
        "decision STRUCT<decision: STRING, score: INT, ruleSetVersion: STRING, modelVersion: STRING,"
            + " reasons: ARRAY<STRUCT<code: STRING, detail: STRING, value: DOUBLE>>>",
        "shadow STRUCT<decision: STRING, score: INT, ruleSetVersion: STRING, modelVersion: STRING>",
        "features MAP<STRING, DOUBLE>",
        "label STRUCT<txnId: STRING, label: STRING, source: STRING>",
        "event STRUCT<eventId: STRING, sessionId: STRING, customerId: STRING, type: STRING, productId: STRING,"
            + " channel: STRING, campaign: STRING, amount: STRING, currency: STRING>",
        "`update` STRUCT<productId: STRING, price: STRING, currency: STRING, stock: BIGINT, category: STRING>",
        "list STRING", "kind STRING", "op STRING", "value STRING", "reason STRING", "streamId STRING",
        "idHash STRING", "records BIGINT"));

    private static final Pattern STAGED = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.jsonl");

    /** Called after each table's commit: lets a test stop the job between two tables, as a crash would. */
    interface AfterCommit {
        void committed(BronzeTable table, long version);
    }

    private final Map<String, Long> added = new TreeMap<>();
    private final SparkSession spark;
    private final Lake lake;
    private final AfterCommit afterCommit;

    public JournalToBronze(final SparkSession spark, final Lake lake) {
        this(spark, lake, (table, version) -> { });
    }

    JournalToBronze(final SparkSession spark, final Lake lake, final AfterCommit afterCommit) {
        this.spark = spark;
        this.lake = lake;
        this.afterCommit = afterCommit;
    }

    /** The rows the last {@link #runOnce} added, by table (those it added none to left out). */
    public Map<String, Long> added() {
        return Map.copyOf(added);
    }

    /**
     * Loads every staged file in one go (one commit per table, however many files the exporter wrote meanwhile);
     * returns the number of journal entries in them (some may have been in the tables already: {@link #added()}).
     */
    public long runOnce() throws IOException {
        final List<StagedFile> files = staged();
        added.clear();
        if (files.isEmpty()) {
            return 0;
        }
        final long entries = load(files);
        for (final StagedFile file : files) {
            file.fs().delete(file.path(), false);
        }
        return entries;
    }

    private long load(final List<StagedFile> files) {
        final long lastIndex = files.get(files.size() - 1).lastIndex();
        final Dataset<Row> parsed = spark.read().text(files.stream().map(f -> f.path().toString())
                .toArray(String[]::new))
            .select(functions.from_json(functions.col("value"), ENTRY_SCHEMA).as("e"),
                functions.col("value").as("raw"), functions.input_file_name().as("file"))
            .cache();
        try {
            // one pass tells how many entries there are, whether one cannot be read, and each table's newest entry
            final List<String> summary = new ArrayList<>(List.of("count(*)",
                "count_if(e.index IS NULL OR e.type IS NULL OR to_timestamp(e.ts) IS NULL)"));
            final long[] loadedUpTo = new long[BronzeTable.values().length];
            for (final BronzeTable table : BronzeTable.values()) {
                summary.add("max(CASE WHEN " + table.condition() + " THEN e.index END)");
            }
            for (final BronzeTable table : BronzeTable.values()) {
                // the rows this load adds: entries of the table the table does not have yet
                loadedUpTo[table.ordinal()] = loadedUpTo(lake.bronze(table.table()));
                summary.add("count_if((" + table.condition() + ") AND e.index > " + loadedUpTo[table.ordinal()] + ")");
            }
            final Row seen = parsed.selectExpr(summary.toArray(new String[0])).first();
            if (seen.getLong(1) > 0) {
                final Row bad = parsed.where("e.index IS NULL OR e.type IS NULL OR to_timestamp(e.ts) IS NULL")
                    .select("file", "raw").first();
                throw new IllegalStateException(bad.getString(0) + ": an entry without index, type or time: "
                    + abbreviate(bad.getString(1)));
            }
            added.clear();
            for (final BronzeTable table : BronzeTable.values()) {
                final String path = lake.bronze(table.table());
                final int newest = 2 + table.ordinal();
                final long loaded = loadedUpTo[table.ordinal()];
                final long adding = seen.getLong(2 + BronzeTable.values().length + table.ordinal());
                if (adding > 0) {
                    added.put(table.table(), adding);
                }
                if (seen.isNullAt(newest) || seen.getLong(newest) <= loaded) {
                    continue;
                }
                final List<String> columns = new ArrayList<>(List.of("e.index AS journal_index",
                    "to_timestamp(e.ts) AS event_ts", "to_date(to_timestamp(e.ts)) AS event_date"));
                columns.addAll(table.columns());
                columns.add("raw");
                if (table == BronzeTable.DECISIONS) {
                    columns.set(columns.indexOf(BronzeTable.FEATURES), featureArray(parsed, path));
                }
                DeltaWrites.appendOnce(parsed.where(table.condition()).where(functions.col("e.index").gt(loaded))
                    .selectExpr(columns.toArray(new String[0])), path, APP_ID, lastIndex);
                afterCommit.committed(table, lastIndex);
            }
            return seen.getLong(0);
        } finally {
            parsed.unpersist();
        }
    }

    /**
     * The SQL of bronze's {@code features}: the staged entry's name-to-value map as an array in the order of the
     * lake's feature names ({@link BronzeFeatures}), which this load's names extend if the engine's catalogue grew.
     */
    private String featureArray(final Dataset<Row> parsed, final String path) {
        if (DeltaWrites.exists(spark, path)
            && !(spark.read().format("delta").load(path).schema().apply("features").dataType() instanceof ArrayType)) {
            throw new IllegalStateException(path + ": its features are a map (a lake made before the feature vectors "
                + "became arrays, docs/LAKE.md): move the lake's bronze folder away and load the journal again");
        }
        final List<Row> longest = parsed.where(BronzeTable.DECISIONS.condition())
            .selectExpr("map_keys(e.features) AS k").orderBy(functions.size(functions.col("k")).desc()).limit(1)
            .collectAsList();
        final List<String> staged = longest.isEmpty() || longest.get(0).isNullAt(0) ? List.of()
            : longest.get(0).getList(0);
        final List<String> names = BronzeFeatures.record(spark, lake, staged);
        return "transform(" + BronzeFeatures.sqlArray(names) + ", n -> e.features[n]) AS features";
    }

    /**
     * The last journal index a table has from this loader: the {@code txnVersion} of its last commit with
     * {@link #APP_ID}, which Delta keeps in the table's log ({@code -1} for none). Entries up to it are skipped, so a
     * file staged again, or loaded with others after a crash between two tables, never lands twice.
     */
    private long loadedUpTo(final String path) {
        if (!DeltaWrites.exists(spark, path)) {
            return -1;
        }
        final Option<Object> version = DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty())
            .transactions().get(APP_ID);
        return version.isDefined() ? (Long) version.get() : -1;
    }

    private List<StagedFile> staged() throws IOException {
        final Path dir = new Path(lake.staging());
        final FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        final List<StagedFile> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        for (final FileStatus status : fs.listStatus(dir)) {
            final Matcher m = STAGED.matcher(status.getPath().getName());
            if (m.matches()) {
                files.add(new StagedFile(fs, status.getPath(), Long.parseUnsignedLong(m.group(1), 16),
                    Long.parseUnsignedLong(m.group(2), 16)));
            }
        }
        files.sort((a, b) -> Long.compareUnsigned(a.firstIndex(), b.firstIndex()));
        return files;
    }

    private static String abbreviate(final String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private record StagedFile(FileSystem fs, Path path, long firstIndex, long lastIndex) {
    }

    /** For messages: the tables this job writes. */
    static String tables() {
        return BronzeTable.names();
    }
}
