package io.ecap.ops.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Writes a latency histogram as an HdrHistogram percentile distribution ({@code .hgrm}) and as a self-contained SVG
 * percentile plot (no scripts, no network) that any browser opens.
 */
public final class LatencyReport {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 99.999, 100};

    private LatencyReport() {
    }

    /** Writes {@code name.hgrm} and {@code name.svg} into {@code dir}; values in the histogram are nanoseconds. */
    public static void write(final Path dir, final String name, final String title, final Histogram h)
        throws IOException {
        Files.createDirectories(dir);
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(name + ".hgrm")), false,
            StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(out, 1000.0);
        }
        Files.writeString(dir.resolve(name + ".svg"), svg(title, h), StandardCharsets.UTF_8);
    }

    /** One line: count and the usual percentiles, in microseconds below a millisecond, else milliseconds. */
    public static String summary(final Histogram h) {
        final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "count %,d", h.getTotalCount()));
        for (final double p : PERCENTILES) {
            final long ns = p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p);
            sb.append("  ").append(p >= 100 ? "max" : "p" + trim(p)).append(' ').append(duration(ns));
        }
        return sb.toString();
    }

    /** {@code 8.3 us}, {@code 412 us}, {@code 3.1 ms}, {@code 2,410 ms}. */
    public static String duration(final long ns) {
        if (ns < 100_000) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        if (ns < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f us", ns / 1e3);
        }
        return ns < 100_000_000 ? String.format(Locale.ROOT, "%.1f ms", ns / 1e6)
            : String.format(Locale.ROOT, "%,.0f ms", ns / 1e6);
    }

    private static String trim(final double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    /** Latency (log scale) against percentile on the usual 1/(1-p) axis. */
    static String svg(final String title, final Histogram h) {
        final int w = 800;
        final int ht = 420;
        final int left = 70;
        final int bottom = 360;
        final double maxNines = 6;
        final double maxUs = Math.max(1, h.getMaxValue() / 1000.0);
        final double logMax = Math.ceil(Math.log10(maxUs));
        final double logMin = Math.floor(Math.log10(Math.max(0.1, h.getMinValue() / 1000.0)));
        final StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(ht)
            .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"").append(left).append("\" y=\"24\" font-size=\"15\">").append(escape(title))
            .append("</text>\n");
        for (double d = logMin; d <= logMax; d++) {
            final double y = bottom - (d - logMin) / Math.max(1, logMax - logMin) * (bottom - 50);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s us</text>%n", left, w - 20, y, y, left - 6, y + 4,
                formatUs(Math.pow(10, d))));
        }
        final String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int n = 0; n <= maxNines; n++) {
            final double x = left + n / maxNines * (w - 20 - left);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"50\" y2=\"%d\" stroke=\"#ddd\"/>"
                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, x, bottom, x, bottom + 18,
                labels[n]));
        }
        sb.append("<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"");
        for (int i = 0; i <= 300; i++) {
            final double nines = i / 300.0 * maxNines;
            final double percentile = 100 * (1 - Math.pow(10, -nines));
            if (h.getTotalCount() * (100 - percentile) / 100 < 0.5 && i > 0) {
                break;
            }
            final double us = Math.max(Math.pow(10, logMin), h.getValueAtPercentile(percentile) / 1000.0);
            final double x = left + nines / maxNines * (w - 20 - left);
            final double y = bottom - (Math.log10(us) - logMin) / Math.max(1, logMax - logMin) * (bottom - 50);
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        sb.append("\"/>\n<text x=\"").append(left).append("\" y=\"").append(ht - 20).append("\">")
            .append(escape(summary(h))).append("</text>\n</svg>\n");
        return sb.toString();
    }

    private static String formatUs(final double us) {
        return us >= 1 ? String.format(Locale.ROOT, "%,.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }

    private static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
