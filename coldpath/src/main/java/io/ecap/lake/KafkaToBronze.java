package io.ecap.lake;

import io.ecap.model.field.PanMask;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

/**
 * Kafka → bronze, the warm path: one Structured Streaming query per topic ({@link WarmTopic}) copies records into
 * {@code bronze/kafka_<topic>}, partitioned by the event's month, and refreshes the windowed gold tables
 * ({@link WindowedGold}) as decisions arrive.
 *
 * <p><b>Exactly once across restarts.</b> Each query keeps its Kafka offsets and de-duplication state in a checkpoint
 * ({@code <lake>/_checkpoints/kafka-<topic>}). Each micro-batch is appended in one Delta commit tagged with
 * {@code txnAppId} = the query's id (kept in the checkpoint) and {@code txnVersion} = the batch id, so a batch that
 * is run again after a crash (its offsets were planned, its completion not recorded) is skipped by Delta instead of
 * landing twice; the gold refresh recomputes its windows from bronze, so running it again changes nothing. Records are
 * read {@code read_committed}: the journal publisher's aborted transactions never reach the lake.
 *
 * <p><b>De-duplication.</b> A record whose event id was already seen within the watermark is dropped
 * ({@code dropDuplicatesWithinWatermark}). The watermark runs on the record's Kafka timestamp, not on the time in the
 * payload, so replaying last week's events does not make them "late": late data would be dropped by the de-duplication
 * state, and the warm path must not lose accepted records. Duplicates further apart than the window reach bronze and
 * are removed by silver's MERGE.
 *
 * <p><b>Nothing vanishes.</b> A record that is not a JSON object, or has no event id or readable time, goes to
 * {@code bronze/kafka_rejects} with the topic, partition, offset and reason, and its text with anything that looks like
 * a card number masked but its last four digits. A field ECAP does not know yet becomes a
 * column of its own (a STRING holding its JSON text) through {@code mergeSchema}: producers can add optional fields
 * without a code change here, and rows written before read back with nulls.
 */
public final class KafkaToBronze {
    /** Prefix of Delta's application id for this job's idempotent commits. */
    static final String APP_ID = "ecap-kafka-to-bronze";

    /** The SQL function that masks card numbers in a rejected record's text ({@link PanMask#mask(String)}). */
    private static final String MASK_PAN = "ecap_mask_pan";
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    /** How the job reads Kafka. {@code triggerSeconds} 0 reads what is there and stops. */
    public record Options(String bootstrapServers, long triggerSeconds, long dedupeMinutes, String startingOffsets,
        long maxRecordsPerBatch) {
    }

    /** Called after a batch is in bronze, before the gold refresh: lets a test stop there, as a crash would. */
    interface AfterBronze {
        void written(WarmTopic topic, long batchId);
    }

    private final SparkSession spark;
    private final Lake lake;
    private final Options options;
    private final AfterBronze afterBronze;

    public KafkaToBronze(final SparkSession spark, final Lake lake, final Options options) {
        this(spark, lake, options, (topic, batchId) -> { });
    }

    KafkaToBronze(final SparkSession spark, final Lake lake, final Options options, final AfterBronze afterBronze) {
        this.spark = spark;
        this.lake = lake;
        this.options = options;
        this.afterBronze = afterBronze;
    }

    /**
     * Starts a query per topic and waits: until all records there now are in (trigger 0), or until one query fails or
     * the process is stopped. A failed query stops the others and its error is thrown.
     */
    public void run() throws Exception {
        // a rejected record is kept as it came, but never with a card number in clear (PCI DSS 3.4)
        spark.udf().register(MASK_PAN, (UDF1<String, String>) PanMask::mask, DataTypes.StringType);
        // one table for every query's rejects: created before they start, as concurrent first writes would conflict
        spark.sql("CREATE TABLE IF NOT EXISTS delta.`" + lake.bronze("kafka_rejects") + "` (kafka_topic STRING,"
            + " kafka_partition INT, kafka_offset BIGINT, kafka_ts TIMESTAMP, reason STRING, raw STRING,"
            + " event_date DATE) USING delta PARTITIONED BY (event_date)");
        final List<StreamingQuery> queries = new ArrayList<>();
        try {
            for (final WarmTopic topic : WarmTopic.values()) {
                queries.add(start(topic));
            }
            if (options.triggerSeconds() == 0) {
                for (final StreamingQuery query : queries) {
                    query.awaitTermination();
                }
            } else {
                spark.streams().awaitAnyTermination();
                for (final StreamingQuery query : queries) {
                    query.awaitTermination(TimeUnit.SECONDS.toMillis(1));
                }
            }
        } finally {
            for (final StreamingQuery query : queries) {
                query.stop();
            }
        }
    }

