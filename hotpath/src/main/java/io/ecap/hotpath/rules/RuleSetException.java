package io.ecap.hotpath.rules;

import java.util.List;

/**
 * A rule file that cannot go live: the problems found, each with its line, in line order. The running rule set stays.
 * At most {@link #MAX_LISTED} are kept (with the total count), so that a large file of garbage is answered with a
 * readable list rather than one line per byte.
 */
public final class RuleSetException extends Exception {
    /** Problems listed at most; {@link #count()} says how many there were. */
    public static final int MAX_LISTED = 100;
    private static final long serialVersionUID = 1L;

    private final List<String> problems;
    private final int count;

    public RuleSetException(final List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems.subList(0, Math.min(problems.size(), MAX_LISTED)));
        this.count = problems.size();
    }

    /** The first {@link #MAX_LISTED} problems, each as {@code "line N: what is wrong"}. */
    public List<String> problems() {
        return problems;
    }

    /** How many problems the file has, listed or not. */
    public int count() {
        return count;
    }

    private static String message(final List<String> problems) {
        final String listed = String.join("\n", problems.subList(0, Math.min(problems.size(), MAX_LISTED)));
        return problems.size() > MAX_LISTED
            ? listed + "\n... and " + (problems.size() - MAX_LISTED) + " more problems (" + problems.size() + " in all)"
            : listed;
    }
}
