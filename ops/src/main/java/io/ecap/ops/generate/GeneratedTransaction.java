package io.ecap.ops.generate;

/**
 * One generated payment: its JSON, as sent for scoring, and the ground truth kept apart from it.
 *
 * @param scenario the fraud scenario it belongs to, or null for a legitimate payment
 */
public record GeneratedTransaction(String txnId, long tsMs, String json, Scenario scenario) {
    public boolean isFraud() {
        return scenario != null;
    }
}
