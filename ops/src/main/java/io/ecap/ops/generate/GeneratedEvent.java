package io.ecap.ops.generate;

/**
 * One generated input of any kind, in event-time order, ready to send.
 *
 * @param txnId    the transaction id for {@link Kind#TRANSACTION}, otherwise null
 * @param scenario ground truth of a transaction (null = legitimate); never part of {@code json}
 */
public record GeneratedEvent(Kind kind, long tsMs, String json, String txnId, Scenario scenario) {

    /** What an event is, and the HTTP route that takes it. */
    public enum Kind {
        TRANSACTION("/v1/score"),
        USER_EVENT("/v1/events"),
        PRODUCT_UPDATE("/v1/products"),
        LABEL("/v1/labels");

        private final String path;

        Kind(final String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    static GeneratedEvent of(final GeneratedTransaction t) {
        return new GeneratedEvent(Kind.TRANSACTION, t.tsMs(), t.json(), t.txnId(), t.scenario());
    }

    static GeneratedEvent of(final Kind kind, final long tsMs, final String json) {
        return new GeneratedEvent(kind, tsMs, json, null, null);
    }

    public boolean isFraud() {
        return scenario != null;
    }
}
