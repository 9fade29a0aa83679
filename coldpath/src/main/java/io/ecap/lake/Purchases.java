package io.ecap.lake;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the customer analytics count as purchases: the transactions in silver whose decision is one of the outcomes
 * chosen ({@code --include-outcomes}, default APPROVE: a declined or reviewed payment did not happen, as far as a
 * customer's value goes), on or before the as-of day, with their amount in USD (the engine's own conversion, the
 * {@code txn.amount_usd} feature) so currencies add up. Every transaction left out is counted with its reason, and
 * the job prints the count: nothing drops out silently.
 *
 * @param rows customer_id, purchase_date, amount: the purchases counted
 * @param asOf the as-of day: the one given, or else the last day with a purchase counted
 * @param counted how many transactions count
 * @param excluded the transactions left out, per reason, such as "38 REVIEW"
 */
record Purchases(Dataset<Row> rows, LocalDate asOf, long counted, List<String> excluded) {
    /** The decisions a transaction may have; the default counts only APPROVE. */
    static final Set<String> OUTCOMES = Set.of("APPROVE", "REVIEW", "DECLINE");
    static final Set<String> DEFAULT_OUTCOMES = Set.of("APPROVE");

    /**
     * @param outcomes the decisions whose transactions count
     * @param asOfOrNull the as-of day, or null for the last day with a purchase counted
     */
    static Purchases of(final SparkSession spark, final Lake lake, final String job, final Set<String> outcomes,
        final LocalDate asOfOrNull) {
        if (!DeltaWrites.exists(spark, lake.silver("transactions"))) {
            throw new IllegalArgumentException(job + ": no silver/transactions in " + lake.root()
                + " (run bronze-to-silver first)");
        }
        final String chosen = "decision IN ('" + String.join("', '", new TreeSet<>(outcomes)) + "')";
        final Dataset<Row> transactions = spark.read().format("delta").load(lake.silver("transactions"));
        final LocalDate asOf = AsOf.orLast(asOfOrNull, transactions.where(chosen), "event_date", job);
        final Dataset<Row> reasoned = transactions.selectExpr("customer_id", "event_date AS purchase_date",
            "features['txn.amount_usd'] AS amount", "CASE WHEN NOT " + chosen + " THEN concat('decision ', decision)"
                + " WHEN event_date > DATE'" + asOf + "' THEN 'after the as-of day' END AS excluded");
        long counted = 0;
        final List<String> excluded = new ArrayList<>();
        for (final Row reason : reasoned.groupBy("excluded").count().orderBy("excluded").collectAsList()) {
            if (reason.isNullAt(0)) {
                counted = reason.getLong(1);
            } else {
                excluded.add(String.format("%,d %s", reason.getLong(1), reason.getString(0)));
            }
        }
        return new Purchases(reasoned.where("excluded IS NULL").drop("excluded"), asOf, counted, excluded);
    }

    /** For the job's output: what counted and what did not, and why. */
    String describe(final Set<String> outcomes) {
        return String.format("%,d transactions count as purchases (decisions %s, up to %s); excluded: %s", counted,
            String.join(",", new TreeSet<>(outcomes)), asOf, excluded.isEmpty() ? "none" : String.join(", ",
                excluded));
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
