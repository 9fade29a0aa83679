package io.ecap.hotpath.rules;

import java.util.List;

/** A rule file that cannot go live: every problem found, each with its line. The running rule set stays. */
public final class RuleSetException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RuleSetException(final List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code "line N: what is wrong"}. */
    public List<String> problems() {
        return problems;
    }
}
