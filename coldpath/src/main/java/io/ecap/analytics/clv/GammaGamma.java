package io.ecap.analytics.clv;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee, "RFM and CLV", 2005): a customer's purchase
 * amounts are Gamma(p, ν) around their own mean, and ν is Gamma(q, v) across customers. Fitted on customers with at
 * least one repeat purchase, from their number of repeat purchases {@code x} and mean repeat spend {@code m}. It
 * assumes spend does not depend on purchase frequency.
 */
public final class GammaGamma {
    public static final String MODEL = "Gamma-Gamma";
    private static final String[] NAMES = {"p", "q", "v"};

    private final double p;
    private final double q;
    private final double v;

    public GammaGamma(final double p, final double q, final double v) {
        this.p = p;
        this.q = q;
        this.v = v;
    }

    public static GammaGamma of(final Fit fit) {
        return new GammaGamma(fit.get("p"), fit.get("q"), fit.get("v"));
    }

    /** Fits by maximum likelihood over the customers with a repeat purchase and a positive mean spend. */
    public static Fit fit(final Summaries data) {
        final Summaries repeat = data.repeatBuyers();
        if (repeat.size() < 2) {
            throw new IllegalArgumentException(MODEL + ": fewer than two customers with repeat purchases and a "
                + "positive spend; nothing to fit");
        }
        return MaximumLikelihood.maximise(MODEL, NAMES, new double[] {1, 1, Math.max(repeat.meanSpend(), 1e-3)},
            repeat.size(), g -> new GammaGamma(g[0], g[1], g[2]).logLikelihood(repeat));
    }

    /** The log-likelihood summed over the customers given (all must have x > 0 and m > 0). */
    public double logLikelihood(final Summaries data) {
        final double constant = q * Math.log(v) - logGamma(q);
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            final double x = data.frequency(i);
            final double m = data.spend(i);
            final double px = p * x;
            sum += logGamma(px + q) - logGamma(px) + constant + (px - 1) * Math.log(m) + px * Math.log(x)
                - (px + q) * Math.log(x * m + v);
        }
        return sum;
    }

    /**
     * The expected spend per future purchase of a customer with {@code x} repeat purchases of mean {@code m}: the
     * population mean pulled toward the customer's own as their purchases accumulate. With none, the population mean.
     */
    public double expectedSpend(final double x, final double m) {
        return p * (v + x * m) / (p * x + q - 1);
    }
}
