package io.ecap.analytics.fraud;

import static org.apache.spark.sql.functions.expr;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training examples of the fraud model: silver's transactions with the feature values the engine used for its
 * decision (never recomputed, so the model learns from exactly what it will be given) and what became known of them
 * by the as-of day.
 *
 * <ul>
 *   <li>Labels: those whose own time is on or before the as-of day. A chargeback outranks an analyst's verdict (the
 *   bank's word on the money is final); a transaction with either says FRAUD or LEGIT by it.
 *   <li>Maturity: a transaction counts only if it is at least {@code maturityDays} older than the as-of day, so that
 *   a chargeback had time to arrive; an unlabelled transaction that old counts as legitimate. Newer ones are left
 *   out: they would teach the model that recent fraud is legitimate.
 *   <li>A DECLINE without a label is left out: a payment that was refused cannot be charged back, so its truth is
 *   unknown. A labelled one counts.
 * </ul>
 * Columns: {@code txn_id}, {@code event_ts}, {@code features} (the engine's map), {@code label} (1.0 fraud, 0.0 not),
 * {@code labelled_by} (CHARGEBACK, ANALYST or null).
 */
public final class FraudExamples {
    private FraudExamples() {
    }

    /** The latest verdict per transaction known on {@code asOf}. */
    public static Dataset<Row> verdicts(final Dataset<Row> labels, final LocalDate asOf) {
        return labels.where("event_date <= DATE'" + asOf + "'").groupBy("txn_id").agg(
            expr("coalesce(max(CASE WHEN source = 'CHARGEBACK' THEN label END), "
                + "max(CASE WHEN source = 'ANALYST' THEN label END)) AS verdict"),
            expr("CASE WHEN max(CASE WHEN source = 'CHARGEBACK' THEN 1 END) = 1 "
                + "THEN 'CHARGEBACK' ELSE 'ANALYST' END AS labelled_by"));
    }

    /** Matured transactions with their label; see the class comment. */
    public static Dataset<Row> of(final Dataset<Row> transactions, final Dataset<Row> labels, final LocalDate asOf,
        final int maturityDays) {
        final LocalDate last = lastMatureDay(asOf, maturityDays);
        return transactions.where("event_date <= DATE'" + last + "' AND features IS NOT NULL")
            .join(verdicts(labels, asOf), "txn_id", "left")
            .where("verdict IS NOT NULL OR decision <> 'DECLINE'")
            .selectExpr("txn_id", "event_ts", "features",
                "CASE WHEN verdict = 'FRAUD' THEN 1.0D ELSE 0.0D END AS label", "labelled_by");
    }

    /** The newest day a transaction may have to count on {@code asOf}. */
    public static LocalDate lastMatureDay(final LocalDate asOf, final int maturityDays) {
        return asOf.minusDays(maturityDays);
    }
}
