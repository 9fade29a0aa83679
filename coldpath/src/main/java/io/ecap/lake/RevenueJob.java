package io.ecap.lake;

import io.ecap.analytics.revenue.Revenue;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code revenue}: gold {@code revenue_daily}, {@link Revenue} per day, channel and country up to a day, in the
 * reporting currency; that as-of day's partition is replaced, earlier ones stay.
 */
final class RevenueJob {
    private final SparkSession spark;
    private final Lake lake;

    RevenueJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the number of rows written, counting purchases by {@code rules}. */
    long run(final LocalDate asOfOrNull, final PurchaseRules rules) {
        final Purchases purchases = Purchases.of(spark, lake, "revenue", rules, asOfOrNull);
        System.out.println("revenue: " + purchases.describe(rules));
        final Dataset<Row> daily = purchases.stamped(Revenue.daily(purchases.withDimensions(), purchases.asOf()), rules)
            .cache();
        try {
            print(daily.where("channel = '" + Revenue.ALL + "' AND day > DATE'" + purchases.asOf().minusDays(7) + "'")
                .orderBy("day").collectAsList(), purchases.currency());
            return DeltaWrites.replaceDay(spark, daily, lake.gold("revenue_daily"), purchases.asOf());
        } finally {
            daily.unpersist();
        }
    }

    /** The last seven days, all channels and countries together. */
    private static void print(final List<Row> days, final String currency) {
        for (final Row d : days) {
            System.out.printf(Locale.ROOT, "revenue: %s  %,14.2f %s  %,7d purchases  average %,10.2f  customers %,d "
                + "(%,d new, %,d returning)%n", d.getAs("day"), d.<java.math.BigDecimal>getAs("revenue"), currency,
                d.<Long>getAs("purchases"), d.<java.math.BigDecimal>getAs("average_purchase"),
                d.<Long>getAs("customers"), d.<Long>getAs("new_customers"), d.<Long>getAs("returning_customers"));
        }
        System.out.println("revenue: the last 7 days shown; every day by channel and country is in gold revenue_daily");
    }
}
