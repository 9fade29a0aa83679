package io.ecap.lake;

import io.ecap.analytics.rfm.Rfm;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code rfm}: gold {@code customer_segments} (each customer's recency, frequency, monetary, scores and segment) and
 * {@code segment_sizes} (customers and revenue per segment, and their shares) as of a day; that day's partition is
 * replaced, earlier days stay.
 */
final class RfmJob {
    private final SparkSession spark;
    private final Lake lake;

    RfmJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the number of customers segmented; only APPROVE decisions count. */
    long run(final LocalDate asOfOrNull) {
        return run(asOfOrNull, PurchaseRules.DEFAULT);
    }

    /** Returns the number of customers segmented, counting and valuing purchases by {@code rules}. */
    long run(final LocalDate asOfOrNull, final PurchaseRules rules) {
        final Purchases purchases = Purchases.of(spark, lake, "rfm", rules, asOfOrNull);
        System.out.println("rfm: " + purchases.describe(rules));
        final LocalDate asOf = purchases.asOf();
        final Dataset<Row> segments = Rfm.segments(purchases.rows(), asOf)
            .withColumn("currency", functions.lit(purchases.currency())).cache();
        try {
            DeltaWrites.replaceDay(spark, Rfm.sizes(segments).withColumn("currency",
                functions.lit(purchases.currency())), lake.gold("segment_sizes"), asOf);
            return DeltaWrites.replaceDay(spark, segments, lake.gold("customer_segments"), asOf);
        } finally {
            segments.unpersist();
        }
    }
}
