package io.ecap.model.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.HeadlessDom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        new Chart("cohorts", "Cohorts", "", List.of("month 0", "month 1", "month 2", "month 3"), List.of(
            new Chart.Bar("2026-09-01 (40)", List.of(1.0, 0.45, 0.3, 0.2)),
            new Chart.Bar("2026-10-01 (25)", java.util.Arrays.asList(1.0, 0.52, 0.12, null), 2),
            new Chart.Bar("2026-11-01 (31)", java.util.Arrays.asList(1.0, 0.16, null, null))), "percent",
            Chart.HEATMAP),
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
        assertTrue(html.contains("<td>12.0% (so far)</td>"), "a period not over yet says so in the table");
    }

    @Test
    void chartsDrawInHeadlessChromium() throws Exception {
        final Path page = Files.writeString(dir.resolve("report.html"), Report.html("Report", "sub", CHARTS),
            StandardCharsets.UTF_8);
        final String dom = HeadlessDom.of(page, dir);
        assertEquals(4, HeadlessDom.chartsDrawn(dom), "four charts have data");
        assertEquals(3 * 2 + 2, HeadlessDom.bars(dom, "segments"), "a bar per value, and a legend swatch per series");
        assertEquals(3, HeadlessDom.bars(dom, "funnel"));
        assertEquals(2 + 2, HeadlessDom.bars(dom, "fraud"), "a missing value still gets its (empty) bar");
        assertTrue(dom.contains("Lost &lt;/script&gt;"), "labels drawn as text");
        assertEquals(9, HeadlessDom.bars(dom, "cohorts"), "a heatmap's cell per value, none for a period not reached");
        final String cohorts = dom.substring(dom.indexOf("aria-label=\"cohorts\""));
        assertTrue(cohorts.contains(">52%</text>") && cohorts.contains(">100%</text>"), "each cell's value in it");
        assertTrue(cohorts.contains(">12%*</text>") && !cohorts.contains(">16%*</text>"),
            "the period not over yet marked, and only it");
        assertEquals(1, cohorts.split("class=\"heat partial\"", -1).length - 1, "and outlined: " + cohorts);
        assertTrue(cohorts.contains("fill-opacity=\"1.000\"") && cohorts.contains("fill-opacity=\"0.190\""),
            "shaded by value against the largest (100%: full, 12%: 0.08 + 0.92 x 0.12)");
    }

    @Test
    void refusesAPartialValueThatIsNotThere() {
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new Chart.Bar("x", List.of(1.0, 2.0), 2));
        assertTrue(e.getMessage().contains("partial value 2 of 2"), e.getMessage());
    }

    @Test
    void refusesAStyleItCannotDraw() {
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new Chart("x", "X", "", List.of("a"), List.of(), "count", "pie"));
        assertTrue(e.getMessage().contains("style bars or heatmap"), e.getMessage());
    }
}
