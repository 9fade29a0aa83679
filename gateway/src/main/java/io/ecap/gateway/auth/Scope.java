package io.ecap.gateway.auth;

/** What an API key may do. */
public enum Scope {
    /** Score transactions, send user events and product updates, read decisions. */
    SCORE,
    /** Send labels (chargebacks, analyst feedback). */
    LABEL,
    /** Change rule sets and models, read metrics when they are not public. */
    ADMIN,
    /** Work review cases (list, read, assign, comment, resolve), of every merchant or of the key's merchants only. */
    ANALYST,
    /** Read the lake's published analytics: customers' segments, CLV and churn risk, cohorts, revenue, products. */
    ANALYTICS;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
