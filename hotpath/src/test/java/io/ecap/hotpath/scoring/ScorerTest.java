package io.ecap.hotpath.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.model.Outcome;
import io.ecap.model.scoring.ModelParser;
import org.junit.jupiter.api.Test;

class ScorerTest {
    private final double[] features = new double[FeatureCatalog.size()];

    private static Scorer scorer(final String rules) throws Exception {
        return new Scorer(RuleParser.parse("ruleset t version 1\nthresholds review 300 decline 600\n" + rules));
    }

    @Test
    void shouldAddWeightsRankReasonsAndApplyThresholds() throws Exception {
        final Scorer scorer = scorer(
            "rule A weight 100\n    when true\n    reason \"a\" value 1\n"
                + "rule B weight 250\n    when true\n    reason \"b\" value 2\n"
                + "rule C weight 100\n    when true\n"
                + "rule D weight -20\n    when true\n"
                + "rule E weight 500\n    when false\n");
        scorer.score(features);
        assertEquals(430, scorer.score());
        assertEquals(Outcome.REVIEW, scorer.outcome());
        assertEquals(3, scorer.reasonCount(), "negative weights are not reasons");
        assertEquals("B", scorer.reasonCode(0));
        assertEquals("A", scorer.reasonCode(1), "ties keep file order");
        assertEquals("C", scorer.reasonCode(2));
        assertEquals("b", scorer.reasonDetail(0));
        assertEquals(2.0, scorer.reasonValue(0));
        assertTrue(Double.isNaN(scorer.reasonValue(2)));
    }

    @Test
    void shouldClampTheScoreAndKeepTheTopFiveReasons() throws Exception {
        final StringBuilder rules = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
            rules.append("rule R").append(i).append(" weight ").append(i * 100).append("\n    when true\n");
        }
        final Scorer scorer = scorer(rules.toString());
        scorer.score(features);
        assertEquals(1000, scorer.score());
        assertEquals(Outcome.DECLINE, scorer.outcome());
        assertEquals(Scorer.MAX_REASONS, scorer.reasonCount());
        assertEquals("R7", scorer.reasonCode(0));
        assertEquals("R3", scorer.reasonCode(4));
    }

    @Test
    void shouldLetAnActionRaiseTheOutcome() throws Exception {
        final Scorer scorer = scorer("rule BLOCK weight 0 action DECLINE\n    when true\n");
        scorer.score(features);
        assertEquals(0, scorer.score());
        assertEquals(Outcome.DECLINE, scorer.outcome());
        assertEquals("BLOCK", scorer.reasonCode(0));
    }

    @Test
    void shouldAddModelPointsAndGiveTheModelAsAReason() throws Exception {
        final Scorer scorer = scorer("model weight 400\nrule A weight 100\n    when true\n");
        scorer.model(ModelParser.parse("ecap-model 1\nname m\nversion 1\ntype logistic\nfeatures txn.amount_usd\n"
            + "intercept 0\nweights 0\n", FeatureCatalog.forModels()));
        scorer.score(features);
        assertEquals(0.5, scorer.probability());
        assertEquals(300, scorer.score());
        assertEquals(Outcome.REVIEW, scorer.outcome());
        assertEquals("MODEL", scorer.reasonCode(0));
        assertEquals("fraud probability from model m@1", scorer.reasonDetail(0));
        assertEquals("A", scorer.reasonCode(1));
        assertEquals("m@1", scorer.modelLabel());
    }
}
