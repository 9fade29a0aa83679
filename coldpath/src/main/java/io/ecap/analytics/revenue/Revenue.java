package io.ecap.analytics.revenue;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Revenue per day: what was bought, how many purchases, the average purchase, and how many buyers were new (their first
 * purchase ever, as far as the lake knows, was that day) or returning; for every channel and country, and for all of
 * them together ({@code channel} and {@code country} = {@value #ALL}). A channel or country the source does not know
 * (imported orders have no channel) is {@value #UNKNOWN}.
 *
 * <p>Columns: {@code day}, {@code channel}, {@code country}, {@code revenue} (exact decimal, the reporting currency),
 * {@code purchases}, {@code average_purchase} (revenue over purchases, four decimals), {@code customers} (distinct
 * buyers), {@code new_customers}, {@code returning_customers} ({@code customers} is their sum). Days without a purchase
 * have no row.
 */
public final class Revenue {
    public static final String ALL = "all";
    public static final String UNKNOWN = "unknown";

    private Revenue() {
    }

    /**
     * @param purchases customer_id, purchase_date, amount, channel, country: every purchase counted up to
     *     {@code asOf}, whatever its day (the first purchase of each customer decides new or returning)
     */
    public static Dataset<Row> daily(final Dataset<Row> purchases, final LocalDate asOf) {
        final String day = "DATE'" + asOf + "'";
        final Dataset<Row> dated = purchases.where("purchase_date <= " + day).selectExpr("customer_id",
            "purchase_date AS day", "amount", "coalesce(channel, '" + UNKNOWN + "') AS channel",
            "coalesce(country, '" + UNKNOWN + "') AS country",
            "purchase_date = min(purchase_date) OVER (PARTITION BY customer_id) AS first_day");
        dated.createOrReplaceTempView("revenue_purchases");
        return dated.sparkSession().sql(String.join("\n",
            "SELECT day, channel, country, revenue, purchases,",
            "  CAST(round(revenue / purchases, 4) AS DECIMAL(18,4)) AS average_purchase,",
            "  customers, new_customers, customers - new_customers AS returning_customers",
            "FROM (",
            "  SELECT day, coalesce(channel, '" + ALL + "') AS channel, coalesce(country, '" + ALL + "') AS country,",
            "    CAST(sum(amount) AS DECIMAL(18,4)) AS revenue, count(*) AS purchases,",
            "    count(DISTINCT customer_id) AS customers,",
            "    count(DISTINCT CASE WHEN first_day THEN customer_id END) AS new_customers",
            "  FROM revenue_purchases",
            "  GROUP BY GROUPING SETS ((day, channel, country), (day))",
            ")",
            "ORDER BY day, channel = '" + ALL + "' DESC, channel, country"));
    }
}
