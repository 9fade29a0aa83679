package io.ecap.hotpath.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.rules.Rule;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSet;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import io.ecap.testing.fuzz.Bounded;
import io.ecap.testing.fuzz.Corpus;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * What any text, however hostile, must get from the rule and model parsers: a rule set or model that evaluates without
 * failing, or the one checked exception of the parser with problems a person can act on (each with its line, in line
 * order, at most {@link RuleSetException#MAX_LISTED}). Anything else thrown (an index error, a stack overflow), or no
 * answer within {@link Bounded#HANG}, fails the input.
 */
final class ParserOracle implements AutoCloseable {
    private static final Pattern PROBLEM = Pattern.compile("line (\\d+): \\S.*", Pattern.DOTALL);

    private final Bounded bounded = new Bounded();

    /** Checks one rule file; returns null if it was accepted, else its problems. */
    String rules(final String text) throws Exception {
        return bounded.call(() -> checkRules(text), () -> Corpus.describe(text));
    }

    /** Checks one model file; returns null if it was accepted, else its problem. */
    String model(final String text) throws Exception {
        return bounded.call(() -> checkModel(text), () -> Corpus.describe(text));
    }

    private static String checkRules(final String text) {
        final RuleSet rules;
        try {
            rules = RuleParser.parse(text);
        } catch (final RuleSetException e) {
            assertFalse(e.problems().isEmpty(), "a rejected rule file names at least one problem");
            assertTrue(e.problems().size() <= RuleSetException.MAX_LISTED, "listed: " + e.problems().size());
            assertTrue(e.count() >= e.problems().size());
            int previous = 0;
            for (final String problem : e.problems()) {
                final var m = PROBLEM.matcher(problem);
                assertTrue(m.matches(), "a problem starts with its line: " + problem);
                final int line = Integer.parseInt(m.group(1));
                assertTrue(line >= previous && line <= text.split("\n", -1).length + 1, "line order: " + problem);
                previous = line;
            }
            return e.getMessage();
        }
        assertTrue(rules.rules().size() <= RuleParser.MAX_RULES);
        assertTrue(rules.reviewThreshold() <= rules.declineThreshold());
        for (final double fill : new double[] {0, 1, -1e308, Double.NaN}) {
            final double[] features = new double[FeatureCatalog.size()];
            Arrays.fill(features, fill);
            final double[] stack = new double[rules.maxStack()];
            for (final Rule rule : rules.rules()) {
                rule.condition().evaluate(features, stack);
                if (rule.value() != null) {
                    rule.value().evaluate(features, stack);
                }
            }
        }
        return null;
    }

    private static String checkModel(final String text) {
        final Model model;
        try {
            model = ModelParser.parse(text, FeatureCatalog.forModels());
        } catch (final ModelException e) {
            final var m = PROBLEM.matcher(e.getMessage());
            assertTrue(m.matches(), "a problem starts with its line: " + e.getMessage());
            assertTrue(Integer.parseInt(m.group(1)) <= text.split("\n", -1).length + 1, e.getMessage());
            return e.getMessage();
        }
        assertEquals(text, model.text());
        for (final double fill : new double[] {0, 1, -1e308, 1e308, Double.NaN}) {
            final double[] features = new double[FeatureCatalog.size()];
            Arrays.fill(features, fill);
            final double p = model.probability(features);
            assertTrue(p >= 0 && p <= 1, model.label() + " gave probability " + p + " for features all " + fill);
        }
        return null;
    }

    @Override
    public void close() {
        bounded.close();
    }
}
