package io.ecap.model.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The analyst's report as one self-contained HTML file: the data of every chart embedded as JSON, a small script of
 * our own that draws each as SVG, and a table of the same numbers under it; no network is needed to view it (no
 * fonts, scripts or styles from elsewhere). When every chart is drawn the page marks {@code <body data-rendered>};
 * if drawing fails it says so on the page.
 */
public final class Report {
    private Report() {
    }

    public static String html(final String title, final String subtitle, final List<Chart> charts) {
        final StringBuilder out = new StringBuilder(16_384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>\n").append(resource("report.css"))
            .append("</style></head>\n<body>\n<header><h1>").append(escape(title)).append("</h1><p>")
            .append(escape(subtitle)).append("</p></header>\n<main>\n");
        for (final Chart chart : charts) {
            out.append("<section id=\"").append(chart.id()).append("\"><h2>").append(escape(chart.title()))
                .append("</h2>\n");
            if (!chart.note().isEmpty()) {
                out.append("<p class=\"note\">").append(escape(chart.note())).append("</p>\n");
            }
            if (!chart.bars().isEmpty()) {
                out.append("<div class=\"chart\" data-chart=\"").append(chart.id()).append("\"></div>\n");
                table(out, chart);
            }
            out.append("</section>\n");
        }
        out.append("</main>\n<script type=\"application/json\" id=\"report-data\">").append(json(charts))
            .append("</script>\n<script>\n").append(resource("report.js")).append("</script>\n</body></html>\n");
        return out.toString();
    }

    private static void table(final StringBuilder out, final Chart chart) {
        out.append("<table><thead><tr><th></th>");
        for (final String series : chart.series()) {
            out.append("<th>").append(escape(series)).append("</th>");
        }
        out.append("</tr></thead><tbody>\n");
        for (final Chart.Bar bar : chart.bars()) {
            out.append("<tr><td>").append(escape(bar.label())).append("</td>");
            for (int j = 0; j < bar.values().size(); j++) {
                out.append("<td>").append(format(bar.values().get(j), chart.format()))
                    .append(j == bar.partial() ? " (so far)" : "").append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    static String format(final Double v, final String format) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        return switch (format) {
            case "percent" -> String.format(Locale.ROOT, "%.1f%%", 100 * v);
            case "money" -> String.format(Locale.ROOT, "$%,.2f", v);
            default -> v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", v.longValue())
                : String.format(Locale.ROOT, "%,.3f", v);
        };
    }

    private static String json(final List<Chart> charts) {
        final StringBuilder out = new StringBuilder("[");
        for (final Chart chart : charts) {
            if (chart.bars().isEmpty()) {
                continue;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"id\":").append(string(chart.id())).append(",\"format\":").append(string(chart.format()))
                .append(",\"style\":").append(string(chart.style())).append(",\"series\":[");
            for (int i = 0; i < chart.series().size(); i++) {
                out.append(i == 0 ? "" : ",").append(string(chart.series().get(i)));
            }
            out.append("],\"bars\":[");
            for (int i = 0; i < chart.bars().size(); i++) {
                final Chart.Bar bar = chart.bars().get(i);
                out.append(i == 0 ? "" : ",").append("{\"label\":").append(string(bar.label())).append(",\"values\":[");
                for (int j = 0; j < bar.values().size(); j++) {
                    final Double v = bar.values().get(j);
                    out.append(j == 0 ? "" : ",").append(v == null || !Double.isFinite(v) ? "null" : v.toString());
                }
                out.append(']').append(bar.partial() < 0 ? "" : ",\"partial\":" + bar.partial()).append('}');
            }
            out.append("]}");
        }
        return out.append(']').toString();
    }

    /** A JSON string that is also safe inside a script element. */
    private static String string(final String s) {
        final StringBuilder out = new StringBuilder("\"");
        for (final char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(final String name) {
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
