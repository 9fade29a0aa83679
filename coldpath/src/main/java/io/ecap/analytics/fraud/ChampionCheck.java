package io.ecap.analytics.fraud;

import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The guard of a new model: the model it would replace (the champion, read by the engine's own parser and evaluator)
 * scored on the same held-out examples, so that both areas are measured on one window. A new model is better when its
 * PR-AUC (what matters with rare fraud) is at least the champion's.
 */
public final class ChampionCheck {
    private static final StructType SCORED = (StructType) DataType.fromDDL("p DOUBLE, label DOUBLE");

    /** The champion's areas on the held-out examples, and whether the new model does at least as well. */
    public record Verdict(String champion, double rocAuc, double prAuc, boolean newIsBetter) {
    }

    private ChampionCheck() {
    }

    /** Parses a model file over its own features: {@code names} gets them, in the positions the model reads. */
    public static Model parse(final String text, final List<String> names) throws ModelException {
        return ModelParser.parse(text, name -> {
            int i = names.indexOf(name);
            if (i < 0) {
                names.add(name);
                i = names.size() - 1;
            }
            return i;
        });
    }

    /**
     * The champion's features that no example carries: not features the engine computes (a typo the engine would
     * refuse), or never given a value in the window. Empty when it reads only features the examples have.
     */
    public static List<String> unknownFeatures(final String championText, final List<String> known) {
        final List<String> names = new ArrayList<>();
        try {
            parse(championText, names);
        } catch (final ModelException e) {
            throw new IllegalArgumentException("--champion: the model does not parse: " + e.getMessage(), e);
        }
        return names.stream().filter(name -> !known.contains(name)).toList();
    }

    /**
     * @param test the held-out examples: the engine's {@code features} map and {@code label}
     * @param newPrAuc the new model's PR-AUC on them
     */
    public static Verdict judge(final String championText, final Dataset<Row> test, final double newPrAuc) {
        final List<String> names = new ArrayList<>();
        final Model champion;
        try {
            champion = parse(championText, names);
        } catch (final ModelException e) {
            throw new IllegalArgumentException("--champion: the model does not parse: " + e.getMessage(), e);
        }
        final double[] x = new double[names.size()];
        final List<Row> scored = new ArrayList<>();
        for (final Row row : test.select("features", "label").collectAsList()) {
            final Map<String, Object> values = row.getJavaMap(0);
            for (int i = 0; i < x.length; i++) {
                final Object v = values.get(names.get(i));
                x[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
            }
            scored.add(RowFactory.create(champion.probability(x), row.getDouble(1)));
        }
        final double[] areas = FraudTraining.areas(test.sparkSession().createDataFrame(scored, SCORED));
        return new Verdict(champion.label(), areas[0], areas[1], newPrAuc >= areas[1]);
    }
}
