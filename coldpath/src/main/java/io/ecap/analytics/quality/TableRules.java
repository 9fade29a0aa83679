package io.ecap.analytics.quality;

import java.util.List;
import java.util.Map;

/**
 * What a table must satisfy: the columns that must be filled (completeness), row conditions that must hold
 * (validity, by name), the key that must be unique, and its event-time and event-date columns (freshness, volume).
 */
public record TableRules(String table, List<String> required, Map<String, String> valid, List<String> key,
    String timeColumn, String dateColumn) {

    /** The silver tables ECAP checks, with the rules their own jobs already enforce on the way in. */
    public static final List<TableRules> SILVER = List.of(
        new TableRules("silver/transactions",
            List.of("txn_id", "customer_id", "merchant_id", "amount", "currency", "decision", "score"),
            Map.of("amount is not negative", "amount >= 0", "currency is ISO 4217", "currency RLIKE '^[A-Z]{3}$'",
                "decision is known", "decision IN ('APPROVE', 'REVIEW', 'DECLINE')",
                "score is 0..1000", "score BETWEEN 0 AND 1000"),
            List.of("txn_id"), "event_ts", "event_date"),
        new TableRules("silver/user_events",
            List.of("event_id", "session_id", "event_type"),
            Map.of("event type is known", "event_type IN ('page_view', 'search', 'product_view', 'add_to_cart', "
                + "'remove_from_cart', 'checkout_start', 'purchase')",
                "amount is not negative", "amount IS NULL OR amount >= 0"),
            List.of("event_id"), "event_ts", "event_date"),
        new TableRules("silver/labels",
            List.of("txn_id", "label", "source"),
            Map.of("label is known", "label IN ('FRAUD', 'LEGIT')",
                "source is known", "source IN ('CHARGEBACK', 'ANALYST')"),
            List.of("txn_id", "source"), "event_ts", "event_date"));
}
