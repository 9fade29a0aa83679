package io.ecap.model.scoring;

/**
 * Logistic regression: {@code p = 1 / (1 + exp(-(intercept + sum w_i x_i)))}, where a missing input takes its
 * configured replacement value and each input is then held within its bounds ({@code lower}, {@code upper}: the
 * trainer writes the range it saw, so that a count far beyond anything in training, after a change of traffic, adds
 * no more than the largest one it learned from).
 */
public final class LogisticModel implements Model {
    private final String label;
    private final String text;
    private final int[] featureIndex;
    private final double intercept;
    private final double[] weights;
    private final double[] missing;
    private final double[] lower;
    private final double[] upper;

    LogisticModel(final String label, final String text, final int[] featureIndex, final double intercept,
        final double[] weights, final double[] missing, final double[] lower, final double[] upper) {
        this.label = label;
        this.text = text;
        this.featureIndex = featureIndex;
        this.intercept = intercept;
        this.weights = weights;
        this.missing = missing;
        this.lower = lower;
        this.upper = upper;
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
            final double given = features[featureIndex[i]];
            final double x = Double.isNaN(given) ? missing[i] : given;
            z += weights[i] * (x < lower[i] ? lower[i] : x > upper[i] ? upper[i] : x);
        }
        return Sigmoid.of(z);
    }
}
