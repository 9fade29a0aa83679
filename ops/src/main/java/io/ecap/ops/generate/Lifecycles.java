package io.ecap.ops.generate;

/**
 * Customers who come and go, for generated history: each customer buys at a rate of their own (gamma-distributed
 * across customers: a few buy every few days, many once in months) for a lifetime of their own (exponential, so
 * some stay a few days and some for years); in the last part of it they slow down to a third of their rate, then
 * they stop for good and a new customer takes their place. The shop's pace also follows the year ({@link Rhythm}).
 *
 * @param lifetimeDays mean time from a customer's arrival to their last chance to buy, in days
 * @param fading       the share of a lifetime, at its end, spent buying at a third of the rate (0 to 1)
 * @param seasonality  amplitude of the yearly swing: 0.25 is a quarter above the mean in early December and a quarter
 *                     below in early June (0 to 0.9)
 */
public record Lifecycles(double lifetimeDays, double fading, double seasonality) {
    /** Half a year of life on average, the last third of it slowing down; a swing of a quarter over the year. */
    public static final Lifecycles DEFAULT = new Lifecycles(180, 1.0 / 3, 0.25);

    /** How much slower a fading customer buys. */
    static final double FADED_RATE = 1.0 / 3;

    public Lifecycles {
        if (!(lifetimeDays > 0) || !(fading >= 0 && fading <= 1) || !(seasonality >= 0 && seasonality <= 0.9)) {
            throw new IllegalArgumentException("lifecycles: a positive lifetime, a fading share from 0 to 1 and a "
                + "seasonality from 0 to 0.9");
        }
    }

    /** The mean rate over a whole life, as a share of the full rate. */
    double meanRateShare() {
        return 1 - fading + fading * FADED_RATE;
    }
}
