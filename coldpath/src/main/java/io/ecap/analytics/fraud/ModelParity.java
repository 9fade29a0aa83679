package io.ecap.analytics.fraud;

import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import io.ecap.model.scoring.TreeEnsembleModel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exported model file read by the engine's own parser and evaluator ({@code io.ecap.model.scoring}, the code the
 * engine runs) and compared with Spark on the same held-out examples: the engine gets the features as the journal has
 * them (a missing one is NaN), Spark the vector it was trained on. Probabilities must agree and, for trees, every tree
 * must end in the same leaf.
 */
public final class ModelParity {
    /** Largest difference of probability accepted between Spark and the engine. */
    public static final double TOLERANCE = 1e-9;

    /**
     * @param rows examples checked; {@code maxDifference} the largest |p(engine) - p(Spark)|; {@code leafMismatches}
     *     trees that ended in another leaf (always 0 for logistic regression)
     */
    public record Result(long rows, double maxDifference, long leafMismatches) {
        public boolean agrees() {
            return maxDifference <= TOLERANCE && leafMismatches == 0;
        }
    }

    private ModelParity() {
    }

    /** Reads a model file whose features are the trained ones, in their order. */
    public static Model parse(final String text, final List<String> features) {
        try {
            return ModelParser.parse(text, features::indexOf);
        } catch (final ModelException e) {
            throw new IllegalStateException("the exported model does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Checks up to {@code limit} rows of {@code scored} ({@code features}, the engine's map; {@code vector}, what
     * Spark was given; {@code p}, Spark's probability) against {@code text}, the export of {@code model}.
     */
    public static Result check(final List<String> features, final org.apache.spark.ml.Model<?> model,
        final Dataset<Row> scored, final String text, final int limit) {
        final Model engine = parse(text, features);
        final List<Row> rows = scored.select("features", "vector", "p").limit(limit).collectAsList();
        final double[] x = new double[features.size()];
        final List<Map<Node, Integer>> ids = model instanceof GBTClassificationModel gbt
            ? Arrays.stream(gbt.trees()).map(tree -> ModelExport.ids(ModelExport.preOrder(tree.rootNode()))).toList()
            : List.of();
        double worst = 0;
        long mismatches = 0;
        for (final Row row : rows) {
            final Map<String, Object> values = row.getJavaMap(0);
            for (int i = 0; i < x.length; i++) {
                final Object v = values.get(features.get(i));
                x[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
            }
            final double diff = Math.abs(engine.probability(x) - row.getDouble(2));
            worst = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(worst, diff);
            if (model instanceof GBTClassificationModel gbt) {
                mismatches += leafMismatches(gbt, ids, (TreeEnsembleModel) engine, (Vector) row.get(1), x);
            }
        }
        return new Result(rows.size(), worst, mismatches);
    }

    /** Trees whose leaf for {@code vector} in Spark (by Spark's own traversal) is not the engine's for {@code x}. */
    private static long leafMismatches(final GBTClassificationModel spark, final List<Map<Node, Integer>> ids,
        final TreeEnsembleModel engine, final Vector vector, final double[] x) {
        long mismatches = 0;
        for (int t = 0; t < spark.trees().length; t++) {
            final Integer sparkLeaf = ids.get(t).get(spark.trees()[t].rootNode().predictImpl(vector));
            mismatches += sparkLeaf != null && sparkLeaf == engine.leaf(t, x) ? 0 : 1;
        }
        return mismatches;
    }
}
