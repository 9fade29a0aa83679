package io.ecap.model.churn;

import java.util.List;

/**
 * The churn model the lake's churn job fitted (a logistic regression over standardised features, Spark ML's
 * {@code StandardScaler} with mean and {@code LogisticRegression}), as the lake publishes it, so that a customer can be
 * scored again at any day from their purchases ({@link PurchaseDays}) without Spark: the same numbers give the same
 * probability as the job's own scores.
 *
 * @param features the features in order: {@link PurchaseDays#FEATURES}
 * @param means the training mean of each feature
 * @param stds the training standard deviation of each feature (0: the feature was constant and does not count)
 * @param coefficients one per feature, over the standardised values
 * @param intercept the intercept
 */
public record ChurnModel(List<String> features, double[] means, double[] stds, double[] coefficients,
    double intercept) {

    public ChurnModel {
        features = List.copyOf(features);
        if (!features.equals(PurchaseDays.FEATURES)) {
            throw new IllegalArgumentException("churn model: features " + features + ", expected "
                + PurchaseDays.FEATURES + " (a model of another ECAP version: run ecap lake churn again)");
        }
        final int n = features.size();
        if (means.length != n || stds.length != n || coefficients.length != n) {
            throw new IllegalArgumentException("churn model: " + n + " features but " + means.length + " means, "
                + stds.length + " deviations and " + coefficients.length + " coefficients");
        }
        means = means.clone();
        stds = stds.clone();
        coefficients = coefficients.clone();
    }

    /** The chance of no purchase within the model's horizon, for features in the order of {@link #features()}. */
    public double probability(final double[] x) {
        double margin = intercept;
        for (int i = 0; i < coefficients.length; i++) {
            // Spark's scaler gives 0 for a feature without spread
            final double scaled = stds[i] == 0 ? 0 : (x[i] - means[i]) / stds[i];
            margin += coefficients[i] * scaled;
        }
        return 1 / (1 + Math.exp(-margin));
    }
}
