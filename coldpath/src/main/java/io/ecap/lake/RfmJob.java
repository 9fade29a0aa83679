package io.ecap.lake;

import io.ecap.analytics.rfm.Rfm;
import java.time.LocalDate;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
        return run(asOfOrNull, Purchases.DEFAULT_OUTCOMES);
    }

    /** Returns the number of customers segmented, counting the transactions whose decision is in {@code outcomes}. */
    long run(final LocalDate asOfOrNull, final Set<String> outcomes) {
        final Purchases purchases = Purchases.of(spark, lake, "rfm", outcomes, asOfOrNull);
        System.out.println("rfm: " + purchases.describe(outcomes));
        final LocalDate asOf = purchases.asOf();
        final Dataset<Row> segments = Rfm.segments(purchases.rows(), asOf).cache();
        try {
            DeltaWrites.replaceDay(spark, Rfm.sizes(segments), lake.gold("segment_sizes"), asOf);
            return DeltaWrites.replaceDay(spark, segments, lake.gold("customer_segments"), asOf);
        } finally {
            segments.unpersist();
        }
    }
}
