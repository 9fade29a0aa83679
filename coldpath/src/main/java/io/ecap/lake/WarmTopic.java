package io.ecap.lake;

import java.util.List;
import java.util.Set;

/**
 * A Kafka topic the warm path copies into bronze: the JSON its records carry (the fields ECAP knows, typed), which
 * field is the event's id and which its time, the typed columns kept, and the JSON objects whose other fields become
 * columns of their own. Topic names and payloads are those of docs/KAFKA.md ({@code Topics} in shared-model).
 */
enum WarmTopic {
    DECISIONS("decisions", "kafka_decisions",
        "decision STRUCT<txnId: STRING, decision: STRING, score: INT, reasons: ARRAY<STRUCT<code: STRING,"
            + " detail: STRING, value: DOUBLE>>, ruleSetVersion: STRING, modelVersion: STRING, engineNanos: BIGINT,"
            + " journalIndex: BIGINT>, transaction STRUCT<txnId: STRING, ts: STRING, customerId: STRING,"
            + " cardId: STRING, merchantId: STRING, amount: STRING, currency: STRING, deviceId: STRING, ip: STRING,"
            + " country: STRING, channel: STRING>",
        "transaction.txnId", "transaction.ts",
        List.of("v.transaction.customerId AS customer_id", "v.transaction.cardId AS card_id",
            "v.transaction.merchantId AS merchant_id", "v.transaction.deviceId AS device_id", "v.transaction.ip AS ip",
            "v.transaction.amount AS amount", "v.transaction.currency AS currency",
            "v.transaction.country AS country", "v.transaction.channel AS channel",
            "v.decision.decision AS decision", "v.decision.score AS score",
            "v.decision.ruleSetVersion AS rule_set_version", "v.decision.modelVersion AS model_version",
            "v.decision.reasons AS reasons", "v.decision.engineNanos AS engine_nanos",
            "v.decision.journalIndex AS journal_index"),
        List.of(new Extras("transaction", Set.of("txnId", "ts", "customerId", "cardId", "merchantId", "amount",
                "currency", "deviceId", "ip", "country", "channel")),
            new Extras("decision", Set.of("txnId", "decision", "score", "reasons", "ruleSetVersion", "modelVersion",
                "engineNanos", "journalIndex")))),
    USER_EVENTS("user-events", "kafka_user_events",
        "eventId STRING, ts STRING, type STRING, sessionId STRING, customerId STRING, productId STRING,"
            + " channel STRING, campaign STRING, amount STRING, currency STRING",
        "eventId", "ts",
        List.of("v.sessionId AS session_id", "v.customerId AS customer_id", "v.type AS event_type",
            "v.productId AS product_id", "v.channel AS channel", "v.campaign AS campaign", "v.amount AS amount",
            "v.currency AS currency"),
        List.of(new Extras(null, Set.of("eventId", "ts", "type", "sessionId", "customerId", "productId", "channel",
            "campaign", "amount", "currency")))),
    PRODUCT_UPDATES("product-updates", "kafka_product_updates",
        "productId STRING, ts STRING, price STRING, currency STRING, stock BIGINT, category STRING",
        "productId", "ts",
        List.of("v.productId AS product_id", "v.price AS price", "v.currency AS currency", "v.stock AS stock",
            "v.category AS category"),
        List.of(new Extras(null, Set.of("productId", "ts", "price", "currency", "stock", "category")))),
    LABELS("labels", "kafka_labels",
        "txnId STRING, label STRING, source STRING, ts STRING",
        "txnId", "ts",
        List.of("v.txnId AS txn_id", "v.label AS label", "v.source AS source"),
        List.of(new Extras(null, Set.of("txnId", "label", "source", "ts"))));

    /** A JSON object of the record ({@code null}: the record itself) and the fields of it ECAP already types. */
    record Extras(String object, Set<String> known) {
    }

    private final String topic;
    private final String table;
    private final String schema;
    private final String idField;
    private final String timeField;
    private final List<String> columns;
    private final List<Extras> extras;

    WarmTopic(final String topic, final String table, final String schema, final String idField,
        final String timeField, final List<String> columns, final List<Extras> extras) {
        this.topic = topic;
        this.table = table;
        this.schema = schema;
        this.idField = idField;
        this.timeField = timeField;
        this.columns = columns;
        this.extras = extras;
    }

    String topic() {
        return topic;
    }

    /** The bronze table's name. */
    String table() {
        return table;
    }

    /** The value's known fields, as a Spark DDL schema. */
    String schema() {
        return schema;
    }

    /**
     * The event's id, the de-duplication key: a transaction's txnId, a user event's eventId, a product update's
     * product and time, a label's transaction, source and time (a later verdict is a new event).
     */
    String idExpression() {
        return switch (this) {
            case PRODUCT_UPDATES -> "concat_ws('@', v.productId, v.ts)";
            case LABELS -> "concat_ws('/', v.txnId, v.source, v.ts)";
            default -> "v." + idField;
        };
    }

    String idField() {
        return idField;
    }

    String timeField() {
        return timeField;
    }

    /** The typed columns, as SQL over the parsed value {@code v}. */
    List<String> columns() {
        return columns;
    }

    List<Extras> extras() {
        return extras;
    }
}
