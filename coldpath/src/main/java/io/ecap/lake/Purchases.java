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
 * What the customer analytics count as purchases, from the engine's transactions in silver, a shop's orders imported
 * into silver/orders ({@link OrderImport}), or both ({@code --source}; default: what the lake has). A transaction
 * counts when its decision is one of the outcomes chosen ({@code --include-outcomes}, default APPROVE: a declined or
 * reviewed payment did not happen, as far as a customer's value goes); an imported order is one purchase (its lines
 * summed) unless it was cancelled or totals less than zero (returns kept by {@code --returns keep}). With both, an
 * order whose id is also a transaction's id counts once, as the transaction: the engine saw that payment and decided
 * it, so its decision applies (a declined payment the shop also exported stays out) and the purchase is not counted
 * twice. Either way only purchases on or before the as-of day count, with their amount as a decimal in the reporting
 * currency. That is {@code --currency}, or else the one currency the purchases are in (several without
 * {@code --currency} is a usage error); a purchase in another currency is converted with the lake's dated exchange
 * rates ({@link ExchangeRates}). Every purchase left out is counted with its reason (its decision, after the as-of
 * day, no rate for its currency and day, ...), and the job prints the count: nothing drops out silently.
 *
 * @param rows customer_id, purchase_date, amount ({@code DECIMAL(18,4)}, in {@code currency}): the purchases counted
 * @param currency the reporting currency
 * @param asOf the as-of day: the one given, or else the last day with a purchase counted
 * @param counted how many purchases count (transactions and orders)
 * @param excluded the purchases left out, per reason, such as "38 decision REVIEW"
 * @param source where they came from
 * @param countedOrders how many of those counted are imported orders
 * @param withDimensions the same rows with their channel and country (null where the source has none: imported
 *     orders have no channel)
 * @param candidates every possible purchase read (transactions and orders), counted or not
 */
