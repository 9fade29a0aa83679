package io.ecap.hotpath.scoring;

import io.ecap.hotpath.rules.Rule;
import io.ecap.hotpath.rules.RuleSet;
import io.ecap.model.Outcome;
import io.ecap.model.scoring.Model;
import java.util.List;

/**
 * Turns a feature vector into a decision with the live rule set and model:
 *
 * <ul>
 *   <li>score = clamp(round(sum of the weights of the rules that fire + model weight x model probability), 0, 1000);
 *   <li>outcome = DECLINE at or above the decline threshold, REVIEW at or above the review threshold, else APPROVE,
 *       raised to the strongest action of any rule that fired;
 *   <li>reasons = the rules that fired with a positive weight or an action, and the model when it added at least one
 *       point, ranked by the points they added (ties in file order), at most {@link #MAX_REASONS}.
 * </ul>
 *
 * Single-threaded (the writer's); allocates nothing per decision.
 */
public final class Scorer {
    public static final int MAX_REASONS = 5;
    /** Reason index meaning "the model" rather than a rule. */
    public static final int MODEL_REASON = -1;
    public static final String NO_MODEL = "none";

    private RuleSet ruleSet;
    private String ruleSetLabel;
    private List<Rule> rules;
    private Model model;
    private String modelDetail;
    private double[] stack = new double[16];

    private int score;
    private Outcome outcome;
    private double probability;
    private int reasonCount;
    private final int[] reasonRule = new int[MAX_REASONS];
    private final double[] reasonPoints = new double[MAX_REASONS];
    private final double[] reasonValue = new double[MAX_REASONS];
    private int[] fired = new int[0];
    private int firedCount;

    public Scorer(final RuleSet ruleSet) {
        rules(ruleSet);
    }

    public void rules(final RuleSet newRules) {
        this.ruleSet = newRules;
        this.ruleSetLabel = newRules.label();
        this.rules = newRules.rules();
        this.fired = new int[rules.size()];
        this.firedCount = 0;
        if (stack.length < newRules.maxStack()) {
            stack = new double[newRules.maxStack()];
        }
    }

    /** Sets the model, or none. */
    public void model(final Model newModel) {
        this.model = newModel;
        this.modelDetail = newModel == null ? null : "fraud probability from model " + newModel.label();
    }

    public RuleSet ruleSet() {
        return ruleSet;
    }

    public Model model() {
        return model;
    }

    /** {@code name@version} of the live rule set. */
    public String ruleSetLabel() {
        return ruleSetLabel;
    }

    public String modelLabel() {
        return model == null ? NO_MODEL : model.label();
    }

    public void score(final double[] features) {
        reasonCount = 0;
        firedCount = 0;
        double points = 0;
        Outcome forced = Outcome.APPROVE;
        for (int i = 0; i < rules.size(); i++) {
            final Rule rule = rules.get(i);
            if (rule.condition().evaluate(features, stack) == 0) {
                continue;
            }
            points += rule.weight();
            fired[firedCount++] = i;
            if (rule.action() != null && rule.action().code() > forced.code()) {
                forced = rule.action();
            }
            if (rule.weight() > 0 || rule.action() != null) {
                final double value = rule.value() == null ? Double.NaN : rule.value().evaluate(features, stack);
                rank(i, rule.weight(), value);
            }
        }
        probability = Double.NaN;
        if (model != null && ruleSet.modelWeight() > 0) {
            probability = model.probability(features);
            final double modelPoints = ruleSet.modelWeight() * probability;
            points += modelPoints;
            if (modelPoints >= 1) {
                rank(MODEL_REASON, modelPoints, probability);
            }
        }
        score = (int) Math.max(0, Math.min(1000, Math.round(points)));
        final Outcome byScore = score >= ruleSet.declineThreshold() ? Outcome.DECLINE
            : score >= ruleSet.reviewThreshold() ? Outcome.REVIEW : Outcome.APPROVE;
        outcome = byScore.code() >= forced.code() ? byScore : forced;
    }

    /** Inserts a reason into the ranked top list (stable: an equal later candidate ranks after). */
    private void rank(final int rule, final double points, final double value) {
        int at = reasonCount;
        while (at > 0 && reasonPoints[at - 1] < points) {
            at--;
        }
        if (at == MAX_REASONS) {
            return;
        }
        final int last = Math.min(reasonCount, MAX_REASONS - 1);
        for (int j = last; j > at; j--) {
            reasonRule[j] = reasonRule[j - 1];
            reasonPoints[j] = reasonPoints[j - 1];
            reasonValue[j] = reasonValue[j - 1];
        }
        reasonRule[at] = rule;
        reasonPoints[at] = points;
        reasonValue[at] = value;
        reasonCount = Math.min(reasonCount + 1, MAX_REASONS);
    }

    public int score() {
        return score;
    }

    /** How many rules fired on the last transaction scored (whether or not they gave a reason). */
    public int firedCount() {
        return firedCount;
    }

    /** The {@code i}-th rule that fired on the last transaction, as its position in the rule set. */
    public int firedRule(final int i) {
        return fired[i];
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The model's probability, or NaN if no model took part. */
    public double probability() {
        return probability;
    }

    public int reasonCount() {
        return reasonCount;
    }

    /** The rule behind reason {@code i}, or {@link #MODEL_REASON}. */
    public int reasonRule(final int i) {
        return reasonRule[i];
    }

    public double reasonValue(final int i) {
        return reasonValue[i];
    }

    public String reasonCode(final int i) {
        return reasonRule[i] == MODEL_REASON ? "MODEL" : rules.get(reasonRule[i]).name();
    }

    public String reasonDetail(final int i) {
        return reasonRule[i] == MODEL_REASON ? modelDetail : rules.get(reasonRule[i]).detail();
    }
}
