package io.ecap.analytics.funnel;

import java.util.List;
import java.util.Set;

/**
 * A funnel: named steps a session must take in this order (other events may come between). A session reaches step
 * k when it has a step-1 event, then later a step-2 event, and so on up to step k; each step is matched at its first
 * occurrence after the previous step's match, which reaches the furthest any order of matching could.
 */
public record Funnel(String name, List<String> steps) implements java.io.Serializable {
    public Funnel {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("funnel name: expected lower-case letters, digits and _, found '"
                + name + "'");
        }
        if (steps == null || steps.size() < 2) {
            throw new IllegalArgumentException("funnel " + name + ": expected at least two steps");
        }
    }

    /** The purchase funnel: product_view → add_to_cart → checkout_start → purchase. */
    public static final Funnel PURCHASE = new Funnel("purchase",
        List.of("product_view", "add_to_cart", "checkout_start", "purchase"));

    /**
     * Parses {@code name=step,step,...}; every step must be one of {@code known}.
     */
    public static Funnel parse(final String text, final Set<String> known) {
        final int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--funnel: expected name=step,step,... found '" + text + "'");
        }
        final List<String> steps = List.of(text.substring(eq + 1).split(","));
        for (final String step : steps) {
            if (!known.contains(step)) {
                throw new IllegalArgumentException("--funnel " + text.substring(0, eq) + ": unknown step '" + step
                    + "' (steps: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return new Funnel(text.substring(0, eq), steps);
    }

    /** How many steps a session with these event types (in time order) reaches, from 0 to the number of steps. */
    public int reached(final List<String> eventTypes) {
        int next = 0;
        for (final String type : eventTypes) {
            if (next < steps.size() && steps.get(next).equals(type)) {
                next++;
            }
        }
        return next;
    }
}
