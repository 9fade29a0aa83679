package io.ecap.ops.generate;

/**
 * How busy a shop is at a moment of event time (UTC), relative to its average: quiet nights and busy evenings, busier
 * weekends and, with a seasonality above 0, a yearly swing peaking in early December (the holiday season) and
 * lowest in early June.
 */
final class Rhythm {
    private static final double[] HOURLY = {
        0.25, 0.15, 0.1, 0.1, 0.12, 0.2, 0.4, 0.7, 0.9, 1.0, 1.1, 1.2,
        1.3, 1.25, 1.2, 1.2, 1.25, 1.35, 1.5, 1.7, 1.8, 1.6, 1.1, 0.6,
    };
    private static final double WEEKEND = 1.2;
    /** Day of the year (from 0) when the yearly swing peaks: December the 5th. */
    private static final double PEAK_DAY = 338;
    private static final double DAY_MS = 86_400_000.0;
    private static final double YEAR_DAYS = 365.2425;

    private Rhythm() {
    }

    /** The daily and weekly rhythm alone (what the classic generator uses). */
    static double week(final long ms) {
        final long hour = Math.floorMod(ms / 3_600_000L, 24L);
        final long day = Math.floorMod(Math.floorDiv(ms, 86_400_000L) + 3, 7L);
        return HOURLY[(int) hour] * (day >= 5 ? WEEKEND : 1.0);
    }

    /** The daily, weekly and yearly rhythm; {@code seasonality} is the yearly swing's amplitude (0 to 0.9). */
    static double at(final long ms, final double seasonality) {
        if (seasonality == 0) {
            return week(ms);
        }
        final double dayOfYear = Math.floorMod(ms, (long) (YEAR_DAYS * DAY_MS)) / DAY_MS;
        return week(ms) * (1 + seasonality * Math.cos(2 * Math.PI * (dayOfYear - PEAK_DAY) / YEAR_DAYS));
    }

    /** The highest value {@link #at} takes with this seasonality. */
    static double max(final double seasonality) {
        return 1.8 * WEEKEND * (1 + seasonality);
    }
}
