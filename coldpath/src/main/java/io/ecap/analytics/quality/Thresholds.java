package io.ecap.analytics.quality;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bars a table must clear: completeness and validity (shares of rows, 0 to 1), uniqueness (share of rows whose
 * key is not repeated), freshness (hours from the newest event to the end of the as-of day) and volume (the as-of
 * day's rows may be at most this many times above or below the mean of the seven days before).
 */
public record Thresholds(double completeness, double validity, double uniqueness, double freshnessHours,
    double volumeRatio) {

    public static final Thresholds DEFAULT = new Thresholds(0.99, 0.99, 1.0, 24, 3);

    /** Parses {@code completeness=0.99,freshness-hours=6,...}: the named ones replace the defaults. */
    public static Thresholds parse(final String text) {
        final Map<String, Double> values = new HashMap<>(Map.of("completeness", DEFAULT.completeness,
            "validity", DEFAULT.validity, "uniqueness", DEFAULT.uniqueness,
            "freshness-hours", DEFAULT.freshnessHours, "volume-ratio", DEFAULT.volumeRatio));
        for (final String pair : text.split(",")) {
            final String[] kv = pair.split("=", 2);
            final String name = kv[0].trim().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !values.containsKey(name)) {
                throw new IllegalArgumentException("--thresholds: unknown or incomplete '" + pair + "' (names: "
                    + String.join(", ", values.keySet().stream().sorted().toList()) + ")");
            }
            final double value;
            try {
                value = Double.parseDouble(kv[1].trim());
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("--thresholds " + name + ": not a number: '" + kv[1] + "'");
            }
            final boolean share = !name.equals("freshness-hours") && !name.equals("volume-ratio");
            if (share ? value < 0 || value > 1 : value <= 0 || name.equals("volume-ratio") && value < 1) {
                throw new IllegalArgumentException("--thresholds " + name + ": out of range: " + value);
            }
            values.put(name, value);
        }
        return new Thresholds(values.get("completeness"), values.get("validity"), values.get("uniqueness"),
            values.get("freshness-hours"), values.get("volume-ratio"));
    }
}
