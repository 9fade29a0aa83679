package io.ecap.lake;

import io.ecap.analytics.rfm.Rfm;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
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

    /** One line per measure: each score's range of values and its customers, from worst score to best. */
    private static void printCutPoints(final List<Row> cuts) {
        String measure = null;
        StringBuilder line = null;
        for (final Row cut : cuts) {
            if (!cut.getString(0).equals(measure)) {
                if (line != null) {
                    System.out.println(line);
                }
                measure = cut.getString(0);
                line = new StringBuilder("rfm: cut points of ").append(measure).append(" (score: values, customers):");
            }
            line.append(String.format(Locale.ROOT, " %d: %s..%s, %,d;", cut.getInt(1), cut.getString(2),
                cut.getString(3), cut.getLong(4)));
        }
        if (line != null) {
            System.out.println(line);
        }
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
        final Dataset<Row> segments = purchases.stamped(Rfm.segments(purchases.rows(), asOf), rules).cache();
        try {
            printCutPoints(Rfm.cutPoints(segments).collectAsList());
            final Dataset<Row> sizes = purchases.stamped(Rfm.sizes(segments), rules).orderBy(functions.desc("revenue"));
            final int places = Purchases.minorDigits(purchases.currency());
            for (final Row size : sizes.collectAsList()) {
                System.out.printf(Locale.ROOT, "rfm: %-19s %,6d customers (%5.1f%%), revenue %,." + places
                    + "f %s (%5.1f%%)%n", size.getString(0), size.getLong(1), 100 * size.getDouble(2),
                    size.getDecimal(3), purchases.currency(), 100 * size.getDouble(4));
            }
            DeltaWrites.replaceDay(spark, sizes, lake.gold("segment_sizes"), asOf);
            return DeltaWrites.replaceDay(spark, segments, lake.gold("customer_segments"), asOf);
        } finally {
            segments.unpersist();
        }
    }
}
