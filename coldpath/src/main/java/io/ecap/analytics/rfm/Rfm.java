package io.ecap.analytics.rfm;

import static org.apache.spark.sql.functions.expr;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Recency, frequency and monetary scores and segments as of a day, over the customers with at least one purchase
 * on or before it.
 *
 * <p>Recency is the days from the last purchase to the as-of day, frequency the number of purchases, monetary their
 * total. Each becomes a score from 1 to 5, 5 best (most recent, most frequent, highest spend), by quintile of the
 * customer's rank: {@code score = 1 + ⌊5 · percent_rank⌋} (capped at 5), ranking from worst to best. <b>Ties</b>
 * share a rank, and so a score: customers with the same value always get the same score, which is the lowest their
 * group's position allows (when most customers bought once, they all get F = 1, and the quintiles above are
 * smaller). The segment comes from {@link Segment}'s table.
 */
public final class Rfm {
    private Rfm() {
    }

    /**
     * @param purchases customer_id, purchase_date, amount (a decimal: monetary is their exact sum)
     * @return customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rfm (e.g. "545"), segment
     */
    public static Dataset<Row> segments(final Dataset<Row> purchases, final LocalDate asOf) {
        final String day = "DATE'" + asOf + "'";
        final Dataset<Row> values = purchases.where("purchase_date <= " + day).groupBy("customer_id")
            .agg(expr("datediff(" + day + ", max(purchase_date))").as("recency_days"),
                expr("count(*)").as("frequency"),
                expr("sum(amount)").as("monetary"));
        return values.selectExpr("*",
                score("recency_days DESC"), score("frequency"), score("monetary"))
            .toDF("customer_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score")
            .selectExpr("*", "concat(r_score, f_score, m_score) AS rfm",
                Segment.sqlExpression("r_score", "f_score", "m_score") + " AS segment");
    }

    /**
     * Per segment: customers, their share, revenue and its share of all revenue. Shares are rounded to six decimals
     * (a ten-thousandth of a percent), so that a table shows 0.3 rather than 0.30000000000000004.
     */
    public static Dataset<Row> sizes(final Dataset<Row> segments) {
        return segments.groupBy("segment").agg(
                expr("count(*)").as("customers"),
                expr("sum(monetary)").as("revenue"))
            .selectExpr("segment", "customers", "round(customers / sum(customers) OVER (), 6) AS customer_share",
                "revenue", "round(CAST(revenue AS DOUBLE) / sum(CAST(revenue AS DOUBLE)) OVER (), 6) AS revenue_share");
    }

    /**
     * The cut points the scores fell on: per measure (recency_days, frequency, monetary) and score, the lowest and
     * highest value that got it and how many customers did.
     *
     * @return measure, score, low, high (as strings: days, counts or money), customers; ordered
     */
    public static Dataset<Row> cutPoints(final Dataset<Row> segments) {
        Dataset<Row> all = null;
        for (final String[] measure : new String[][] {{"recency_days", "r_score"}, {"frequency", "f_score"},
            {"monetary", "m_score"}}) {
            final Dataset<Row> one = segments.groupBy(measure[1]).agg(expr("CAST(min(" + measure[0] + ") AS STRING)")
                    .as("low"), expr("CAST(max(" + measure[0] + ") AS STRING)").as("high"), expr("count(*)")
                    .as("customers"))
                .selectExpr("'" + measure[0] + "' AS measure", measure[1] + " AS score", "low", "high", "customers");
            all = all == null ? one : all.union(one);
        }
        return all.orderBy(expr("CASE measure WHEN 'recency_days' THEN 1 WHEN 'frequency' THEN 2 ELSE 3 END"),
            expr("score"));
    }

    /** 1 + ⌊5 · percent_rank⌋ over the order given (worst first), capped at 5. */
    private static String score(final String order) {
        return "least(5, 1 + CAST(floor(5 * percent_rank() OVER (ORDER BY " + order + ")) AS INT))";
    }
}
