package io.ecap.bench;

import io.ecap.hotpath.features.FeatureCatalog;
import java.util.SplittableRandom;

/** Model files of a given size with random (but fixed) parameters, for measuring evaluation speed. */
final class SyntheticModels {
    private SyntheticModels() {
    }

    /** A challenger for the shadow, as the benchmarks name them: its journal entry type and its text. */
    record Challenger(int entryType, String text) {
    }

    /**
     * {@code rules}: the bundled rule set under another version with lower thresholds; {@code model}: a logistic model
     * over 30 features; {@code trees}: 200 gradient-boosted trees of depth 6; {@code none}: null.
     */
    static Challenger challenger(final String name) {
        return switch (name) {
            case "none" -> null;
            case "rules" -> new Challenger(io.ecap.hotpath.journal.EntryType.SHADOW_RULE_SET,
                io.ecap.hotpath.rules.DefaultRules.text()
                    .replace("ruleset default version 2", "ruleset challenger version 1")
                    .replace("thresholds review 400 decline 700", "thresholds review 300 decline 600"));
            case "model" -> new Challenger(io.ecap.hotpath.journal.EntryType.SHADOW_MODEL, logistic(30));
            case "trees" -> new Challenger(io.ecap.hotpath.journal.EntryType.SHADOW_MODEL, trees(200, 6, 30, 3));
            default -> throw new IllegalArgumentException("shadow: none, rules, model or trees, not " + name);
        };
    }

    static String logistic(final int features) {
        final StringBuilder sb = header("bench-lr", "logistic", features);
        final SplittableRandom r = new SplittableRandom(1);
        sb.append("intercept -3\nweights");
        for (int i = 0; i < features; i++) {
            sb.append(' ').append(r.nextDouble(-0.1, 0.1));
        }
        return sb.append('\n').toString();
    }

    static String trees(final int count, final int depth, final int features, final long seed) {
        final StringBuilder sb = header("bench-gbt", "gbt", features);
        final SplittableRandom r = new SplittableRandom(seed);
        sb.append("base_score -2\n");
        final int nodes = (1 << depth + 1) - 1;
        for (int t = 0; t < count; t++) {
            sb.append("tree ").append(t).append(" nodes ").append(nodes).append('\n');
            for (int n = 0; n < nodes; n++) {
                if (2 * n + 2 < nodes) {
                    sb.append("node ").append(n).append(" split ").append(r.nextInt(features)).append(' ')
                        .append(r.nextDouble(0, 10)).append(' ').append(2 * n + 1).append(' ').append(2 * n + 2)
                        .append(r.nextBoolean() ? " yes\n" : " no\n");
                } else {
                    sb.append("node ").append(n).append(" leaf ").append(r.nextDouble(-0.2, 0.2)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static StringBuilder header(final String name, final String type, final int features) {
        final StringBuilder sb = new StringBuilder("ecap-model 1\nname ").append(name)
            .append("\nversion 1\ntype ").append(type).append("\nfeatures");
        for (int i = 0; i < features; i++) {
            sb.append(' ').append(FeatureCatalog.name(i * 3 % FeatureCatalog.size()));
        }
        return sb.append('\n');
    }
}
