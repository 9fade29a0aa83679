package io.ecap.analytics.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.ecap.model.churn.ChurnModel;
import io.ecap.model.churn.PurchaseDays;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Churn: will a customer make no purchase in the next {@code horizonDays}? A logistic regression (Spark ML) on
 * features computed only from purchases before a cutoff, with labels only from the window after it:
 * <ul>
 *   <li>train at cutoff {@code asOf − 2·horizon} (labels from the window up to {@code asOf − horizon});</li>
 *   <li>measure ROC-AUC, PR-AUC and the Brier skill score (1 − the model's Brier score over that of always
 *       predicting the training churn rate: 0 is no better than the base rate) on the held-out next window: cutoff
 *       {@code asOf − horizon}, labels up to {@code asOf};</li>
 *   <li>score every customer with a purchase on or before {@code asOf} with that model, from the features at the
 *       end of that day.</li>
 * </ul>
 * Nothing from after a cutoff reaches its features, so the measured quality is what scoring today would get.
 */
public final class Churn {
    static final String[] FEATURES = PurchaseDays.FEATURES.toArray(new String[0]);

    /** The model, where and how it was measured, and the scores. */
    /**
     * @param model the fitted model's numbers, to score a customer again later without Spark
     * @param scores customer_id, churn_probability, model_version, and what the score was computed from, so that it
     *     can be computed again at a later day with later purchases ({@link io.ecap.model.churn.PurchaseDays}):
     *     first_purchase, last_purchase, purchase_days, spend, and recent_spend (a JSON array of {@code {"day",
     *     "spend"}} for each purchase day of the last 90 days)
     */
    public record Result(String modelVersion, LocalDate trainCutoff, LocalDate testCutoff, long trainRows,
        long testRows, double trainChurnRate, double rocAuc, double prAuc, double brierSkill, ChurnModel model,
        Dataset<Row> scores) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: trained at %s on %,d customers (%.1f%% churned); held-out window"
                + " from %s, %,d customers: ROC-AUC %.3f, PR-AUC %.3f, Brier skill %.3f", modelVersion, trainCutoff,
                trainRows, 100 * trainChurnRate, testCutoff, testRows, rocAuc, prAuc, brierSkill);
        }
    }

    private Churn() {
    }

    /**
     * @param purchases customer_id, purchase_date, amount
     * @param shuffleLabels for the leakage check only: labels are permuted across customers in both windows, so
     *     any quality left can only come from the label reaching the features
     */
    public static Result of(final Dataset<Row> purchases, final LocalDate asOf, final int horizonDays,
        final boolean shuffleLabels) {
        if (horizonDays < 1) {
            throw new IllegalArgumentException("horizon: expected at least 1 day, found " + horizonDays);
        }
        final LocalDate testCutoff = asOf.minusDays(horizonDays);
        final LocalDate trainCutoff = testCutoff.minusDays(horizonDays);
        Dataset<Row> train = labelled(purchases, trainCutoff, horizonDays).cache();
        Dataset<Row> test = labelled(purchases, testCutoff, horizonDays).cache();
        final long trainRows = train.count();
        final long churned = train.where("label = 1").count();
        if (trainRows < 10 || churned == 0 || churned == trainRows) {
            throw new IllegalArgumentException("churn: " + trainRows + " customers before " + trainCutoff + ", "
                + churned + " of them churned; need at least 10 and both outcomes (more history, or a shorter "
                + "horizon)");
        }
        if (shuffleLabels) {
            train = shuffled(train, 42);
            test = shuffled(test, 43);
        }
        final PipelineModel model = pipeline().fit(train);
        final Dataset<Row> predicted = model.transform(test);
        final double rocAuc = new BinaryClassificationEvaluator().setMetricName("areaUnderROC").evaluate(predicted);
        final double prAuc = new BinaryClassificationEvaluator().setMetricName("areaUnderPR").evaluate(predicted);
        final double baseRate = (double) churned / trainRows;
        final Row brier = predicted.select(functions.vector_to_array(col("probability"), "float64").getItem(1)
            .as("p"), col("label")).selectExpr("avg(pow(p - label, 2))", "avg(pow(" + baseRate + " - label, 2))")
            .first();
        final LogisticRegressionModel lr = (LogisticRegressionModel) model.stages()[2];
        final String version = String.format(Locale.ROOT, "churn-lr-%s-%08x", asOf,
            Arrays.hashCode(lr.coefficients().toArray()) ^ Double.hashCode(lr.intercept()));
        // scored at the end of the as-of day: a purchase on that day counts, as in RFM and CLV
        final Dataset<Row> scores = model.transform(features(purchases, asOf.plusDays(1)))
            .select(col("customer_id"), functions.vector_to_array(col("probability"), "float64").getItem(1)
                .as("churn_probability"))
            .selectExpr("customer_id", "churn_probability", "'" + version + "' AS model_version")
            .join(purchaseDays(purchases, asOf.plusDays(1)), "customer_id");
        final StandardScalerModel scaler = (StandardScalerModel) model.stages()[1];
        final ChurnModel numbers = new ChurnModel(Arrays.asList(FEATURES), scaler.mean().toArray(),
            scaler.std().toArray(), lr.coefficients().toArray(), lr.intercept());
        final long testRows = test.count();
        train.unpersist();
        test.unpersist();
        return new Result(version, trainCutoff, testCutoff, trainRows, testRows, baseRate, rocAuc, prAuc,
            1 - brier.getDouble(0) / brier.getDouble(1), numbers, scores);
    }

    /** What {@link #features} reads, per customer with a purchase before {@code cutoff}, for a later day's score. */
    static Dataset<Row> purchaseDays(final Dataset<Row> purchases, final LocalDate cutoff) {
        final String day = "DATE'" + cutoff + "'";
        // money stays a decimal here (the features take each day's spend as a double, as the model saw it)
        return purchases.where("purchase_date < " + day)
            .groupBy("customer_id", "purchase_date").agg(expr("CAST(sum(amount) AS DECIMAL(28,4))").as("spend"))
            .groupBy("customer_id").agg(
                expr("min(purchase_date)").as("first_purchase"),
                expr("max(purchase_date)").as("last_purchase"),
                expr("count(*)").as("purchase_days"),
                expr("CAST(sum(spend) AS DECIMAL(28,4))").as("spend"),
                expr("to_json(array_sort(collect_list(named_struct('day', purchase_date, 'spend', spend)) FILTER "
                    + "(WHERE purchase_date >= date_sub(" + day + ", " + PurchaseDays.WINDOW_DAYS + "))))")
                    .as("recent_spend"));
    }

    /** Each customer gets another's label: a random permutation, seeded so the check repeats. */
    private static Dataset<Row> shuffled(final Dataset<Row> rows, final long seed) {
        final Dataset<Row> labels = rows.selectExpr("label", "row_number() OVER (ORDER BY rand(" + seed + ")) AS i");
        return rows.drop("label").selectExpr("*", "row_number() OVER (ORDER BY customer_id) AS i")
            .join(labels, "i").drop("i");
    }

    /** Features at {@code cutoff} from purchases strictly before it, per customer with at least one. */
    static Dataset<Row> features(final Dataset<Row> purchases, final LocalDate cutoff) {
        final String day = "DATE'" + cutoff + "'";
        final String days90 = "purchase_date >= date_sub(" + day + ", " + PurchaseDays.WINDOW_DAYS + ")";
        return purchases.where("purchase_date < " + day)
            .groupBy("customer_id", "purchase_date").agg(expr("CAST(sum(amount) AS DOUBLE)").as("spend"))
            .groupBy("customer_id").agg(
                expr("CAST(datediff(" + day + ", max(purchase_date)) AS DOUBLE)").as("recency_days"),
                expr("CAST(datediff(" + day + ", min(purchase_date)) AS DOUBLE)").as("tenure_days"),
                expr("CAST(count(*) AS DOUBLE)").as("purchase_days"),
                expr("sum(spend)").as("spend"),
                expr("avg(spend)").as("mean_order"),
                expr("CAST(count_if(purchase_date >= date_sub(" + day + ", 30)) AS DOUBLE)").as("purchase_days_30d"),
                expr("CAST(count_if(" + days90 + ") AS DOUBLE)").as("purchase_days_90d"),
                expr("coalesce(sum(spend) FILTER (WHERE " + days90 + "), 0)")
                    .as("spend_90d"));
    }

    /** Features at the cutoff, and label 1 when the customer makes no purchase in [cutoff, cutoff + horizon). */
    static Dataset<Row> labelled(final Dataset<Row> purchases, final LocalDate cutoff, final int horizonDays) {
        final String from = "DATE'" + cutoff + "'";
        final String to = "DATE'" + cutoff.plusDays(horizonDays) + "'";
        final Dataset<Row> buyers = purchases.where("purchase_date >= " + from + " AND purchase_date < " + to)
            .select("customer_id").distinct().withColumn("bought", expr("true"));
        return features(purchases, cutoff).join(buyers, "customer_id", "left")
            .selectExpr("*", "CASE WHEN bought THEN 0.0 ELSE 1.0 END AS label").drop("bought");
    }

    private static Pipeline pipeline() {
        return new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(FEATURES).setOutputCol("raw_features"),
            new StandardScaler().setInputCol("raw_features").setOutputCol("features").setWithMean(true),
            new LogisticRegression().setMaxIter(100).setRegParam(0.01)});
    }
}
