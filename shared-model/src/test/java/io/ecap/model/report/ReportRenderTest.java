package io.ecap.analytics.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report is one file that needs nothing from the network, and its charts draw in a real browser: headless
 * Chromium ({@code /usr/bin/chromium}, or {@code ECAP_CHROMIUM}) loads it and the test reads the DOM its script built.
 * Without a Chromium on the machine the browser test is skipped (and says so); the file checks still run. CI
 * ({@code .ci/run}) installs Chromium and sets {@code ECAP_REQUIRE_CHROMIUM=1}, under which a missing one fails.
 */
class ReportRenderTest {
    private static final List<Chart> CHARTS = List.of(
        new Chart("segments", "Segments <&>", "note \"quoted\"", List.of("customers", "revenue"), List.of(
            new Chart.Bar("Champions", List.of(0.2, 0.55)), new Chart.Bar("Lost </script>", List.of(0.3, 0.05)),
            new Chart.Bar("At Risk", List.of(0.5, 0.4))), "percent"),
        new Chart("funnel", "Funnel", "", List.of("sessions"), List.of(new Chart.Bar("1. product_view", List.of(90.0)),
            new Chart.Bar("2. add_to_cart", List.of(30.0)), new Chart.Bar("3. purchase", List.of(9.0))), "count"),
        new Chart("fraud", "Fraud", "", List.of("declined", "confirmed fraud"), List.of(
            new Chart.Bar("2026-11-30", java.util.Arrays.asList(0.01, null))), "percent"),
        Chart.missing("churn", "Churn risk", "Not computed yet: run ecap lake churn."));

    @TempDir
    Path dir;

    @Test
    void isOneFileThatNeedsNoNetworkAndEscapesWhatItShows() {
        final String html = Report.html("Report", "sub", CHARTS);
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
            "nothing loaded from anywhere");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "no address but SVG's namespace");
        assertTrue(html.contains("Segments &lt;&amp;&gt;"));
        assertFalse(html.contains("Lost </script>"), "data cannot close the script element");
        assertTrue(html.contains("Not computed yet: run ecap lake churn."));
        assertTrue(html.contains("<td>55.0%</td>"), "the numbers are in a table too");
    }

    @Test
    void chartsDrawInHeadlessChromium() throws Exception {
        final Path chromium = Path.of(System.getenv().getOrDefault("ECAP_CHROMIUM", "/usr/bin/chromium"));
        if ("1".equals(System.getenv("ECAP_REQUIRE_CHROMIUM"))) {
            assertTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + ", and ECAP_REQUIRE_CHROMIUM=1 "
                + "(.ci/run installs Debian's chromium; did it fail?)");
        }
        assumeTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + " (install Debian's chromium or set "
            + "ECAP_CHROMIUM): the browser check is skipped");
        final Path page = Files.writeString(dir.resolve("report.html"), Report.html("Report", "sub", CHARTS),
            StandardCharsets.UTF_8);
        final String dom = dumpDom(chromium, page);
        final Matcher rendered = Pattern.compile("<body[^>]*data-rendered=\"(\\d+)\"").matcher(dom);
        assertTrue(rendered.find(), "the script finished drawing:\n" + abbreviate(dom));
        assertEquals("3", rendered.group(1), "three charts have data");
        assertFalse(Pattern.compile("<body[^>]*data-render-error").matcher(dom).find(), abbreviate(dom));
        assertEquals(3 * 2 + 2, bars(dom, "segments"), "a bar per value, and a legend swatch per series");
        assertEquals(3, bars(dom, "funnel"));
        assertEquals(2 + 2, bars(dom, "fraud"), "a missing value still gets its (empty) bar");
        assertTrue(dom.contains("Lost &lt;/script&gt;"), "labels drawn as text");
    }

    /** The rect elements drawn inside one chart. */
    private static int bars(final String dom, final String chart) {
        final int start = dom.indexOf("data-chart=\"" + chart + "\"");
        assertTrue(start >= 0, "chart " + chart + " is on the page");
        final int end = dom.indexOf("</svg>", start);
        assertTrue(end > start, "chart " + chart + " has an SVG");
        final Matcher rect = Pattern.compile("<rect ").matcher(dom.substring(start, end));
        int n = 0;
        while (rect.find()) {
            n++;
        }
        return n;
    }

    private String dumpDom(final Path chromium, final Path page) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir.resolve("profile"),
            "--dump-dom", page.toUri().toString()));
        final Process process = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile())
            .start();
        final byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String abbreviate(final String s) {
        return s.length() < 3000 ? s : s.substring(0, 3000) + "...";
    }
}
