package io.ecap.model.scoring;

/**
 * Gradient-boosted trees: {@code p = 1 / (1 + exp(-(base + sum of the leaf reached in each tree)))}. At a split node
 * the path goes to {@code yes} when {@code x < threshold}, to {@code no} otherwise, and to the node's missing
 * direction when {@code x} is missing. All trees live in flat arrays; evaluation allocates nothing.
 */
public final class TreeEnsembleModel implements Model {
    private final String label;
    private final String text;
    private final int[] featureIndex;
    private final double baseScore;
    private final int[] roots;
    /** Per node: position in {@link #featureIndex} of the split feature, or -1 for a leaf. */
    private final int[] splitFeature;
    private final double[] threshold;
    private final int[] yes;
    private final int[] no;
    private final boolean[] missingYes;
    private final double[] leaf;

    TreeEnsembleModel(final String label, final String text, final int[] featureIndex, final double baseScore,
        final int[] roots, final NodeArrays nodes) {
        this.label = label;
        this.text = text;
        this.featureIndex = featureIndex;
        this.baseScore = baseScore;
        this.roots = roots;
        this.splitFeature = nodes.splitFeature();
        this.threshold = nodes.threshold();
        this.yes = nodes.yes();
        this.no = nodes.no();
        this.missingYes = nodes.missingYes();
        this.leaf = nodes.leaf();
    }

    /** The nodes of all trees, flattened. */
    record NodeArrays(int[] splitFeature, double[] threshold, int[] yes, int[] no, boolean[] missingYes,
        double[] leaf) {
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String text() {
        return text;
    }

    public int trees() {
        return roots.length;
    }

    @Override
    public double probability(final double[] features) {
        return Sigmoid.of(margin(features));
    }

    /**
     * The leaf that {@code features} reach in tree {@code tree}: its id within the tree, as in the model file. For
     * checks that another evaluator (the trainer's) takes the same path.
     */
    public int leaf(final int tree, final double[] features) {
        int node = roots[tree];
        while (splitFeature[node] >= 0) {
            node = next(node, features[featureIndex[splitFeature[node]]]);
        }
        return node - roots[tree];
    }

    private int next(final int node, final double x) {
        if (Double.isNaN(x)) {
            return missingYes[node] ? yes[node] : no[node];
        }
        return x < threshold[node] ? yes[node] : no[node];
    }

    /** The raw score (log-odds) before the logistic function. */
    public double margin(final double[] features) {
        double sum = baseScore;
        for (final int root : roots) {
            int node = root;
            while (splitFeature[node] >= 0) {
                node = next(node, features[featureIndex[splitFeature[node]]]);
            }
            sum += leaf[node];
        }
        return sum;
    }
}
