package io.ecap.lake;

import io.ecap.analytics.product.Products;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code products}: product analytics ({@link Products}) over the {@code --days} days up to the as-of day, from
 * silver user events, imported orders and the catalogue, into gold {@code product_performance},
 * {@code category_performance} and {@code product_pairs}; that day's partition of each is replaced.
 */
final class ProductsJob {
    static final String OPTIONS = "--as-of --days --min-baskets";
    private static final int SHOWN = 5;

    /** The options, checked before Spark starts. */
    record Options(LocalDate asOf, int days, long minBaskets) {
        static Options parse(final Map<String, String> options) {
            final int days = LakeMain.days(options, "--days", 30);
            return new Options(AsOf.notInTheFuture(LakeMain.date(options, "--as-of", null)), days,
                LakeMain.number(options, "--min-baskets", 2, 1));
        }
    }

    private final SparkSession spark;
    private final Lake lake;

    ProductsJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the number of products with activity in the window or the one before. */
    long run(final Options options) {
        if (!DeltaWrites.exists(spark, lake.silver("user_events"))) {
            throw new IllegalArgumentException("products: no silver/user_events in " + lake.root()
                + " (ecap lake bronze-to-silver makes it from the clickstream)");
        }
        final Dataset<Row> events = spark.read().format("delta").load(lake.silver("user_events"));
        final Dataset<Row> orders = DeltaWrites.exists(spark, lake.silver("orders"))
            ? spark.read().format("delta").load(lake.silver("orders")) : null;
        final Dataset<Row> catalog = DeltaWrites.exists(spark, lake.silver("product_catalog_daily"))
            ? spark.read().format("delta").load(lake.silver("product_catalog_daily")) : null;
        if (events.where("product_id IS NOT NULL").isEmpty()) {
            throw new IllegalStateException("products: no clickstream event in silver/user_events names a product "
                + "(ecap generate --kinds events, or send user events); nothing to analyse");
        }
        final LocalDate asOf = AsOf.orLast(options.asOf(), events.where("product_id IS NOT NULL"), "event_date",
            "products");
        final LocalDate first = asOf.minusDays(options.days() - 1L);
        final Dataset<Row> performance = Products.performance(events, orders, catalog, asOf, options.days())
            .cache();
        try {
            final long products = performance.count();
            if (products == 0) {
                throw new IllegalStateException("products: no product viewed, carted or bought from " + first
                    + " to " + asOf + " (nor in the " + options.days() + " days before, for movers); nothing to "
                    + "analyse");
            }
            System.out.printf("products: %,d products from %s to %s (%d days; the window before for movers)%n",
                products, first, asOf, options.days());
            final java.sql.Date start = events.where("product_id IS NOT NULL").selectExpr("min(event_date)").first()
                .getDate(0);
            if (start.toLocalDate().isAfter(first.minusDays(options.days()))) {
                System.out.printf("products: the clickstream starts on %s, within the window before (from %s): "
                    + "movers compare against part of a window%n", start, first.minusDays(options.days()));
            }
            print("most viewed", performance.where("views > 0").orderBy(functions.desc("views"),
                functions.asc("product_id")));
            print("rising (purchases against the window before)", performance.where("purchase_change > 0")
                .orderBy(functions.desc("purchase_change"), functions.asc("product_id")));
            print("falling", performance.where("purchase_change < 0").orderBy(functions.asc("purchase_change"),
                functions.asc("product_id")));
            // windows of several lengths are kept side by side: a run replaces its own length's rows of the day
            final String window = "window_days = " + options.days();
            final org.apache.spark.sql.Column days = functions.lit(options.days());
            DeltaWrites.replaceDay(spark, performance.withColumn("window_days", days),
                lake.gold("product_performance"), asOf, window);
            DeltaWrites.replaceDay(spark, Products.byCategory(performance).withColumn("window_days", days),
                lake.gold("category_performance"), asOf, window);
            final Dataset<Row> pairs = Products.pairs(events, orders, asOf, options.days(), options.minBaskets())
                .withColumn("window_days", days);
            final List<Row> top = pairs.limit(SHOWN).collectAsList();
            final long written = DeltaWrites.replaceDay(spark, pairs, lake.gold("product_pairs"), asOf, window);
            if (top.isEmpty()) {
                System.out.printf("products: no two products together in %,d or more basket%s%n",
                    options.minBaskets(), options.minBaskets() == 1 ? "" : "s");
            } else {
                System.out.printf("products: %,d pairs bought together (in %,d or more of the window's %,d baskets)"
                    + "; most lift:%n", written, options.minBaskets(), top.get(0).<Long>getAs("window_baskets"));
                for (final Row r : top) {
                    System.out.printf(Locale.ROOT, "  %s -> %s: %,d basket%s, support %.3f, confidence %.2f, lift "
                        + "%.2f%n", r.getString(0), r.getString(1), r.<Long>getAs("baskets"),
                        r.<Long>getAs("baskets") == 1 ? "" : "s",
                        r.<Double>getAs("support"), r.<Double>getAs("confidence"), r.<Double>getAs("lift"));
                }
            }
            return products;
        } finally {
            performance.unpersist();
        }
    }

    private static void print(final String what, final Dataset<Row> ordered) {
        final StringBuilder line = new StringBuilder("products: ").append(what).append(':');
        final List<Row> rows = ordered.limit(SHOWN).collectAsList();
        for (final Row r : rows) {
            line.append(String.format(Locale.ROOT, " %s (%,d views, %,d carts, %,d bought%s, %+d);",
                r.<String>getAs("product_id"), r.<Long>getAs("views"), r.<Long>getAs("add_to_carts"),
                r.<Long>getAs("purchases") + r.<Long>getAs("order_lines"),
                r.getAs("purchase_rate") == null ? "" : String.format(Locale.ROOT, ", %.1f%% of views",
                    100 * r.<Double>getAs("purchase_rate")), r.<Long>getAs("purchase_change")));
        }
        System.out.println(rows.isEmpty() ? line.append(" none") : line);
    }
}
