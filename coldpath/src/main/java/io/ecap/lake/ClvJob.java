package io.ecap.lake;

import io.ecap.analytics.clv.BgNbd;
import io.ecap.analytics.clv.CdnowFormat;
import io.ecap.analytics.clv.CustomerLifetimeValue;
import io.ecap.analytics.clv.CustomerSummary;
import io.ecap.analytics.clv.Fit;
import io.ecap.analytics.clv.GammaGamma;
import io.ecap.analytics.clv.Summaries;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The CLV jobs: {@code clv} fits the models on the purchases in silver ({@link Purchases}) and writes gold
 * {@code customer_clv} and {@code clv_models} for the as-of day (that day's partition is replaced, earlier days
 * stay); {@code clv-fit} fits them on a CDNOW-format file and prints the parameters.
 */
final class ClvJob {
    private static final StructType MODEL_SCHEMA = (StructType) DataType.fromDDL("model STRING, parameter STRING,"
        + " value DOUBLE, log_likelihood DOUBLE, converged BOOLEAN, evaluations INT");

    private final SparkSession spark;
    private final Lake lake;

    ClvJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the number of customers valued. */
    long run(final LocalDate asOfOrNull, final double unitDays, final double horizonDays) {
        return run(asOfOrNull, unitDays, horizonDays, null);
    }

    /**
     * @param marginRate the share of revenue that is margin (0 to 1), or null when not configured: then the margin
     *     columns are null
     */
    long run(final LocalDate asOfOrNull, final double unitDays, final double horizonDays, final Double marginRate) {
        return run(asOfOrNull, unitDays, horizonDays, marginRate, PurchaseRules.DEFAULT);
    }

    /** As above, counting and valuing purchases by {@code rules}. */
    long run(final LocalDate asOfOrNull, final double unitDays, final double horizonDays, final Double marginRate,
        final PurchaseRules rules) {
        final Purchases purchases = Purchases.of(spark, lake, "clv", rules, asOfOrNull);
        System.out.println("clv: " + purchases.describe(rules));
        final LocalDate asOf = purchases.asOf();
        final CustomerLifetimeValue.Result result = CustomerLifetimeValue.of(purchases.rows(), asOf, unitDays,
            horizonDays);
        System.out.println(result.purchases());
        System.out.println(result.spend());
        DeltaWrites.replaceDay(spark, purchases.stamped(spark.createDataFrame(CustomerLifetimeValue.modelRows(result),
            MODEL_SCHEMA).selectExpr("*", "CAST(" + horizonDays + " AS DOUBLE) AS horizon_days", "CAST(" + unitDays
                + " AS DOUBLE) AS unit_days"), rules), lake.gold("clv_models"), asOf);
        final String rate = marginRate == null ? "CAST(NULL AS DOUBLE)" : marginRate.toString();
        return DeltaWrites.replaceDay(spark, purchases.stamped(result.customers().selectExpr("*",
            "CAST(revenue * " + rate + " AS DECIMAL(28,4)) AS margin", "predicted_clv * " + rate
                + " AS predicted_margin"), rules), lake.gold("customer_clv"), asOf);
    }

    /** Fits both models on a CDNOW-format file and prints them; returns whether both converged. */
    boolean fitFile(final String file, final LocalDate end, final double unitDays) {
        final Summaries data = Summaries.of(CustomerSummary.of(CdnowFormat.read(spark, file), end, unitDays)
            .select("customer_id", "frequency", "recency", "age", "monetary_value").collectAsList());
        System.out.printf("%s: %,d customers, observation ending %s, time unit %s days%n", file, data.size(), end,
            unitDays);
        final Fit purchases = BgNbd.fit(data);
        final Fit spend = GammaGamma.fit(data);
        System.out.println(purchases);
        System.out.println(spend);
        return purchases.converged() && spend.converged();
    }
}
