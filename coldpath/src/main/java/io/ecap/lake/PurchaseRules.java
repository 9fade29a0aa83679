package io.ecap.lake;

import java.util.Set;

/**
 * What the money analytics (rfm, clv, churn) count as a purchase and in which currency they report it, from
 * {@code --include-outcomes} and {@code --currency}, checked before Spark starts. {@link Purchases} applies them.
 *
 * @param outcomes the decisions whose transactions count (default APPROVE)
 * @param currency the reporting currency, or null for the purchases' own when they have only one
 */
record PurchaseRules(Set<String> outcomes, String currency) {
    static final PurchaseRules DEFAULT = new PurchaseRules(Purchases.DEFAULT_OUTCOMES, null);

    static PurchaseRules parse(final String outcomes, final String currency) {
        return new PurchaseRules(Purchases.parseOutcomes(outcomes), currency == null ? null
            : RatesFile.currency(currency, "--currency"));
    }

    PurchaseRules withCurrency(final String code) {
        return new PurchaseRules(outcomes, code);
    }
}
