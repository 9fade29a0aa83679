package io.ecap.analytics.clv;

import java.util.Locale;

/**
 * The outcome of a maximum-likelihood fit: the parameters by name, the log-likelihood summed over customers at them,
 * how many times the likelihood was evaluated, and whether the optimiser converged to an interior optimum (the
 * trust region shrank to its floor and the gradient there is flat).
 */
public record Fit(String model, String[] names, double[] values, double logLikelihood, int evaluations,
    boolean converged, double gradientNorm) {

    public double get(final String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException(model + " has no parameter " + name);
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(model).append(':');
        for (int i = 0; i < names.length; i++) {
            out.append(String.format(Locale.ROOT, " %s=%.4f", names[i], values[i]));
        }
        return out.append(String.format(Locale.ROOT, "  log-likelihood %.4f  evaluations %d  %s (gradient %.2e)",
            logLikelihood, evaluations, converged ? "converged" : "NOT converged", gradientNorm)).toString();
    }
}
