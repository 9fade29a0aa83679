package io.ecap.lake;

import io.ecap.analytics.churn.Churn;
import io.ecap.model.churn.ChurnModel;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * {@code churn}: trains and measures the churn model ({@link Churn}) on silver's purchases and writes gold
 * {@code churn_scores} (every customer's probability of no purchase in the horizon, with the model version) and
 * {@code churn_models} (the version, its cutoffs, its held-out ROC-AUC and PR-AUC, and its numbers: each feature's
 * mean and deviation, the coefficients and the intercept) for the as-of day. With each score go the customer's
 * purchase days it was computed from, so that the gateway can score the customer again with later purchases.
 */
final class ChurnJob {
    private static final StructType MODEL = (StructType) DataType.fromDDL("model_version STRING, horizon_days INT,"
        + " train_cutoff DATE, test_cutoff DATE, train_customers BIGINT, test_customers BIGINT,"
        + " train_churn_rate DOUBLE, roc_auc DOUBLE, pr_auc DOUBLE, brier_skill DOUBLE, features ARRAY<STRING>,"
        + " feature_means ARRAY<DOUBLE>, feature_stds ARRAY<DOUBLE>, coefficients ARRAY<DOUBLE>, intercept DOUBLE,"
        + " through_journal_index BIGINT");

    private final SparkSession spark;
    private final Lake lake;

    ChurnJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Counts and values purchases by {@code rules}. */
    Churn.Result run(final LocalDate asOfOrNull, final int horizonDays, final PurchaseRules rules) {
        final Purchases purchases = Purchases.of(spark, lake, "churn", rules, asOfOrNull);
        System.out.println("churn: " + purchases.describe(rules));
        final LocalDate asOf = purchases.asOf();
        final Churn.Result result = Churn.of(purchases.rows(), asOf, horizonDays, false);
        final long scored = DeltaWrites.replaceDay(spark, purchases.stamped(result.scores(), rules),
            lake.gold("churn_scores"), asOf);
        System.out.printf("churn: %,d customers scored as of %s (chance of no purchase in the next %d days) in %s%n",
            scored, asOf, horizonDays, lake.gold("churn_scores"));
        final ChurnModel numbers = result.model();
        final Row model = RowFactory.create(result.modelVersion(), horizonDays, Date.valueOf(result.trainCutoff()),
            Date.valueOf(result.testCutoff()), result.trainRows(), result.testRows(), result.trainChurnRate(),
            result.rocAuc(), result.prAuc(), result.brierSkill(), numbers.features().toArray(new String[0]),
            boxed(numbers.means()), boxed(numbers.stds()), boxed(numbers.coefficients()), numbers.intercept(),
            purchases.throughJournalIndex());
        DeltaWrites.replaceDay(spark, purchases.stamped(spark.createDataFrame(List.of(model), MODEL), rules),
            lake.gold("churn_models"), asOf);
        return result;
    }

    private static Double[] boxed(final double[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Double[]::new);
    }
}
