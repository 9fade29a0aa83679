package io.ecap.model.topic;

import java.util.List;
import java.util.Map;

/**
 * ECAP's Kafka topics and how they are made when absent (by {@code ecap kafka} and by the gateway's bridge):
 * the one place their names, partitions and settings are written down. Documented in docs/KAFKA.md.
 *
 * <p>Inputs are keyed by customer (transactions, events, labels by transaction) so that one customer's events stay in
 * order on one partition; each input has a dead-letter topic for records that fail validation. Outputs are keyed by
 * customer and carry the journal index in a header.
 */
public final class Topics {
    public static final String TRANSACTIONS = "transactions";
    public static final String USER_EVENTS = "user-events";
    public static final String PRODUCT_UPDATES = "product-updates";
    /** Customer profiles from the lake (the feature-store loop), keyed by customer id. */
    public static final String CUSTOMER_PROFILES = "customer-profiles";
    public static final String LABELS = "labels";
    public static final String DECISIONS = "decisions";
    public static final String FRAUD_ALERTS = "fraud-alerts";
    /** Suffix of an input's dead-letter topic: {@code transactions.dlt}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** The header that carries the journal index (8 bytes, big-endian) on decisions and alerts. */
    public static final String JOURNAL_INDEX_HEADER = "ecap.journal.index";
    /** Dead-letter headers: why the record was refused, and where it came from. */
    public static final String DLT_REASON_HEADER = "ecap.dlt.reason";
    public static final String DLT_FIELD_HEADER = "ecap.dlt.field";
    public static final String DLT_TOPIC_HEADER = "ecap.dlt.topic";
    public static final String DLT_PARTITION_HEADER = "ecap.dlt.partition";
    public static final String DLT_OFFSET_HEADER = "ecap.dlt.offset";

    private static final long DAY_MS = 86_400_000L;

    /** One topic: its name, partitions and topic-level settings. */
    public record Topic(String name, int partitions, Map<String, String> settings) {
    }

    /** The inputs the bridge consumes, in the order they are listed in documentation. */
    public static final List<String> INPUTS = List.of(TRANSACTIONS, USER_EVENTS, PRODUCT_UPDATES, CUSTOMER_PROFILES,
        LABELS);
    /**
     * The topics whose records are keyed by customer id (user events without a customer: by session id), so that a
     * customer's records share a partition; shards divide their partitions (docs/SHARDS.md).
     */
    public static final List<String> KEYED_BY_CUSTOMER = List.of(TRANSACTIONS, USER_EVENTS, CUSTOMER_PROFILES,
        DECISIONS);

    private Topics() {
    }

    public static String deadLetter(final String input) {
        return input + DEAD_LETTER_SUFFIX;
    }

    /** Every topic ECAP uses, with the settings it is created with. */
    public static List<Topic> all() {
        return List.of(
            new Topic(TRANSACTIONS, 6, deleteAfter(7 * DAY_MS)),
            new Topic(USER_EVENTS, 6, deleteAfter(3 * DAY_MS)),
            new Topic(PRODUCT_UPDATES, 3, Map.of("cleanup.policy", "compact", "compression.type", "lz4",
                "min.compaction.lag.ms", Long.toString(DAY_MS))),
            new Topic(CUSTOMER_PROFILES, 6, Map.of("cleanup.policy", "compact", "compression.type", "lz4",
                "min.compaction.lag.ms", Long.toString(DAY_MS))),
            new Topic(LABELS, 3, deleteAfter(180 * DAY_MS)),
            new Topic(DECISIONS, 6, deleteAfter(30 * DAY_MS)),
            new Topic(FRAUD_ALERTS, 3, deleteAfter(30 * DAY_MS)),
            new Topic(deadLetter(TRANSACTIONS), 1, deleteAfter(30 * DAY_MS)),
            new Topic(deadLetter(USER_EVENTS), 1, deleteAfter(30 * DAY_MS)),
            new Topic(deadLetter(PRODUCT_UPDATES), 1, deleteAfter(30 * DAY_MS)),
            new Topic(deadLetter(CUSTOMER_PROFILES), 1, deleteAfter(30 * DAY_MS)),
            new Topic(deadLetter(LABELS), 1, deleteAfter(30 * DAY_MS)));
    }

    private static Map<String, String> deleteAfter(final long retentionMs) {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retentionMs), "compression.type",
            "lz4");
    }
}
