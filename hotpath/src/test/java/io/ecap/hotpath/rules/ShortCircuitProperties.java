package io.ecap.hotpath.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.hotpath.features.FeatureCatalog;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@code and} and {@code or} stop at the first operand that decides them; the result must be what evaluating both
 * sides gives: checked over every combination of true, false and missing operands in chains of up to four tests.
 */
class ShortCircuitProperties {
    private static final String HEADER = "ruleset t version 1\nthresholds review 400 decline 700\n";
    private static final String[] FEATURES = {"card.count_1h", "customer.count_1h", "txn.amount_usd",
        "merchant.count_1h"};

    /** Test {@code i} of a chain: feature i compared with 1; its value is 2 (true), 0 (false) or NaN (missing). */
    private static boolean truth(final int code) {
        return code == 0;
    }

    @Property(tries = 400)
    void shouldGiveWhatEvaluatingEveryOperandGives(@ForAll @IntRange(min = 1, max = 4) final int tests,
        @ForAll @IntRange(min = 0, max = 80) final int values, @ForAll @IntRange(min = 0, max = 15) final int ops)
        throws RuleSetException {
        final double[] features = new double[FeatureCatalog.size()];
        final StringBuilder when = new StringBuilder();
        int code = values;
        // precedence: and binds tighter than or; evaluate as a sum of products
        boolean sum = false;
        boolean product = true;
        for (int i = 0; i < tests; i++) {
            final int v = code % 3;
            code /= 3;
            features[FeatureCatalog.indexOf(FEATURES[i])] = v == 0 ? 2 : v == 1 ? 0 : Double.NaN;
            final boolean or = i > 0 && (ops >> i & 1) == 1;
            if (i > 0) {
                when.append(or ? " or " : " and ");
            }
            if (or) {
                sum |= product;
                product = true;
            }
            product &= truth(v);
            when.append(FEATURES[i]).append(" > 1");
        }
        sum |= product;
        final boolean expected = sum;
        final Rule rule = RuleParser.parse(HEADER + "rule R weight 1\n    when " + when + "\n").rules().get(0);
        assertEquals(expected ? 1.0 : 0.0, rule.condition().evaluate(features, new double[16]), when.toString());
    }
}
