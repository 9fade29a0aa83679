package io.ecap.model.scoring;

/**
 * Logistic regression: {@code p = 1 / (1 + exp(-(intercept + sum w_i x_i)))}, where a missing input takes its
 * configured replacement value.
 */
public final class LogisticModel implements Model {
    private final String label;
    private final String text;
    private final int[] featureIndex;
    private final double intercept;
    private final double[] weights;
    private final double[] missing;

    LogisticModel(final String label, final String text, final int[] featureIndex, final double intercept,
        final double[] weights, final double[] missing) {
        this.label = label;
        this.text = text;
        this.featureIndex = featureIndex;
        this.intercept = intercept;
        this.weights = weights;
        this.missing = missing;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public double probability(final double[] features) {
        double z = intercept;
        for (int i = 0; i < featureIndex.length; i++) {
            final double x = features[featureIndex[i]];
            z += weights[i] * (Double.isNaN(x) ? missing[i] : x);
        }
        return Sigmoid.of(z);
    }
}
