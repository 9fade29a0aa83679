package io.ecap.analytics.fraud;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;

/**
 * Spark ML models written in the engine's model file format (docs/MODEL_FORMAT.md), so that the engine's evaluator
 * gives the probability Spark gives for the same vector.
 *
 * <ul>
 *   <li>Logistic regression: Spark's coefficients (in the features' own scale) as they are, and its intercept plus
 *   {@code offset} (the calibration for the fraud weight, {@link FraudTraining.Fitted#logOddsOffset}); a missing
 *   feature takes the value it was filled with for training ({@code missing}), and each feature is held within the
 *   range it had in training ({@code lower}, {@code upper}; {@link FraudTraining}).
 *   <li>Gradient-boosted trees (Spark's logistic loss): Spark's probability is {@code 1 / (1 + exp(-2 m))} with the
 *   margin {@code m = sum of treeWeight_i * leaf_i}; the format's is {@code 1 / (1 + exp(-(base + sum of leaves)))},
 *   so each leaf is written as {@code 2 * treeWeight_i * prediction} and {@code base_score} is {@code offset}.
 *   <li>A Spark split sends {@code x <= t} left; the engine sends {@code x < threshold} to {@code yes}. For doubles
 *   {@code x <= t} is exactly {@code x < Math.nextUp(t)}, so the threshold written is {@code nextUp(t)} and the left
 *   child is {@code yes}.
 *   <li>Spark's trees have no missing values: training fills a missing feature with {@code missingValue}. The engine
 *   sends a missing value where Spark sends {@code missingValue}: {@code yes} when {@code missingValue <= t}.
 *   <li>Nodes are numbered in pre-order, so children have higher ids than their parent, as the format requires.
 * </ul>
 * Numbers are written with {@link Double#toString}, which reads back to the same double.
 */
public final class ModelExport {
    private ModelExport() {
    }

    /** The start of every model file: format, name, version, type and the features in order. */
    private static StringBuilder head(final List<String> comments, final String name, final String version,
        final String type, final List<String> features) {
        final StringBuilder out = new StringBuilder("ecap-model 1\n");
        comments.forEach(line -> out.append("# ").append(line).append('\n'));
        out.append("name ").append(name).append('\n').append("version ").append(version).append('\n')
            .append("type ").append(type).append('\n').append("features ").append(String.join(" ", features))
            .append('\n');
        return out;
    }

    public static String logistic(final String name, final String version, final List<String> features,
        final LogisticRegressionModel model, final double[] missing, final double[] lower, final double[] upper,
        final double offset, final List<String> comments) {
        final double[] weights = model.coefficients().toArray();
        if (weights.length != features.size() || missing.length != features.size()
            || lower.length != features.size() || upper.length != features.size()) {
            throw new IllegalArgumentException(features.size() + " features, " + weights.length + " weights, "
                + missing.length + " missing values, " + lower.length + " lower and " + upper.length
                + " upper bounds");
        }
        final StringBuilder out = head(comments, name, version, "logistic", features);
        out.append("intercept ").append(model.intercept() + offset).append('\n').append("weights");
        for (final double w : weights) {
            out.append(' ').append(w);
        }
        line(out.append('\n'), "missing", missing);
        line(out, "lower", lower);
        return line(out, "upper", upper).toString();
    }

    /** One value per feature; an infinite bound as the format writes it ({@code -inf}, {@code inf}). */
    private static StringBuilder line(final StringBuilder out, final String key, final double[] values) {
        out.append(key);
        for (final double v : values) {
            out.append(' ').append(v == Double.NEGATIVE_INFINITY ? "-inf" : v == Double.POSITIVE_INFINITY ? "inf"
                : Double.toString(v));
        }
        return out.append('\n');
    }

    public static String trees(final String name, final String version, final List<String> features,
        final GBTClassificationModel model, final double missingValue, final double offset,
        final List<String> comments) {
        final StringBuilder out = head(comments, name, version, "gbt", features).append("base_score ")
            .append(offset).append('\n');
        final DecisionTreeRegressionModel[] trees = model.trees();
        for (int t = 0; t < trees.length; t++) {
            final List<Node> nodes = preOrder(trees[t].rootNode());
            final Map<Node, Integer> ids = ids(nodes);
            final double scale = 2 * model.treeWeights()[t];
            out.append("tree ").append(t).append(" nodes ").append(nodes.size()).append('\n');
            for (int id = 0; id < nodes.size(); id++) {
                out.append("node ").append(id);
                if (nodes.get(id) instanceof InternalNode split) {
                    if (!(split.split() instanceof ContinuousSplit continuous)) {
                        throw new IllegalArgumentException("tree " + t + " has a categorical split; the format has "
                            + "only thresholds");
                    }
                    final double threshold = continuous.threshold();
                    out.append(" split ").append(continuous.featureIndex()).append(' ')
                        .append(Math.nextUp(threshold)).append(' ').append(ids.get(split.leftChild())).append(' ')
                        .append(ids.get(split.rightChild())).append(missingValue <= threshold ? " yes" : " no");
                } else {
                    out.append(" leaf ").append(scale * ((LeafNode) nodes.get(id)).prediction());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The nodes of a tree in pre-order: the position of a node is its id in the exported tree. */
    public static List<Node> preOrder(final Node root) {
        final List<Node> nodes = new ArrayList<>();
        final List<Node> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            final Node node = stack.remove(stack.size() - 1);
            nodes.add(node);
            if (node instanceof InternalNode split) {
                stack.add(split.rightChild());
                stack.add(split.leftChild());
            }
        }
        return nodes;
    }

    /** Node to exported id, by identity. */
    public static Map<Node, Integer> ids(final List<Node> nodes) {
        final Map<Node, Integer> ids = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            ids.put(nodes.get(i), i);
        }
        return ids;
    }
}
