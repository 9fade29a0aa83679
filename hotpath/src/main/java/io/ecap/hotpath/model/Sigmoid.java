package io.ecap.hotpath.model;

/** The logistic function, with {@link StrictMath} so that every JVM gives the same bits. */
final class Sigmoid {
    private Sigmoid() {
    }

    static double of(final double z) {
        return 1.0 / (1.0 + StrictMath.exp(-z));
    }
}
