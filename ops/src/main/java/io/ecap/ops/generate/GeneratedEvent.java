package io.ecap.ops.generate;

import io.ecap.model.topic.Topics;
import io.vertx.core.json.JsonObject;

/**
 * One generated input of any kind, in event-time order, ready to send.
 *
 * @param txnId    the transaction id for {@link Kind#TRANSACTION}, otherwise null
 * @param scenario ground truth of a transaction (null = legitimate); never part of {@code json}
 */
public record GeneratedEvent(Kind kind, long tsMs, String json, String txnId, Scenario scenario) {

    /** What an event is, the HTTP route that takes it, and the Kafka topic that carries it. */
    public enum Kind {
        TRANSACTION("/v1/score", Topics.TRANSACTIONS),
        USER_EVENT("/v1/events", Topics.USER_EVENTS),
        PRODUCT_UPDATE("/v1/products", Topics.PRODUCT_UPDATES),
        LABEL("/v1/labels", Topics.LABELS);

        private final String path;
        private final String topic;

        Kind(final String path, final String topic) {
            this.path = path;
            this.topic = topic;
        }

        public String path() {
            return path;
        }

        public String topic() {
            return topic;
        }
    }

    static GeneratedEvent of(final GeneratedTransaction t) {
        return new GeneratedEvent(Kind.TRANSACTION, t.tsMs(), t.json(), t.txnId(), t.scenario());
    }

    static GeneratedEvent of(final Kind kind, final long tsMs, final String json) {
        return new GeneratedEvent(kind, tsMs, json, null, null);
    }

    /**
     * The Kafka record key that keeps related inputs in order on one partition: the customer for payments and
     * clickstream events (the session when the visitor is anonymous), the product for catalogue updates (the key a
     * compacted topic keeps the latest value of), the transaction for labels.
     */
    public String key() {
        final JsonObject fields = new JsonObject(json);
        return switch (kind) {
            case TRANSACTION -> fields.getString("customerId");
            case USER_EVENT -> fields.getString("customerId", fields.getString("sessionId"));
            case PRODUCT_UPDATE -> fields.getString("productId");
            case LABEL -> fields.getString("txnId");
        };
    }

    public boolean isFraud() {
        return scenario != null;
    }
}
