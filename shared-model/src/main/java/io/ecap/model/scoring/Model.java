package io.ecap.model.scoring;

/** A fraud model: the probability that a transaction is fraud, from the engine's feature vector. */
public interface Model {
    /** {@code name@version}, carried by every decision. */
    String label();

    /** The file the model was read from, as loaded (journaled, so a replay uses exactly this model). */
    String text();

    /** Probability of fraud in [0, 1]. Must not allocate. */
    double probability(double[] features);
}
