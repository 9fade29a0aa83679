package io.ecap.analytics.clv;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Maximises a log-likelihood over strictly positive parameters. The search runs on their logarithms (so every
 * point it tries is valid), bounded to [1e-6, 1e6], with BOBYQA (Powell's bounded derivative-free trust-region
 * method), on the mean log-likelihood per customer so its scale does not depend on the number of customers.
 * Convergence means the trust region reached its floor inside the bounds and the numerical gradient of the mean
 * log-likelihood there is below 1e-4; otherwise the fit is returned marked not converged. A search that exhausts its
 * evaluations throws, naming the model.
 */
final class MaximumLikelihood {
    private static final double LOWER = Math.log(1e-6);
    private static final double UPPER = Math.log(1e6);
    private static final int MAX_EVALUATIONS = 20_000;
    private static final double FLAT = 1e-4;

    private MaximumLikelihood() {
    }

    /**
     * @param logLikelihood the log-likelihood summed over customers, at the given parameters
     * @param customers the number (or total weight) of customers, to average over
     */
    static Fit maximise(final String model, final String[] names, final double[] start, final double customers,
        final ToDoubleFunction<double[]> logLikelihood) {
        final int n = start.length;
        final double[] logStart = new double[n];
        final double[] lower = new double[n];
        final double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            logStart[i] = Math.log(start[i]);
            lower[i] = LOWER;
            upper[i] = UPPER;
        }
        final ToDoubleFunction<double[]> mean = logs -> {
            final double ll = logLikelihood.applyAsDouble(exp(logs)) / customers;
            return Double.isFinite(ll) ? ll : -1e300;
        };
        final BOBYQAOptimizer optimizer = new BOBYQAOptimizer(2 * n + 1, 0.5, 1e-10);
        final PointValuePair best;
        try {
            best = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), GoalType.MAXIMIZE,
                new ObjectiveFunction(mean::applyAsDouble), new InitialGuess(logStart),
                new SimpleBounds(lower, upper));
        } catch (final TooManyEvaluationsException e) {
            throw new IllegalStateException(model + ": the likelihood did not converge within " + MAX_EVALUATIONS
                + " evaluations; the data may not fit this model (too few repeat customers?)", e);
        }
        final double[] logs = best.getPoint();
        final double gradient = gradientNorm(mean, logs);
        boolean interior = true;
        for (final double v : logs) {
            interior &= v > LOWER + 1e-3 && v < UPPER - 1e-3;
        }
        return new Fit(model, names, exp(logs), best.getValue() * customers, optimizer.getEvaluations(),
            interior && gradient < FLAT, gradient);
    }

    private static double gradientNorm(final ToDoubleFunction<double[]> f, final double[] at) {
        double sum = 0;
        for (int i = 0; i < at.length; i++) {
            final double h = 1e-6;
            final double[] up = at.clone();
            final double[] down = at.clone();
            up[i] += h;
            down[i] -= h;
            final double g = (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
            sum += g * g;
        }
        return Math.sqrt(sum);
    }

    private static double[] exp(final double[] logs) {
        final double[] values = new double[logs.length];
        for (int i = 0; i < logs.length; i++) {
            values[i] = Math.exp(logs[i]);
        }
        return values;
    }
}
