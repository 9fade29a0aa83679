package io.ecap.ops.generate;

/**
 * One generated payment: its JSON, as sent for scoring, the few fields the clickstream around it needs, and the
 * ground truth kept apart from it.
 *
 * @param amount   the decimal amount as in the JSON
 * @param channel  WEB, APP or POS
 * @param scenario the fraud scenario it belongs to, or null for a legitimate payment
 */
public record GeneratedTransaction(String txnId, long tsMs, String customerId, String channel, String amount,
    String currency, String json, Scenario scenario) {
    public boolean isFraud() {
        return scenario != null;
    }
}
