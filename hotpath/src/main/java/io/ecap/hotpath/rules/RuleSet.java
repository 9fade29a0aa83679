package io.ecap.hotpath.rules;

import java.util.List;

/**
 * A parsed, validated rule file, ready to evaluate. Immutable.
 *
 * @param text the file as loaded (journaled, so a replay evaluates exactly the same rules)
 */
public record RuleSet(String name, int version, int reviewThreshold, int declineThreshold, int modelWeight,
    List<Rule> rules, String text) {

    /** The version label carried by every decision: {@code name@version}. */
    public String label() {
        return name + "@" + version;
    }

    /** Scratch stack size that every program of this rule set fits in. */
    public int maxStack() {
        int max = 1;
        for (final Rule r : rules) {
            max = Math.max(max, r.condition().maxStack());
            if (r.value() != null) {
                max = Math.max(max, r.value().maxStack());
            }
        }
        return max;
    }
}
