package io.ecap.analytics.attribution;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a conversion's credit is shared among the marketing touches before it (oldest first). Every model gives
 * non-negative credits that sum to exactly 1 when there is at least one touch:
 * <ul>
 *   <li>{@code FIRST_TOUCH}, {@code LAST_TOUCH}: all of it to the first or the last touch;</li>
 *   <li>{@code LINEAR}: equal shares;</li>
 *   <li>{@code TIME_DECAY}: shares proportional to 2^(−age / half-life), the age measured back from the conversion,
 *       then normalised;</li>
 *   <li>{@code POSITION_BASED}: 40% to the first, 40% to the last and 20% shared by those between; one touch gets
 *       100%, two get 50% each.</li>
 * </ul>
 */
public enum AttributionModel {
    FIRST_TOUCH,
    LAST_TOUCH,
    LINEAR,
    TIME_DECAY,
    POSITION_BASED;

    /** The model's name in tables: first_touch, last_touch, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param ageHours each touch's time before the conversion, in hours (≥ 0), oldest first
     * @param halfLifeHours the time-decay half-life (used by {@code TIME_DECAY} only)
     * @return each touch's credit, summing to 1 (an empty array when there are no touches)
     */
    public double[] credits(final double[] ageHours, final double halfLifeHours) {
        final int n = ageHours.length;
        final double[] credit = new double[n];
        if (n == 0) {
            return credit;
        }
        switch (this) {
            case FIRST_TOUCH -> credit[0] = 1;
            case LAST_TOUCH -> credit[n - 1] = 1;
            case LINEAR -> Arrays.fill(credit, 1.0 / n);
            case TIME_DECAY -> {
                if (!(halfLifeHours > 0)) {
                    throw new IllegalArgumentException("half-life: expected a positive number of hours, found "
                        + halfLifeHours);
                }
                final double newest = Arrays.stream(ageHours).min().orElse(0);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    // relative to the newest touch, so weights stay representable however old the touches are
                    credit[i] = Math.pow(2, -(ageHours[i] - newest) / halfLifeHours);
                    sum += credit[i];
                }
                for (int i = 0; i < n; i++) {
                    credit[i] /= sum;
                }
            }
            case POSITION_BASED -> {
                if (n == 1) {
                    credit[0] = 1;
                } else if (n == 2) {
                    credit[0] = 0.5;
                    credit[1] = 0.5;
                } else {
                    credit[0] = 0.4;
                    credit[n - 1] = 0.4;
                    Arrays.fill(credit, 1, n - 1, 0.2 / (n - 2));
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return credit;
    }
}
