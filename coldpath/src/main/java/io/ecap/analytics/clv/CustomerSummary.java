package io.ecap.analytics.clv;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Customers' purchase summaries from their purchases, the way the BG/NBD literature (and the {@code lifetimes}
 * package) builds them: purchases on the same day count as one (their amounts added); only purchases up to the end
 * of observation count; time is measured in days divided by {@code unitDays} (7 for weeks). Per customer with a
 * purchase by then:
 * <ul>
 *   <li>{@code frequency}: purchase days after the first;</li>
 *   <li>{@code recency}: from the first purchase day to the last;</li>
 *   <li>{@code age}: from the first purchase day to the end of observation;</li>
 *   <li>{@code monetary_value}: mean spend of the repeat purchase days (0 without any);</li>
 *   <li>{@code orders} and {@code revenue}: every purchase day and all spend, the first included (historical CLV).</li>
 * </ul>
 */
public final class CustomerSummary {
    private CustomerSummary() {
    }

    /**
     * @param purchases rows with {@code customer_id}, {@code purchase_date} (DATE) and {@code amount}
     * @return customer_id, frequency, recency, age, monetary_value, orders, revenue, first_purchase
     */
    public static Dataset<Row> of(final Dataset<Row> purchases, final LocalDate end, final double unitDays) {
        if (!(unitDays > 0)) {
            throw new IllegalArgumentException("unit days: expected a positive number, found " + unitDays);
        }
        final String endDate = "DATE'" + end + "'";
        final Dataset<Row> days = purchases.where("purchase_date <= " + endDate)
            .groupBy("customer_id", "purchase_date").agg(sum("amount").as("spend"));
        return days.selectExpr("*", "min(purchase_date) OVER (PARTITION BY customer_id) AS first_purchase")
            .groupBy("customer_id", "first_purchase")
            .agg(expr("count(*) - 1").as("frequency"),
                expr("datediff(max(purchase_date), first_purchase) / CAST(" + unitDays + " AS DOUBLE)")
                    .as("recency"),
                expr("datediff(" + endDate + ", first_purchase) / CAST(" + unitDays + " AS DOUBLE)")
                    .as("age"),
                expr("coalesce(avg(CASE WHEN purchase_date > first_purchase THEN "
                    + "CAST(spend AS DOUBLE) END), 0)").as("monetary_value"),
                expr("count(*)").as("orders"),
                expr("CAST(sum(spend) AS DECIMAL(28,4))").as("revenue"))
            .select("customer_id", "frequency", "recency", "age", "monetary_value", "orders", "revenue",
                "first_purchase");
    }
}
