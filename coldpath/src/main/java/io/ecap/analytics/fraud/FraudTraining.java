package io.ecap.analytics.fraud;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains a fraud model on {@link FraudExamples} with Spark ML and measures it on the newest part.
 *
 * <ul>
 *   <li>Features: every engine feature the examples carry that is not always missing or always the same in the
 *   training part, in name order; for logistic regression not the features that are codes ({@link #CODES}: a
 *   channel, country, merchant category or RFM segment is a number per category, meaningless as a magnitude).
 *   <li>Split by time: the newest {@code testShare} of the examples (by event time) is held out; the model is trained
 *   on the older ones only.
 *   <li>Missing values: logistic regression fills a missing feature with its mean in the training part (the model file
 *   says so in {@code missing}); trees fill it with {@link #TREE_MISSING}, below every real value, and the export
 *   turns that into the split's missing direction.
 *   <li>Bounds: logistic regression holds each feature within the range the training part had ({@code lower} and
 *   {@code upper} in the model file; the held-out part and the engine alike), so that a count beyond anything it was
 *   trained on, after traffic grew, adds no more to the log-odds than the largest it learned from. A linear term
 *   would otherwise grow without end (measured: a merchant's 24-hour count 300 times its training range added 300
 *   points to every payment). Trees need none: past their last split every value is the same to them.
 *   <li>Class imbalance: each fraud example weighs {@code fraudWeight} (NaN: legitimate over fraud examples in the
 *   training part, which balances the classes), each other one 1. A model trained so overstates the odds of fraud
 *   (by about the weight once it fits the weighted problem); the fitted model's log-odds are then shifted by the one
 *   constant that makes its mean probability over the training examples, unweighted, equal to their fraud rate
 *   (calibration in the large: for logistic regression close to {@code -ln(weight)}, the textbook prior correction;
 *   for trees that have not converged to the weighted problem, less). So {@code p} and the exported model give
 *   probabilities on the scale of the real fraud rate. Ranking, and so every ranking metric, is unchanged by it.
 * </ul>
 */
public final class FraudTraining {
    /** Features that are category codes. */
    public static final Set<String> CODES = Set.of("txn.channel", "txn.country", "txn.mcc", "customer.segment");
    /** What a tree sees for a missing value. */
    public static final double TREE_MISSING = -1.0e9;

    /** The model family: its registry name and file type. */
    public enum Kind {
        LR("fraud-lr"), GBT("fraud-gbt");

        private final String modelName;

        Kind(final String modelName) {
            this.modelName = modelName;
        }

        public String modelName() {
            return modelName;
        }
    }

    /** How to train: the family, the held-out share, the fraud weight (NaN: balanced), trees and their depth. */
    public record Settings(Kind kind, double testShare, double fraudWeight, int trees, int depth, long seed) {
    }

    /**
     * A trained model and what it was trained on; {@code logOddsOffset} is added to the model's own log-odds (the
     * export writes it into the intercept or the trees' base score); {@code test} holds the probability {@code p} per
     * held-out example, with it.
     */
    public record Fitted(Kind kind, List<String> features, double[] fill, double[] lower, double[] upper,
        Model<?> model, Timestamp trainFrom,
        Timestamp testFrom, Timestamp testTo, long trainRows, long trainFrauds, double fraudWeight,
        double logOddsOffset, Dataset<Row> test) {
    }

    /** Training examples whose log-odds the calibration reads at most (a sample beyond). */
    static final int CALIBRATION_ROWS = 2_000_000;

    private FraudTraining() {
    }

    public static Fitted fit(final Dataset<Row> examples, final Settings settings) {
        final Dataset<Row> dated = examples.withColumn("ts_s", expr("CAST(unix_micros(event_ts) AS DOUBLE) / 1e6"));
        final double cutoffSeconds = dated.stat().approxQuantile("ts_s", new double[] {1 - settings.testShare()},
            0)[0];
        final Dataset<Row> train = dated.where(col("ts_s").lt(cutoffSeconds));
        final Dataset<Row> test = dated.where(col("ts_s").geq(cutoffSeconds));
        final Row counts = train.selectExpr("count(*)", "coalesce(sum(label), 0)", "min(event_ts)").first();
        final long trainRows = counts.getLong(0);
        final long trainFrauds = (long) counts.getDouble(1);
        if (trainFrauds == 0 || trainFrauds == trainRows) {
            throw new IllegalStateException("the training part (" + trainRows + " examples before "
                + new Timestamp((long) (cutoffSeconds * 1000)) + ") needs fraud and legitimate examples, found "
                + trainFrauds + " fraud");
        }
        final double weight = Double.isNaN(settings.fraudWeight())
            ? (double) (trainRows - trainFrauds) / trainFrauds : settings.fraudWeight();
        final List<String> candidates = keys(train, settings.kind());
        final Row stats = train.select(stats(candidates)).first();
        final List<String> features = new ArrayList<>();
        final List<double[]> inputs = new ArrayList<>();
        final boolean linear = settings.kind() == Kind.LR;
        for (int i = 0; i < candidates.size(); i++) {
            final Object min = stats.get(3 * i);
            if (min != null && !min.equals(stats.get(3 * i + 1))) {
                features.add(candidates.get(i));
                inputs.add(new double[] {linear ? stats.getDouble(3 * i + 2) : TREE_MISSING,
                    linear ? stats.getDouble(3 * i) : Double.NEGATIVE_INFINITY,
                    linear ? stats.getDouble(3 * i + 1) : Double.POSITIVE_INFINITY});
            }
        }
        final double[] fill = inputs.stream().mapToDouble(v -> v[0]).toArray();
        final double[] lower = inputs.stream().mapToDouble(v -> v[1]).toArray();
        final double[] upper = inputs.stream().mapToDouble(v -> v[2]).toArray();
        final Dataset<Row> trainVectors = vectors(train, features, fill, lower, upper).withColumn("weight",
            when(col("label").equalTo(1.0), lit(weight)).otherwise(lit(1.0)));
        final Model<?> model = settings.kind() == Kind.LR
            ? new LogisticRegression().setFeaturesCol("vector").setLabelCol("label").setWeightCol("weight")
                .setMaxIter(200).setRegParam(1e-3).setElasticNetParam(0).setStandardization(true).fit(trainVectors)
            : new GBTClassifier().setFeaturesCol("vector").setLabelCol("label").setWeightCol("weight")
                .setMaxIter(settings.trees()).setMaxDepth(settings.depth()).setStepSize(0.1).setSeed(settings.seed())
                .fit(trainVectors);
        // the log-odds Spark computes (logistic regression: the margin; trees: twice the margin), shifted so that the
        // training examples' mean probability is their fraud rate; p from it the way the engine computes it from the
        // exported model
        final double logitScale = settings.kind() == Kind.LR ? 1.0 : 2.0;
        final Column rawLogOdds = vector_to_array(col("rawPrediction"), "float64").getItem(1).multiply(logitScale);
        final double offset = calibrationOffset(model.transform(trainVectors).select(rawLogOdds)
            .sample(Math.min(1.0, CALIBRATION_ROWS / (double) trainRows), settings.seed()).collectAsList().stream()
            .mapToDouble(r -> r.getDouble(0)).toArray(), (double) trainFrauds / trainRows);
        final Column logOdds = rawLogOdds.plus(lit(offset));
        final Column probability = lit(1.0).divide(lit(1.0).plus(org.apache.spark.sql.functions.exp(
            org.apache.spark.sql.functions.negate(logOdds))));
        final Dataset<Row> scored = model.transform(vectors(test, features, fill, lower, upper))
            .withColumn("p", probability);
        final Row range = test.selectExpr("max(event_ts)").first();
        return new Fitted(settings.kind(), features, fill, lower, upper, model, counts.getTimestamp(2),
            new Timestamp((long) Math.ceil(cutoffSeconds * 1000)), range.getTimestamp(0), trainRows, trainFrauds,
            weight, offset, scored);
    }

    /**
     * The constant {@code b} with {@code mean(1 / (1 + exp(-(logOdds + b)))) = rate}, by bisection (the mean grows with
     * {@code b}); within 1e-12 of it, between -60 and 60.
     */
    public static double calibrationOffset(final double[] logOdds, final double rate) {
        double low = -60;
        double high = 60;
        for (int i = 0; i < 200 && high - low > 1e-12; i++) {
            final double mid = (low + high) / 2;
            double sum = 0;
            for (final double x : logOdds) {
                sum += 1 / (1 + Math.exp(-(x + mid)));
            }
            if (sum / logOdds.length < rate) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** The feature names the examples carry, in name order; for logistic regression without {@link #CODES}. */
    public static List<String> keys(final Dataset<Row> examples, final Kind kind) {
        return examples.selectExpr("explode(map_keys(features)) AS name").distinct().orderBy("name").collectAsList()
            .stream().map(r -> r.getString(0)).filter(name -> kind == Kind.GBT || !CODES.contains(name)).toList();
    }

    private static Column[] stats(final List<String> names) {
        final List<Column> columns = new ArrayList<>();
        for (final String name : names) {
            final Column value = col("features").getItem(name);
            columns.add(org.apache.spark.sql.functions.min(value));
            columns.add(org.apache.spark.sql.functions.max(value));
            columns.add(avg(value));
        }
        return columns.toArray(new Column[0]);
    }

    /**
     * {@code vector}: the features in order, a missing one filled with its {@code fill}, then held within
     * {@code lower} and {@code upper} (infinite: no bound), as the engine's evaluator does.
     */
    public static Dataset<Row> vectors(final Dataset<Row> examples, final List<String> features,
        final double[] fill, final double[] lower, final double[] upper) {
        final String[] names = new String[features.size()];
        final List<Column> columns = new ArrayList<>(List.of(col("*")));
        for (int i = 0; i < names.length; i++) {
            names[i] = "x" + i;
            Column x = coalesce(col("features").getItem(features.get(i)), lit(fill[i]));
            if (Double.isFinite(lower[i])) {
                x = greatest(x, lit(lower[i]));
            }
            if (Double.isFinite(upper[i])) {
                x = least(x, lit(upper[i]));
            }
            columns.add(x.as(names[i]));
        }
        return new VectorAssembler().setInputCols(names).setOutputCol("vector")
            .transform(examples.select(columns.toArray(new Column[0]))).drop(names);
    }

    /** ROC-AUC and PR-AUC of {@code p} on the held-out part. */
    public static double[] areas(final Dataset<Row> scored) {
        final BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator().setLabelCol("label")
            .setRawPredictionCol("p");
        return new double[] {evaluator.setMetricName("areaUnderROC").evaluate(scored),
            evaluator.setMetricName("areaUnderPR").evaluate(scored)};
    }
}
