package io.ecap.model.scoring;

/**
 * The logistic function, with {@link StrictMath} so that every JVM gives the same bits. A margin that is not a number
 * (infinite evidence both ways: weights near the largest double overflow to +inf and -inf in one sum) gives 0.5, so
 * that a model's answer is always a probability; NaN would wipe out the rules' points in the score.
 */
final class Sigmoid {
    private Sigmoid() {
    }

    static double of(final double z) {
        return Double.isNaN(z) ? 0.5 : 1.0 / (1.0 + StrictMath.exp(-z));
    }
}
