package io.ecap.lake;

import io.ecap.analytics.cohort.Cohorts;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code cohorts}: gold {@code cohort_retention}, the acquisition cohorts ({@link Cohorts}) as of a day, month by
 * month or week by week; that day's partition is replaced, earlier days stay.
 */
final class CohortJob {
    private final SparkSession spark;
    private final Lake lake;

    CohortJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the number of rows written (cohorts times their periods), counting purchases by {@code rules}. */
    long run(final LocalDate asOfOrNull, final Cohorts.Period period, final PurchaseRules rules) {
        final Purchases purchases = Purchases.of(spark, lake, "cohorts", rules, asOfOrNull);
        System.out.println("cohorts: " + purchases.describe(rules));
        final LocalDate asOf = purchases.asOf();
        final Dataset<Row> cohorts = purchases.stamped(Cohorts.of(purchases.rows(), asOf, period)
            .withColumn("period", functions.lit(period.name().toLowerCase(Locale.ROOT))), rules).cache();
        try {
            print(cohorts.where("period_index <= 3").collectAsList(), period, purchases.currency());
            // monthly and weekly cohorts of the same day are kept side by side: a run replaces its own period's
            final String periodName = period.name().toLowerCase(Locale.ROOT);
            return DeltaWrites.replaceDay(spark, cohorts, lake.gold("cohort_retention"), asOf,
                "period = '" + periodName + "'");
        } finally {
            cohorts.unpersist();
        }
    }

    /**
     * One line per cohort: its size and, for its first four periods (0 to 3), the share that bought and the revenue
     * per customer so far; the later periods are in the table only, as the last line says.
     */
    private static void print(final List<Row> rows, final Cohorts.Period period, final String currency) {
        final String unit = period.name().toLowerCase(Locale.ROOT);
        StringBuilder line = null;
        Object cohort = null;
        for (final Row row : rows) {
            if (!row.getAs("cohort").equals(cohort)) {
                if (line != null) {
                    System.out.println(line);
                }
                cohort = row.getAs("cohort");
                line = new StringBuilder(String.format(Locale.ROOT, "cohorts: %s %s, %,d customers:", unit, cohort,
                    row.<Long>getAs("customers")));
            }
            line.append(String.format(Locale.ROOT, " %s %d %.1f%%%s", unit, row.<Integer>getAs("period_index"),
                100 * row.<Double>getAs("retention"), row.<Boolean>getAs("complete") ? "" : " (so far)"));
            line.append(String.format(Locale.ROOT, ", %s %s a customer;",
                row.<java.math.BigDecimal>getAs("cumulative_revenue_per_customer").setScale(2,
                    java.math.RoundingMode.HALF_EVEN).toPlainString(), currency));
        }
        if (line != null) {
            System.out.println(line);
            System.out.printf("cohorts: periods 0 to 3 shown; every %s of every cohort is in gold cohort_retention%n",
                unit);
        }
    }
}
