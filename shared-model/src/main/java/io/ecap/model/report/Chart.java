package io.ecap.model.report;

import java.util.List;

/**
 * One chart of the report: rows with a label and one value per series, and how to draw and print the values. Drawn
 * as bars (a single series is a plain bar chart, several are grouped bars) or as a heatmap (a row per label, a column
 * per series, each cell shaded by its value: cohorts by period, for one).
 *
 * @param format "count", "percent" (values 0 to 1) or "money"
 * @param style {@link #BARS} or {@link #HEATMAP}
 */
public record Chart(String id, String title, String note, List<String> series, List<Bar> bars, String format,
    String style) {
    public static final String BARS = "bars";
    public static final String HEATMAP = "heatmap";

    public Chart {
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("chart id: lower-case letters, digits and -, found '" + id + "'");
        }
        if (!style.equals(BARS) && !style.equals(HEATMAP)) {
            throw new IllegalArgumentException("chart " + id + ": style bars or heatmap, found '" + style + "'");
        }
        for (final Bar bar : bars) {
            if (bar.values().size() != series.size()) {
                throw new IllegalArgumentException("chart " + id + ": bar " + bar.label() + " has "
                    + bar.values().size() + " values for " + series.size() + " series");
            }
        }
    }

    /** A bar chart. */
    public Chart(final String id, final String title, final String note, final List<String> series,
        final List<Bar> bars, final String format) {
        this(id, title, note, series, bars, format, BARS);
    }

    /**
     * A bar (or group of bars, or a heatmap's row): its label, a value per series, and which value, if any, is
     * partial: counted so far over a period not over yet ({@code partial}: its index, -1 for none).
     */
    public record Bar(String label, List<Double> values, int partial) {
        public Bar {
            if (partial < -1 || partial >= values.size()) {
                throw new IllegalArgumentException("bar " + label + ": partial value " + partial + " of "
                    + values.size());
            }
        }

        /** A bar whose values are all final. */
        public Bar(final String label, final List<Double> values) {
            this(label, values, -1);
        }
    }

    /** A section without data, and why (what to run to get it, or why its job could not run). */
    public static Chart missing(final String id, final String title, final String why) {
        return new Chart(id, title, why, List.of(), List.of(), "count");
    }
}