record Purchases(Dataset<Row> rows, String currency, LocalDate asOf, long counted, List<String> excluded,
    PurchaseRules.Source source, long countedOrders, Dataset<Row> withDimensions, Dataset<Row> candidates) {
    /** The decisions a transaction may have; the default counts only APPROVE. */
    static final Set<String> OUTCOMES = Set.of("APPROVE", "REVIEW", "DECLINE");
    static final Set<String> DEFAULT_OUTCOMES = Set.of("APPROVE");

    /**
     * @param rules the decisions whose transactions count, the reporting currency (or null for the purchases' own,
     *     when they have one) and the source (or null for what the lake has)
     * @param asOfOrNull the as-of day, or null for the last day with a purchase counted
     */
    static Purchases of(final SparkSession spark, final Lake lake, final String job, final PurchaseRules rules,
        final LocalDate asOfOrNull) {
        final PurchaseRules.Source source = source(spark, lake, job, rules.source());
        final String chosen = "decision IN ('" + String.join("', '", new TreeSet<>(rules.outcomes())) + "')";
        final Dataset<Row> candidates = candidates(spark, lake, source);
        final String counts = "CASE WHEN origin = 'transaction' THEN " + chosen
            + " ELSE NOT in_engine AND NOT cancelled AND amount >= 0 END";
        final LocalDate asOf = AsOf.orLast(asOfOrNull, candidates.where(counts), "event_date", job);
        final String day = "DATE'" + asOf + "'";
        final String currency = rules.currency() != null ? rules.currency()
            : onlyCurrency(candidates.where(counts + " AND event_date <= " + day), job, asOf);
        final String rates = lake.silver("exchange_rates");
        final Dataset<Row> converted = ExchangeRates.convert(candidates, DeltaWrites.exists(spark, rates)
            ? spark.read().format("delta").load(rates) : null, currency, minorDigits(currency));
        final Dataset<Row> reasoned = converted.selectExpr("customer_id", "event_date AS purchase_date",
            "converted AS amount", "channel", "country", "origin", "CASE"
                + " WHEN origin = 'order' AND in_engine"
                + " THEN 'order also an engine transaction (the transaction counts)'"
                + " WHEN origin = 'order' AND (cancelled OR amount < 0) THEN 'order cancelled or returned'"
                + " WHEN origin = 'transaction' AND NOT " + chosen + " THEN concat('decision ', decision)"
                + " WHEN event_date > " + day + " THEN 'after the as-of day'"
                + " WHEN rate IS NULL THEN concat('no ', currency, '->" + currency + " rate on or before their day')"
                + " END AS excluded");
        long counted = 0;
        long countedOrders = 0;
        final List<String> excluded = new ArrayList<>();
        for (final Row reason : reasoned.groupBy("excluded").agg(functions.count("*"),
            functions.expr("count_if(origin = 'order')")).orderBy("excluded").collectAsList()) {
            if (reason.isNullAt(0)) {
                counted = reason.getLong(1);
                countedOrders = reason.getLong(2);
            } else {
                excluded.add(String.format("%,d %s", reason.getLong(1), reason.getString(0)));
            }
        }
        if (counted == 0) {
            throw new IllegalStateException(job + ": no purchase counts on or before " + asOf + " (excluded: "
                + (excluded.isEmpty() ? "none" : String.join(", ", excluded)) + "); nothing to analyse");
        }
        final Dataset<Row> kept = reasoned.where("excluded IS NULL").drop("excluded", "origin");
        return new Purchases(kept.select("customer_id", "purchase_date", "amount"), currency, asOf, counted,
            excluded, source, countedOrders, kept, candidates);
    }

    /** The source asked for, or what the lake has; a source the lake lacks is a usage error saying what builds it. */
    private static PurchaseRules.Source source(final SparkSession spark, final Lake lake, final String job,
        final PurchaseRules.Source asked) {
        final boolean transactions = DeltaWrites.exists(spark, lake.silver("transactions"));
        final boolean orders = DeltaWrites.exists(spark, lake.silver("orders"));
        final String noTransactions = job + ": no silver/transactions in " + lake.root()
            + " (run bronze-to-silver first)";
        final String noOrders = job + ": no silver/orders in " + lake.root() + " (run import-orders first)";
        if (asked == null) {
            if (!transactions && !orders) {
                throw new IllegalArgumentException(noTransactions + " nor silver/orders (run import-orders)");
            }
            return transactions && orders ? PurchaseRules.Source.BOTH : transactions ? PurchaseRules.Source.TRANSACTIONS
                : PurchaseRules.Source.ORDERS;
        }
        if (asked != PurchaseRules.Source.ORDERS && !transactions) {
            throw new IllegalArgumentException(noTransactions);
        }
        if (asked != PurchaseRules.Source.TRANSACTIONS && !orders) {
            throw new IllegalArgumentException(noOrders);
        }
        return asked;
    }

    /**
     * One row per possible purchase: txn_id (unique: the origin and the id), id, customer_id, decision (null for
     * orders), origin ({@code transaction} or {@code order}), event_date, currency, amount, cancelled, in_engine.
     */
    private static Dataset<Row> candidates(final SparkSession spark, final Lake lake,
        final PurchaseRules.Source source) {
        final Dataset<Row> transactions = source == PurchaseRules.Source.ORDERS ? null
            : withIndex(withText(withText(spark.read().format("delta").load(lake.silver("transactions")), "channel"),
                "country"))
            .selectExpr("concat('transaction:', txn_id) AS txn_id", "CAST(txn_id AS STRING) AS id", "customer_id",
                "decision", "'transaction' AS origin", "event_date", "currency", "amount", "false AS cancelled",
                "false AS in_engine", "CAST(channel AS STRING) AS channel", "CAST(country AS STRING) AS country",
                "journal_index");
        if (source == PurchaseRules.Source.TRANSACTIONS) {
            return transactions;
        }
        Dataset<Row> orders = withText(spark.read().format("delta").load(lake.silver("orders")), "country")
            .groupBy("order_id", "customer_id", "currency")
            .agg(functions.expr("min(event_date) AS event_date"),
                functions.expr("CAST(sum(amount) AS DECIMAL(18,4)) AS amount"),
                functions.expr("bool_or(cancelled) AS cancelled"), functions.expr("first(country, true) AS country"))
            .selectExpr("concat('order:', order_id) AS txn_id", "order_id AS id", "customer_id",
                "CAST(NULL AS STRING) AS decision", "'order' AS origin", "event_date", "currency", "amount",
                "cancelled", "false AS in_engine", "CAST(NULL AS STRING) AS channel", "country",
                "CAST(NULL AS BIGINT) AS journal_index");
        if (transactions == null) {
            return orders;
        }
        final Dataset<Row> engineIds = transactions.selectExpr("id AS engine_id").distinct();
        orders = orders.join(engineIds, orders.col("id").equalTo(engineIds.col("engine_id")), "left")
            .withColumn("in_engine", functions.expr("engine_id IS NOT NULL")).drop("engine_id");
        return transactions.unionByName(orders);
    }

    /** {@code table}, with a null journal_index where it has none (a silver table written by hand or elsewhere). */
    private static Dataset<Row> withIndex(final Dataset<Row> table) {
        return java.util.Arrays.asList(table.columns()).contains("journal_index") ? table
            : table.withColumn("journal_index", functions.lit(null).cast("bigint"));
    }

    /**
     * The journal index up to which the engine's transactions were in the silver table these purchases were read from
     * (its newest entry), or null without one: a payment journaled after it is not among them, whatever its day.
     */
    Long throughJournalIndex() {
        if (candidates == null) {
            return null;
        }
        final Row max = candidates.where("origin = 'transaction'").selectExpr("max(journal_index)").first();
        return max.isNullAt(0) ? null : max.getLong(0);
    }

    /** {@code table}, with a null text column {@code name} added where it has none (older or foreign tables). */
    private static Dataset<Row> withText(final Dataset<Row> table, final String name) {
        return java.util.Arrays.asList(table.columns()).contains(name) ? table
            : table.withColumn(name, functions.lit(null).cast("string"));
    }

    /**
     * The one currency of the purchases; several are a usage error asking for a reporting currency (naming them,
     * the most used first).
     */
    private static String onlyCurrency(final Dataset<Row> purchases, final String job, final LocalDate asOf) {
        final List<String> currencies = purchases.groupBy("currency").count().orderBy(functions.desc("count"),
            functions.asc("currency")).collectAsList().stream().map(r -> r.getString(0)).toList();
        if (currencies.isEmpty()) {
            throw new IllegalStateException(job + ": no purchase counts on or before " + asOf + " (excluded: "
                + "every payment, by its decision or its day); nothing to analyse");
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

    /**
     * {@code rows} with what their money figures rest on, so a gold table says it itself: {@code currency} (the
     * reporting currency), {@code purchase_source} ({@code transactions}, {@code orders} or {@code both}) and
     * {@code counted_decisions} (the decisions whose transactions counted, such as {@code APPROVE}; null when only
     * imported orders counted).
     */
    Dataset<Row> stamped(final Dataset<Row> rows, final PurchaseRules rules) {
        final String decisions = source == PurchaseRules.Source.ORDERS ? null
            : String.join(",", new TreeSet<>(rules.outcomes()));
        return rows.withColumn("currency", functions.lit(currency))
            .withColumn("purchase_source", functions.lit(source.label()))
            .withColumn("counted_decisions", functions.lit(decisions).cast("string"));
    }

    /** For the job's output: what counted and what did not, and why. */
    String describe(final PurchaseRules rules) {
        final String outcomes = String.join(",", new TreeSet<>(rules.outcomes()));
        final String left = excluded.isEmpty() ? "none" : String.join(", ", excluded);
        return switch (source) {
            case TRANSACTIONS -> String.format("%,d transactions count as purchases (decisions %s, up to %s, in %s);"
                + " excluded: %s", counted, outcomes, asOf, currency, left);
            case ORDERS -> String.format("%,d imported orders count as purchases (up to %s, in %s); excluded: %s",
                counted, asOf, currency, left);
            case BOTH -> String.format("%,d purchases count: %,d transactions (decisions %s) and %,d imported orders,"
                + " up to %s, in %s; excluded: %s", counted, counted - countedOrders, outcomes, countedOrders, asOf,
                currency, left);
        };
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
