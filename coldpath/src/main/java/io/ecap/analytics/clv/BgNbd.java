package io.ecap.analytics.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The BG/NBD model of repeat purchases (Fader, Hardie and Lee, "Counting Your Customers the Easy Way", 2005): while
 * alive a customer buys as a Poisson process whose rate is Gamma(r, α) across customers, and after each purchase
 * drops out with a probability that is Beta(a, b) across customers. Fitted on each customer's frequency {@code x}
 * (repeat purchases), recency {@code tx} (first to last purchase) and age {@code T} (first purchase to the end of
 * observation), all in the same time unit.
 */
public final class BgNbd {
    public static final String MODEL = "BG/NBD";
    private static final String[] NAMES = {"r", "alpha", "a", "b"};

    private final double r;
    private final double alpha;
    private final double a;
    private final double b;

    public BgNbd(final double r, final double alpha, final double a, final double b) {
        this.r = r;
        this.alpha = alpha;
        this.a = a;
        this.b = b;
    }

    public static BgNbd of(final Fit fit) {
        return new BgNbd(fit.get("r"), fit.get("alpha"), fit.get("a"), fit.get("b"));
    }

    /** Fits by maximum likelihood; needs at least one customer with a repeat purchase. */
    public static Fit fit(final Summaries data) {
        if (data.repeatCustomers() == 0) {
            throw new IllegalArgumentException(MODEL + ": no customer has a repeat purchase; nothing to fit");
        }
        final double meanAge = data.meanAge();
        return MaximumLikelihood.maximise(MODEL, NAMES, new double[] {1, Math.max(meanAge, 1e-3), 1, 1},
            data.size(), p -> new BgNbd(p[0], p[1], p[2], p[3]).logLikelihood(data));
    }

    /** The log-likelihood summed over customers. */
    public double logLikelihood(final Summaries data) {
        final double betaTerm = logGamma(a + b) - logGamma(b);
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            sum += logLikelihood(data.frequency(i), data.recency(i), data.age(i), betaTerm);
        }
        return sum;
    }

    private double logLikelihood(final double x, final double tx, final double age, final double betaTerm) {
        final double a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
        final double a2 = betaTerm + logGamma(b + x) - logGamma(a + b + x);
        final double a3 = -(r + x) * Math.log(alpha + age);
        if (x == 0) {
            return a1 + a2 + a3;
        }
        final double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        final double max = Math.max(a3, a4);
        return a1 + a2 + max + Math.log(Math.exp(a3 - max) + Math.exp(a4 - max));
    }

    /** The probability that a customer with this history is still alive at the end of observation. */
    public double probabilityAlive(final double x, final double tx, final double age) {
        if (x == 0) {
            return 1;
        }
        return 1 / (1 + a / (b + x - 1) * Math.exp((r + x) * (Math.log(alpha + age) - Math.log(alpha + tx))));
    }

    /** The expected number of purchases in the next {@code t} time units for a customer with this history. */
    public double expectedPurchases(final double t, final double x, final double tx, final double age) {
        if (t <= 0) {
            return 0;
        }
        final double z = t / (alpha + age + t);
        final double hyper = Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        final double first = (a + b + x - 1) / (a - 1);
        final double second = 1 - Math.exp((r + x) * Math.log((alpha + age) / (alpha + age + t))) * hyper;
        final double denominator = 1 + (x > 0 ? a / (b + x - 1)
            * Math.exp((r + x) * (Math.log(alpha + age) - Math.log(alpha + tx))) : 0);
        return first * second / denominator;
    }
}
