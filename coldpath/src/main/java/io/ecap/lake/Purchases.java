package io.ecap.lake;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What the customer analytics count as purchases: the transactions in silver whose decision is one of the outcomes
 * chosen ({@code --include-outcomes}, default APPROVE: a declined or reviewed payment did not happen, as far as a
 * customer's value goes), on or before the as-of day, with their amount as a decimal in the reporting currency. That
 * is {@code --currency}, or else the one currency the purchases are in (several without {@code --currency} is a
 * usage error); a purchase in another currency is converted with the lake's dated exchange rates
 * ({@link ExchangeRates}). Every transaction left out is counted with its reason (its decision, after the as-of day,
 * no rate for its currency and day), and the job prints the count: nothing drops out silently.
 *
 * @param rows customer_id, purchase_date, amount ({@code DECIMAL(18,4)}, in {@code currency}): the purchases counted
 * @param currency the reporting currency
 * @param asOf the as-of day: the one given, or else the last day with a purchase counted
 * @param counted how many transactions count
 * @param excluded the transactions left out, per reason, such as "38 decision REVIEW"
 */
record Purchases(Dataset<Row> rows, String currency, LocalDate asOf, long counted, List<String> excluded) {
    /** The decisions a transaction may have; the default counts only APPROVE. */
    static final Set<String> OUTCOMES = Set.of("APPROVE", "REVIEW", "DECLINE");
    static final Set<String> DEFAULT_OUTCOMES = Set.of("APPROVE");

    /**
     * @param rules the decisions whose transactions count, and the reporting currency (or null for the
     *     purchases' own, when they have one)
     * @param asOfOrNull the as-of day, or null for the last day with a purchase counted
     */
    static Purchases of(final SparkSession spark, final Lake lake, final String job, final PurchaseRules rules,
        final LocalDate asOfOrNull) {
        final Set<String> outcomes = rules.outcomes();
        final String currencyOrNull = rules.currency();
        if (!DeltaWrites.exists(spark, lake.silver("transactions"))) {
            throw new IllegalArgumentException(job + ": no silver/transactions in " + lake.root()
                + " (run bronze-to-silver first)");
        }
        final String chosen = "decision IN ('" + String.join("', '", new TreeSet<>(outcomes)) + "')";
        final Dataset<Row> transactions = spark.read().format("delta").load(lake.silver("transactions"));
        final LocalDate asOf = AsOf.orLast(asOfOrNull, transactions.where(chosen), "event_date", job);
        final String day = "DATE'" + asOf + "'";
        final String currency = currencyOrNull != null ? currencyOrNull
            : onlyCurrency(transactions.where(chosen + " AND event_date <= " + day));
        final String rates = lake.silver("exchange_rates");
        final Dataset<Row> converted = ExchangeRates.convert(transactions, DeltaWrites.exists(spark, rates)
            ? spark.read().format("delta").load(rates) : null, currency, minorDigits(currency));
        final Dataset<Row> reasoned = converted.selectExpr("customer_id", "event_date AS purchase_date",
            "converted AS amount", "CASE WHEN NOT " + chosen + " THEN concat('decision ', decision)"
                + " WHEN event_date > " + day + " THEN 'after the as-of day'"
                + " WHEN rate IS NULL THEN concat('no ', currency, '->" + currency + " rate on or before their day')"
                + " END AS excluded");
        long counted = 0;
        final List<String> excluded = new ArrayList<>();
        for (final Row reason : reasoned.groupBy("excluded").count().orderBy("excluded").collectAsList()) {
            if (reason.isNullAt(0)) {
                counted = reason.getLong(1);
            } else {
                excluded.add(String.format("%,d %s", reason.getLong(1), reason.getString(0)));
            }
        }
        return new Purchases(reasoned.where("excluded IS NULL").drop("excluded"), currency, asOf, counted,
            excluded);
    }

    /**
     * The one currency of the purchases; several are a usage error asking for a reporting currency (naming them,
     * the most used first).
     */
    private static String onlyCurrency(final Dataset<Row> purchases) {
        final List<String> currencies = purchases.groupBy("currency").count().orderBy(functions.desc("count"),
            functions.asc("currency")).collectAsList().stream().map(r -> r.getString(0)).toList();
        if (currencies.isEmpty()) {
            throw new IllegalArgumentException("no purchases with the decisions chosen on or before the as-of day");
        }
        if (currencies.size() > 1) {
            throw new IllegalArgumentException("--currency: the purchases are in " + currencies.size()
                + " currencies (" + String.join(", ", currencies.subList(0, Math.min(8, currencies.size())))
                + (currencies.size() > 8 ? ", ..." : "") + "); name the reporting currency (--currency "
                + currencies.get(0) + ") and load dated exchange rates into the lake (ecap lake load-rates FILE)");
        }
        return currencies.get(0);
    }

    /** The decimal places of a currency's minor unit (JPY none, GBP 2); money is rounded to them. */
    static int minorDigits(final String currency) {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    /** For the job's output: what counted and what did not, and why. */
    String describe(final PurchaseRules rules) {
        final Set<String> outcomes = rules.outcomes();
        return String.format("%,d transactions count as purchases (decisions %s, up to %s, in %s); excluded: %s",
            counted, String.join(",", new TreeSet<>(outcomes)), asOf, currency, excluded.isEmpty() ? "none"
                : String.join(", ", excluded));
    }

    /** {@code --include-outcomes APPROVE,REVIEW}: the decisions that count, checked before Spark starts. */
    static Set<String> parseOutcomes(final String value) {
        if (value == null) {
            return DEFAULT_OUTCOMES;
        }
        final Set<String> outcomes = new TreeSet<>();
        for (final String outcome : value.split(",", -1)) {
            final String name = outcome.strip().toUpperCase(java.util.Locale.ROOT);
            if (!OUTCOMES.contains(name)) {
                throw new IllegalArgumentException("--include-outcomes: expected decisions among APPROVE, REVIEW, "
                    + "DECLINE separated by commas, found '" + outcome + "'");
            }
            outcomes.add(name);
        }
        return Set.copyOf(outcomes);
    }
}
