package io.ecap.lake;

import java.util.Locale;
import java.util.Set;

/**
 * What the money analytics (rfm, clv, churn) count as a purchase and in which currency they report it, from
 * {@code --include-outcomes}, {@code --currency} and {@code --source}, checked before Spark starts. {@link Purchases}
 * applies them.
 *
 * @param outcomes the decisions whose transactions count (default APPROVE)
 * @param currency the reporting currency, or null for the purchases' own when they have only one
 * @param source where purchases come from, or null for whatever the lake has
 */
record PurchaseRules(Set<String> outcomes, String currency, Source source) {
    static final PurchaseRules DEFAULT = new PurchaseRules(Purchases.DEFAULT_OUTCOMES, null, null);

    /**
     * Where purchases come from: the engine's transactions (silver/transactions), a shop's imported orders
     * (silver/orders), or both.
     */
    enum Source {
        TRANSACTIONS, ORDERS, BOTH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static PurchaseRules parse(final String outcomes, final String currency) {
        return parse(outcomes, currency, null);
    }

    private static String upperCode(final String currency) {
        final String upper = currency.strip().toUpperCase(java.util.Locale.ROOT);
        return upper.matches("[A-Z]{3}") ? upper : currency;
    }

    static PurchaseRules parse(final String outcomes, final String currency, final String source) {
        // on the command line, as the decisions are, the case does not matter (gbp is GBP); in files it does
        return new PurchaseRules(Purchases.parseOutcomes(outcomes), currency == null ? null
            : RatesFile.currency(upperCode(currency), "--currency"), source(source));
    }

    private static Source source(final String value) {
        if (value == null) {
            return null;
        }
        for (final Source source : Source.values()) {
            if (source.label().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return source;
            }
        }
        throw new IllegalArgumentException("--source: expected transactions, orders or both, found '" + value + "'");
    }

    PurchaseRules withCurrency(final String code) {
        return new PurchaseRules(outcomes, code, source);
    }
}
