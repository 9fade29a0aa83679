package io.ecap.lake;

import java.util.List;

/**
 * A bronze table fed from the journal: which entry type it takes and the columns it keeps, as Spark SQL expressions
 * over the staged entry ({@code e}, parsed with {@link JournalToBronze#ENTRY_SCHEMA}) and the line itself
 * ({@code raw}). Every table also has {@code journal_index}, {@code event_ts} and {@code event_date} first (and
 * {@code event_month}, the partition, generated from it) and {@code raw} last: the entry exactly as the engine wrote
 * it.
 */
enum BronzeTable {
    DECISIONS("decisions", "scored", List.of(
        "e.transaction.txnId AS txn_id", "e.transaction.customerId AS customer_id", "e.transaction.cardId AS card_id",
        "e.transaction.merchantId AS merchant_id", "e.transaction.deviceId AS device_id", "e.transaction.ip AS ip",
        "e.transaction.amount AS amount", "e.transaction.currency AS currency", "e.transaction.country AS country",
        "e.transaction.channel AS channel", "e.transaction.bin AS bin", "e.decision.decision AS decision",
        "e.decision.score AS score",
        "e.decision.ruleSetVersion AS rule_set_version", "e.decision.modelVersion AS model_version",
        "e.decision.reasons AS reasons", BronzeTable.FEATURES, "e.shadow.decision AS shadow_decision",
        "e.shadow.score AS shadow_score", "e.shadow.ruleSetVersion AS shadow_rule_set_version",
        "e.shadow.modelVersion AS shadow_model_version")),
    LABELS("labels", "label", List.of("e.label.txnId AS txn_id", "e.label.label AS label",
        "e.label.source AS source")),
    USER_EVENTS("user_events", "user-event", List.of("e.event.eventId AS event_id",
        "e.event.sessionId AS session_id", "e.event.customerId AS customer_id", "e.event.type AS event_type",
        "e.event.productId AS product_id", "e.event.channel AS channel", "e.event.campaign AS campaign",
        "e.event.amount AS amount", "e.event.currency AS currency")),
    PRODUCT_UPDATES("product_updates", "product-update", List.of("e.update.productId AS product_id",
        "e.update.price AS price", "e.update.currency AS currency", "e.update.stock AS stock",
        "e.update.category AS category")),
    CONFIG_CHANGES("config_changes", null, List.of("e.type AS kind", "e.actor AS actor", "e.text AS text")),
    /** Block and allow list changes as the engine applied them (docs/LISTS.md): who put what on or off which list. */
    LIST_CHANGES("list_changes", "list-change", List.of("e.list AS list", "e.kind AS kind", "e.op AS op",
        "e.value AS value", "e.reason AS reason", "e.actor AS actor", "e.streamId AS stream_id")),
    /**
     * Entities erased from the engine's state (docs/RELIABILITY.md, "Erasure"): the kind and the id's hash, never the
     * id; {@code ecap lake erase --journaled} erases each from the lake. Last, so that a load which stops part way
     * never has an erasure in bronze before the entries journaled ahead of it.
     */
    ERASURES("erasures", "erasure", List.of("e.kind AS kind", "e.idHash AS id_hash", "e.records AS records",
        "e.actor AS actor", "e.reason AS reason"));

    /**
     * The staged entry's features (a name-to-value map), which the loader writes as an array in the lake's feature
     * names' order ({@link BronzeFeatures}).
     */
    static final String FEATURES = "e.features AS features";

    private final String table;
    private final String entryType;
    private final List<String> columns;

    BronzeTable(final String table, final String entryType, final List<String> columns) {
        this.table = table;
        this.entryType = entryType;
        this.columns = columns;
    }

    /** The tables' names, for messages and help (no Spark class is loaded: help and errors come fast). */
    static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(BronzeTable::table).toList());
    }

    String table() {
        return table;
    }

    /** The SQL condition on {@code e.type} that selects this table's entries. */
    String condition() {
        return entryType == null ? "e.type IN ('rule-set', 'model', 'settings', 'shadow-rule-set', 'shadow-model')"
            : "e.type = '" + entryType + "'";
    }

    List<String> columns() {
        return columns;
    }
}
