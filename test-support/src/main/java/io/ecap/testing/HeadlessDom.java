package io.ecap.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a local HTML file in headless Chromium ({@code /usr/bin/chromium}, or {@code ECAP_CHROMIUM}) and returns the
 * DOM its scripts built ({@code --dump-dom}), for the tests of the self-contained reports. Without a Chromium the
 * calling test is skipped and says so, except under {@code ECAP_REQUIRE_CHROMIUM=1} (what {@code .ci/run} sets after
 * installing Chromium), where it fails: CI never skips a browser check silently.
 */
public final class HeadlessDom {
    private HeadlessDom() {
    }

    /** The page's DOM after its scripts ran; {@code work} holds the browser's profile and log. */
    public static String of(final Path page, final Path work) throws IOException, InterruptedException {
        final Path chromium = Path.of(System.getenv().getOrDefault("ECAP_CHROMIUM", "/usr/bin/chromium"));
        if ("1".equals(System.getenv("ECAP_REQUIRE_CHROMIUM"))) {
            assertTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + ", and ECAP_REQUIRE_CHROMIUM=1 "
                + "(.ci/run installs Debian's chromium; did it fail?)");
        }
        assumeTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + " (install Debian's chromium or set "
            + "ECAP_CHROMIUM): the browser check is skipped");
        final List<String> command = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + work.resolve("profile"), "--dump-dom", page.toUri().toString());
        final Process process = new ProcessBuilder(command).redirectError(work.resolve("chromium.log").toFile())
            .start();
        final byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    /** How many charts the report's script drew ({@code <body data-rendered="N">}); fails if it did not finish. */
    public static int chartsDrawn(final String dom) {
        assertTrue(!Pattern.compile("<body[^>]*data-render-error").matcher(dom).find(), abbreviate(dom));
        final Matcher rendered = Pattern.compile("<body[^>]*data-rendered=\"(\\d+)\"").matcher(dom);
        assertTrue(rendered.find(), "the script finished drawing:\n" + abbreviate(dom));
        return Integer.parseInt(rendered.group(1));
    }

    /** The {@code rect} elements drawn inside one chart of a report. */
    public static int bars(final String dom, final String chart) {
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

    private static String abbreviate(final String s) {
        return s.length() < 3000 ? s : s.substring(0, 3000) + "...";
    }
}
