package io.ecap.model.scoring;

/**
 * The feature names a model file may use and their positions in the feature vector the model is evaluated on. The
 * engine's is its feature catalog (every feature, in the journal's order); the cold path's is the list of features a
 * model was trained on, in its own order.
 */
public interface FeatureNames {
    /** The position of the feature in the vector, or -1 if there is no such feature. */
    int indexOf(String name);

    /** The closest known name, for a "did you mean" hint, or null. */
    default String closest(final String name) {
        return null;
    }
}
