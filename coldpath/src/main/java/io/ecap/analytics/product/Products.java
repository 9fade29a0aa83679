package io.ecap.analytics.product;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Product analytics over a window of days ending on the as-of day: how each product (and category) is seen, carted
 * and bought, how that moved against the window before, and which products are bought together.
 *
 * <p>Rates: {@code cart_rate} = add-to-carts / product views and {@code purchase_rate} = purchases / product views of
 * the product in the window (null without a view). Movers compare purchases (clickstream purchases plus order lines)
 * with the window of the same length just before: {@code purchase_change} = now - before.
 *
 * <p>Baskets: an order's distinct products (imported orders, not cancelled), and a session's distinct products
 * added to its cart when the session bought. For products A and B, over the window's baskets: {@code support} =
 * baskets with both / baskets, {@code confidence} = baskets with both / baskets with A (of buying B given A),
 * {@code lift} = confidence / (baskets with B / baskets): above 1, bought together more often than chance says.
 * A pair is kept from {@code minBaskets} baskets with both; each pair appears both ways (A→B and B→A).
 */
public final class Products {
    private Products() {
    }

    /**
     * Per product: category (its last in the catalogue up to the as-of day, or null), views, add_to_carts,
     * purchases (clickstream), order_lines and units (orders), purchase_rate, cart_rate, and the same purchases in the
     * window before (purchases_before) with purchase_change.
     *
     * @param events silver user_events: product_id, event_type, event_date
     * @param orders silver orders (product_id, quantity, cancelled, event_date), or null
     * @param catalog silver product_catalog_daily (product_id, category, event_date), or null
     */
    public static Dataset<Row> performance(final Dataset<Row> events, final Dataset<Row> orders,
        final Dataset<Row> catalog, final LocalDate asOf, final int days) {
        final String now = window(asOf, days, 0);
        final String before = window(asOf, days, 1);
        Dataset<Row> activity = events.where("product_id IS NOT NULL AND (" + now + " OR " + before + ")")
            .selectExpr("product_id", "CASE WHEN " + now + " THEN 1 ELSE 0 END AS now",
                "CASE WHEN event_type = 'product_view' THEN 1 ELSE 0 END AS view",
                "CASE WHEN event_type = 'add_to_cart' THEN 1 ELSE 0 END AS cart",
                "CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END AS bought", "0 AS line", "0 AS units");
        if (orders != null) {
            activity = activity.unionByName(orders.where("product_id IS NOT NULL AND NOT cancelled AND (" + now
                + " OR " + before + ")").selectExpr("product_id", "CASE WHEN " + now + " THEN 1 ELSE 0 END AS now",
                "0 AS view", "0 AS cart", "1 AS bought", "1 AS line", "quantity AS units"));
        }
        final Dataset<Row> perProduct = activity.groupBy("product_id").agg(
            functions.expr("sum(view * now) AS views"),
            functions.expr("sum(cart * now) AS add_to_carts"),
            functions.expr("sum(bought * (1 - line) * now) AS purchases"),
            functions.expr("sum(line * now) AS order_lines"),
            functions.expr("sum(units * now) AS units"),
            functions.expr("sum(bought * (1 - now)) AS purchases_before"),
            functions.expr("sum(bought * now) AS bought_now"));
        final Dataset<Row> withRates = perProduct.selectExpr("product_id", "views", "add_to_carts", "purchases",
            "order_lines", "units",
            "CASE WHEN views > 0 THEN add_to_carts / views END AS cart_rate",
            "CASE WHEN views > 0 THEN purchases / views END AS purchase_rate",
            "purchases_before", "bought_now - purchases_before AS purchase_change")
            .where("views + add_to_carts + purchases + order_lines + purchases_before > 0");
        if (catalog == null) {
            return withRates.withColumn("category", functions.lit(null).cast("string"));
        }
        final Dataset<Row> categories = catalog.where("event_date <= DATE'" + asOf + "' AND category IS NOT NULL")
            .selectExpr("product_id AS catalog_product", "category",
                "row_number() OVER (PARTITION BY product_id ORDER BY event_date DESC) AS nth")
            .where("nth = 1").drop("nth");
        return withRates.join(categories, withRates.col("product_id").equalTo(categories.col("catalog_product")),
            "left").drop("catalog_product");
    }