    private StreamingQuery start(final WarmTopic topic) throws TimeoutException {
        final Dataset<Row> records = spark.readStream().format("kafka")
            .option("kafka.bootstrap.servers", options.bootstrapServers())
            .option("subscribe", topic.topic())
            .option("startingOffsets", options.startingOffsets())
            .option("kafka.isolation.level", "read_committed")
            .option("maxOffsetsPerTrigger", options.maxRecordsPerBatch())
            .load()
            .selectExpr("CAST(value AS STRING) AS raw", "topic AS kafka_topic", "partition AS kafka_partition",
                "offset AS kafka_offset", "timestamp AS kafka_ts");
        final Dataset<Row> checked = records
            .selectExpr("*", "from_json(raw, '" + topic.schema() + "') AS v",
                "from_json(raw, 'MAP<STRING, STRING>') AS fields")
            .selectExpr("*", eventTime("v." + topic.timeField()) + " AS event_ts")
            .selectExpr("*", "CASE"
                + " WHEN raw IS NULL OR trim(raw) = '' THEN 'value is empty'"
                + " WHEN fields IS NULL THEN 'value is not a JSON object'"
                + " WHEN v." + topic.idField() + " IS NULL OR v." + topic.idField() + " = '' THEN '"
                + topic.idField() + " is missing'"
                + " WHEN event_ts IS NULL THEN '" + topic.timeField()
                + " is missing or not a time (ISO-8601 or epoch milliseconds)' END AS reject_reason")
            .selectExpr("*", "CASE WHEN reject_reason IS NULL THEN " + topic.idExpression()
                + " ELSE concat('rejected:', kafka_partition, ':', kafka_offset) END AS event_id")
            .withWatermark("kafka_ts", options.dedupeMinutes() + " minutes")
            .dropDuplicatesWithinWatermark("event_id");
        final Trigger trigger = options.triggerSeconds() == 0 ? Trigger.AvailableNow()
            : Trigger.ProcessingTime(TimeUnit.SECONDS.toMillis(options.triggerSeconds()));
        final VoidFunction2<Dataset<Row>, Long> write = (batch, batchId) -> write(topic, batch, batchId);
        return checked.writeStream().queryName("kafka-to-bronze " + topic.topic())
            .option("checkpointLocation", lake.checkpoint("kafka-" + topic.topic()))
            .trigger(trigger).foreachBatch(write).start();
    }

    private void write(final WarmTopic topic, final Dataset<Row> batch, final long batchId) {
        final SparkSession session = batch.sparkSession();
        final String appId = APP_ID + "-" + topic.topic() + "-"
            + session.sparkContext().getLocalProperty("sql.streaming.queryId");
        batch.persist();
        try {
            final Dataset<Row> accepted = batch.where("reject_reason IS NULL");
            final List<String> columns = new ArrayList<>(List.of("event_id", "event_ts",
                "to_date(event_ts) AS event_date"));
            columns.addAll(topic.columns());
            columns.addAll(extraColumns(topic, accepted, columnNames(topic)));
            columns.addAll(List.of("kafka_partition", "kafka_offset", "kafka_ts", "raw"));
            final Dataset<Row> rows = accepted.selectExpr(columns.toArray(new String[0]));
            final boolean any = !rows.isEmpty();
            if (any) {
                DeltaWrites.appendOnce(rows, lake.bronze(topic.table()), appId, batchId);
            }
            final Dataset<Row> rejected = batch.where("reject_reason IS NOT NULL").selectExpr("kafka_topic",
                "kafka_partition", "kafka_offset", "kafka_ts", "reject_reason AS reason", MASK_PAN + "(raw) AS raw",
                "to_date(kafka_ts) AS event_date");
            if (!rejected.isEmpty()) {
                DeltaWrites.appendOnce(rejected, lake.bronze("kafka_rejects"), appId + "-rejects", batchId);
            }
            afterBronze.written(topic, batchId);
            if (any && topic == WarmTopic.DECISIONS) {
                new WindowedGold(session, lake).refresh(rows);
            }
        } finally {
            batch.unpersist();
        }
    }

    /** The columns every row of the topic's table has, whatever the records carry. */
    private static Set<String> columnNames(final WarmTopic topic) {
        final Set<String> names = new LinkedHashSet<>(List.of("event_id", "event_ts", "event_date", "kafka_partition",
            "kafka_offset", "kafka_ts", "raw"));
        for (final String column : topic.columns()) {
            names.add(column.substring(column.lastIndexOf(' ') + 1));
        }
        return names;
    }

    /**
     * A column for every field the batch's records carry that ECAP does not type yet, named in snake case (prefixed
     * with its object's name if that is taken). Names that are not plain identifiers are left in {@code raw}.
     */
    private static List<String> extraColumns(final WarmTopic topic, final Dataset<Row> accepted,
        final Set<String> taken) {
        final List<String> columns = new ArrayList<>();
        for (final WarmTopic.Extras extras : topic.extras()) {
            final String map = extras.object() == null ? "fields"
                : "from_json(fields['" + extras.object() + "'], 'MAP<STRING, STRING>')";
            final List<Row> keys = accepted.selectExpr("explode(map_keys(" + map + ")) AS k").distinct()
                .orderBy("k").collectAsList();
            for (final Row key : keys) {
                final String field = key.getString(0);
                if (extras.known().contains(field) || !FIELD_NAME.matcher(field).matches()) {
                    continue;
                }
                String name = snakeCase(field);
                if (taken.contains(name)) {
                    name = snakeCase(extras.object() == null ? "field" : extras.object()) + "_" + name;
                }
                if (taken.add(name)) {
                    columns.add(map + "['" + field + "'] AS `" + name + "`");
                }
            }
        }
        return columns;
    }

    /** An event time as the API accepts it: ISO-8601 text or whole epoch milliseconds (the JSON text of either). */
    static String eventTime(final String field) {
        return "CASE WHEN " + field + " RLIKE '^-?[0-9]{1,15}$' THEN timestamp_millis(CAST(" + field + " AS BIGINT))"
            + " ELSE to_timestamp(" + field + ") END";
    }

    static String snakeCase(final String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
