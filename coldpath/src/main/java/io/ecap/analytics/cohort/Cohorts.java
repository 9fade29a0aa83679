package io.ecap.analytics.cohort;

import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Acquisition cohorts: customers grouped by the period (month or week) of their first purchase, and for each later
 * period how many of them bought again and what they spent.
 *
 * <p>For cohort {@code c} and period index {@code k} (0 is the first purchase's own period): {@code customers} is
 * the cohort's size, {@code active_customers} those with at least one purchase in period {@code c + k},
 * {@code retention} their share (six decimals), {@code revenue} the sum of those purchases (exact decimal), and
 * {@code cumulative_revenue_per_customer} the cohort's revenue in periods 0 to {@code k} divided by its size. A
 * period that ends after the as-of day is {@code complete = false}: its figures can still grow. Only purchases on or
 * before the as-of day count; a period in which no one of the cohort bought has a row with zeros.
 */
public final class Cohorts {
    /** The length of a period. */
    public enum Period {
        MONTH, WEEK;

        /** {@code month} or {@code week}; anything else is an error naming the option. */
        public static Period parse(final String text) {
            if (text == null) {
                return MONTH;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "month" -> MONTH;
                case "week" -> WEEK;
                default -> throw new IllegalArgumentException("--period: expected month or week, found '" + text
                    + "'");
            };
        }

        String unit() {
            return this == MONTH ? "MONTH" : "WEEK";
        }

        /** Periods between two period starts, as SQL. */
        String between(final String from, final String to) {
            return this == MONTH ? "CAST(months_between(" + to + ", " + from + ") AS INT)"
                : "CAST(datediff(" + to + ", " + from + ") / 7 AS INT)";
        }

        /** The start of the period after the one starting at {@code start}, as SQL. */
        String next(final String start) {
            return this == MONTH ? "add_months(" + start + ", 1)" : "date_add(" + start + ", 7)";
        }
    }

    private Cohorts() {
    }

    /**
     * @param purchases customer_id, purchase_date, amount (a decimal)
     * @return cohort, period_index, period_start, customers, active_customers, retention, revenue,
     *     cumulative_revenue_per_customer, complete; ordered by cohort and period index
     */
    public static Dataset<Row> of(final Dataset<Row> purchases, final LocalDate asOf, final Period period) {
        final String day = "DATE'" + asOf + "'";
        final String unit = period.unit();
        final Dataset<Row> counted = purchases.where("purchase_date <= " + day)
            .selectExpr("customer_id", "CAST(date_trunc('" + unit + "', purchase_date) AS DATE) AS period_start",
                "amount");
        counted.createOrReplaceTempView("cohort_purchases");
        final String sql = String.join("\n",
            "WITH firsts AS (SELECT customer_id, min(period_start) AS cohort FROM cohort_purchases",
            "   GROUP BY customer_id),",
            " sizes AS (SELECT cohort, count(*) AS customers FROM firsts GROUP BY cohort),",
            " cells AS (SELECT f.cohort, " + period.between("f.cohort", "p.period_start") + " AS period_index,",
            "   count(DISTINCT p.customer_id) AS active_customers, sum(p.amount) AS revenue",
            "   FROM cohort_purchases p JOIN firsts f ON p.customer_id = f.customer_id",
            "   GROUP BY f.cohort, " + period.between("f.cohort", "p.period_start") + "),",
            " grid AS (SELECT s.cohort, s.customers, i AS period_index FROM sizes s",
            "   LATERAL VIEW explode(sequence(0, " + period.between("s.cohort",
                "CAST(date_trunc('" + unit + "', " + day + ") AS DATE)") + ")) t AS i)",
            "SELECT g.cohort, g.period_index,",
            "  CAST(" + start(period, "g.cohort", "g.period_index") + " AS DATE) AS period_start, g.customers,",
            "  coalesce(c.active_customers, 0) AS active_customers,",
            "  round(coalesce(c.active_customers, 0) / g.customers, 6) AS retention,",
            "  CAST(coalesce(c.revenue, 0) AS DECIMAL(18,4)) AS revenue,",
            "  CAST(sum(coalesce(c.revenue, 0)) OVER (PARTITION BY g.cohort ORDER BY g.period_index)",
            "    / g.customers AS DECIMAL(18,4)) AS cumulative_revenue_per_customer,",
            "  " + period.next(start(period, "g.cohort", "g.period_index")) + " <= date_add(" + day + ", 1)"
                + " AS complete",
            "FROM grid g LEFT JOIN cells c ON g.cohort = c.cohort AND g.period_index = c.period_index",
            "ORDER BY g.cohort, g.period_index");
        return purchases.sparkSession().sql(sql);
    }

    private static String start(final Period period, final String cohort, final String index) {
        return period == Period.MONTH ? "add_months(" + cohort + ", " + index + ")"
            : "date_add(" + cohort + ", " + index + " * 7)";
    }
}