    /** {@link #performance} rolled up by category (products without one under "(none)"). */
    public static Dataset<Row> byCategory(final Dataset<Row> performance) {
        return performance.selectExpr("coalesce(category, '(none)') AS category", "views", "add_to_carts",
                "purchases", "order_lines", "units", "purchases_before", "purchase_change")
            .groupBy("category").agg(functions.expr("count(*) AS products"),
                functions.expr("sum(views) AS views"),
                functions.expr("sum(add_to_carts) AS add_to_carts"),
                functions.expr("sum(purchases) AS purchases"),
                functions.expr("sum(order_lines) AS order_lines"),
                functions.expr("sum(units) AS units"),
                functions.expr("sum(purchases_before) AS purchases_before"),
                functions.expr("sum(purchase_change) AS purchase_change"))
            .selectExpr("*", "CASE WHEN views > 0 THEN add_to_carts / views END AS cart_rate",
                "CASE WHEN views > 0 THEN purchases / views END AS purchase_rate");
    }

    /**
     * Products bought together in the window's baskets: product_a, product_b, baskets (with both), support,
     * confidence (of B given A), lift, and the window's basket count, most lift first.
     *
     * @param events silver user_events: session_id, product_id, event_type, event_date
     * @param orders silver orders, or null
     */
    public static Dataset<Row> pairs(final Dataset<Row> events, final Dataset<Row> orders, final LocalDate asOf,
        final int days, final long minBaskets) {
        final String now = window(asOf, days, 0);
        final Dataset<Row> sessions = events.where(now);
        final Dataset<Row> bought = sessions.where("event_type = 'purchase'").selectExpr("session_id AS bought_id")
            .distinct();
        Dataset<Row> items = sessions.where("event_type = 'add_to_cart' AND product_id IS NOT NULL")
            .join(bought, sessions.col("session_id").equalTo(bought.col("bought_id")))
            .selectExpr("concat('session:', session_id) AS basket", "product_id");
        if (orders != null) {
            items = items.unionByName(orders.where("product_id IS NOT NULL AND NOT cancelled AND " + now)
                .selectExpr("concat('order:', order_id) AS basket", "product_id"));
        }
        items = items.distinct().cache();
        final long baskets = items.select("basket").distinct().count();
        final Dataset<Row> single = items.groupBy("product_id").count().withColumnRenamed("count", "with_product");
        final Dataset<Row> a = items.toDF("basket", "product_a");
        final Dataset<Row> b = items.toDF("basket_b", "product_b");
        final Dataset<Row> together = a.join(b, a.col("basket").equalTo(b.col("basket_b"))
                .and(a.col("product_a").notEqual(b.col("product_b"))))
            .groupBy("product_a", "product_b").count().withColumnRenamed("count", "baskets")
            .where("baskets >= " + minBaskets);
        final Dataset<Row> withA = together.join(single.toDF("sa", "with_a"),
            together.col("product_a").equalTo(functions.col("sa"))).drop("sa");
        final Dataset<Row> withB = withA.join(single.toDF("sb", "with_b"),
            withA.col("product_b").equalTo(functions.col("sb"))).drop("sb");
        final Dataset<Row> result = withB.selectExpr("product_a", "product_b", "baskets",
            "baskets / " + Math.max(baskets, 1) + " AS support", "baskets / with_a AS confidence",
            "(baskets / with_a) / (with_b / " + Math.max(baskets, 1) + ") AS lift",
            "CAST(" + baskets + " AS BIGINT) AS window_baskets")
            .orderBy(functions.desc("lift"), functions.desc("baskets"),
                functions.asc("product_a"), functions.asc("product_b"));
        return result;
    }

    /** The condition on event_date of window {@code back} (0: the one ending on the as-of day, 1: the one before). */
    private static String window(final LocalDate asOf, final int days, final int back) {
        final LocalDate last = asOf.minusDays((long) days * back);
        return "(event_date BETWEEN DATE'" + last.minusDays(days - 1L) + "' AND DATE'" + last + "')";
    }
}
