package io.ecap.analytics.fraud;

/**
 * A merchant's risk band from counts, so that a handful of payments cannot make a merchant look risky by chance.
 *
 * <p>The rule: a merchant with fewer than {@link #MIN_PAYMENTS} payments is {@code unrated} (too few to say). Otherwise
 * each rate, confirmed fraud per payment and declines per payment, is taken at the lower end of its 95% Wilson score
 * interval: the rate the merchant has at least, with 95% confidence, given how few payments there are. {@code high}
 * when that is 2% or more of payments confirmed as fraud or 20% or more declined; {@code elevated} at 1% or 10%;
 * else {@code normal}. One chargeback in 73 payments (1.4%) has a lower bound of 0.24%: normal. The fraud thresholds
 * are near those of the card schemes' chargeback monitoring programmes (about 1% and 1.5% of payments charged back);
 * declines are a second, faster signal, since chargebacks arrive weeks late.
 */
public final class MerchantRisk {
    /** Payments below which a merchant is not banded. */
    public static final long MIN_PAYMENTS = 30;
    /** The normal quantile of a two-sided 95% interval. */
    private static final double Z = 1.959964;

    public static final double HIGH_FRAUD = 0.02;
    public static final double HIGH_DECLINED = 0.20;
    public static final double ELEVATED_FRAUD = 0.01;
    public static final double ELEVATED_DECLINED = 0.10;

    private MerchantRisk() {
    }

    /** The band of a merchant with {@code payments}, of which {@code fraud} confirmed fraud and {@code declined}. */
    public static String band(final long payments, final long fraud, final long declined) {
        if (payments < MIN_PAYMENTS) {
            return "unrated";
        }
        final double fraudAtLeast = wilsonLower(fraud, payments);
        final double declinedAtLeast = wilsonLower(declined, payments);
        if (fraudAtLeast >= HIGH_FRAUD || declinedAtLeast >= HIGH_DECLINED) {
            return "high";
        }
        if (fraudAtLeast >= ELEVATED_FRAUD || declinedAtLeast >= ELEVATED_DECLINED) {
            return "elevated";
        }
        return "normal";
    }

    /** The lower end of the 95% Wilson score interval of {@code k} successes in {@code n} trials (0 when n is 0). */
    public static double wilsonLower(final long k, final long n) {
        if (n <= 0) {
            return 0;
        }
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("expected 0 to " + n + " successes, found " + k);
        }
        final double p = (double) k / n;
        final double z2 = Z * Z;
        final double centre = p + z2 / (2.0 * n);
        final double spread = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - spread) / (1 + z2 / n));
    }
}
