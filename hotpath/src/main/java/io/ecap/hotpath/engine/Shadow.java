package io.ecap.hotpath.engine;

import io.ecap.hotpath.rules.RuleSet;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.model.scoring.Model;

/**
 * The challenger: a rule set, a model or both, scored on every transaction beside the live ones, from the same
 * features, and journaled with the decision; it never changes the decision. A part the challenger does not replace is
 * the live one (a challenger model is scored with the live rules' thresholds and model weight). Owned by the writer.
 */
final class Shadow {
    private RuleSet rules;
    private Model model;
    private Scorer scorer;

    /** True while a challenger rule set or model is set. */
    boolean active() {
        return rules != null || model != null;
    }

    /** The challenger rule set, or null (the live one). */
    RuleSet rules() {
        return rules;
    }

    /** The challenger model, or null (the live one). */
    Model model() {
        return model;
    }

    /** Sets the challenger rule set (null: none); {@code live} scores the champion. Not per transaction. */
    void rules(final RuleSet challenger, final Scorer live) {
        rules = challenger;
        prepare(live);
    }

    /** Sets the challenger model (null: none). Not per transaction. */
    void model(final Model challenger, final Scorer live) {
        model = challenger;
        prepare(live);
    }

    private void prepare(final Scorer live) {
        if (scorer == null && active()) {
            scorer = new Scorer(rules != null ? rules : live.ruleSet());
        }
    }

    /**
     * Scores the features with the challenger, the live rule set and model standing in for the parts it does not
     * replace (which may have changed since the last transaction); returns the scorer holding the result. Only while
     * {@link #active()}. Allocates nothing unless a part changed.
     */
    Scorer score(final double[] features, final Scorer live) {
        final RuleSet r = rules != null ? rules : live.ruleSet();
        if (scorer.ruleSet() != r) {
            scorer.rules(r);
        }
        final Model m = model != null ? model : live.model();
        if (scorer.model() != m) {
            scorer.model(m);
        }
        scorer.score(features);
        return scorer;
    }
}
