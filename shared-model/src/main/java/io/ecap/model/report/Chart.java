package io.ecap.model.report;

import java.util.List;

/**
 * One chart of the report: bars with a label and one value per series (a single series is a plain bar chart,
 * several are grouped bars), and how to print the values.
 *
 * @param format "count", "percent" (values 0 to 1) or "money"
 */
public record Chart(String id, String title, String note, List<String> series, List<Bar> bars, String format) {
    public Chart {
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("chart id: lower-case letters, digits and -, found '" + id + "'");
        }
        for (final Bar bar : bars) {
            if (bar.values().size() != series.size()) {
                throw new IllegalArgumentException("chart " + id + ": bar " + bar.label() + " has "
                    + bar.values().size() + " values for " + series.size() + " series");
            }
        }
    }

    /** A bar (or group of bars): its label and a value per series. */
    public record Bar(String label, List<Double> values) {
    }

    /** A section without data, and why (what to run to get it, or why its job could not run). */
    public static Chart missing(final String id, final String title, final String why) {
        return new Chart(id, title, why, List.of(), List.of(), "count");
    }
}
