package io.ecap.ops.cli;

import io.ecap.hotpath.engine.EngineClient;
import io.ecap.model.Outcome;
import io.ecap.ops.drive.Backfill;
import io.ecap.ops.generate.GeneratedEvent;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.report.ScoreStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The demo's history: the generated traffic from its first day to today's midnight, split in two. All but the last
 * {@code liveRequests} events go straight into the engine in this process ({@link Backfill}), as fast as it takes
 * them; the last ones are kept, in order, for the live part over HTTP. The ground truth of every fraudulent payment
 * is written to a file for the lake's report.
 */
final class DemoHistory {
    private final Traffic traffic;
    private final long liveRequests;
    private final PrintStream out;
    private final ArrayDeque<GeneratedEvent> live = new ArrayDeque<>();
    private Backfill backfill;
    private double seconds;
    private long firstLiveMs = Long.MIN_VALUE;
    private long lastMs;

    DemoHistory(final Traffic traffic, final long liveRequests, final PrintStream out) {
        this.traffic = traffic;
        this.liveRequests = liveRequests;
        this.out = out;
    }

    /**
     * Generates the whole history, sends its older part into the engine through {@code client} and keeps the rest;
     * stops early when {@code stopped} says so. Writes the ground truth to {@code truthFile}.
     */
    void backfill(final EngineClient client, final Path truthFile, final BooleanSupplier stopped)
        throws IOException {
        backfill = new Backfill(client);
        final long startNs = System.nanoTime();
        long nextReportNs = startNs + 2_000_000_000L;
        try (Writer truth = Files.newBufferedWriter(truthFile, StandardCharsets.UTF_8)) {
            for (GeneratedEvent e = traffic.next(); e != null && !stopped.getAsBoolean(); e = traffic.next()) {
                if (e.isFraud()) {
                    truth.write("{\"txnId\":\"" + e.txnId() + "\",\"scenario\":\"" + e.scenario() + "\"}\n");
                }
                lastMs = e.tsMs();
                live.add(e);
                if (live.size() > liveRequests) {
                    final GeneratedEvent older = live.poll();
                    backfill.send(older);
                    if ((backfill.sentTotal() & 4095) == 0 && System.nanoTime() - nextReportNs >= 0) {
                        nextReportNs += 2_000_000_000L;
                        out.printf("  history %5.0fs  up to %s  sent %,d  scored %,d%n", (System.nanoTime() - startNs)
                            / 1e9, day(older.tsMs()), backfill.sentTotal(), backfill.stats().scored());
                    }
                }
            }
        }
        backfill.drain();
        seconds = (System.nanoTime() - startNs) / 1e9;
        firstLiveMs = live.isEmpty() ? lastMs : live.peek().tsMs();
    }

    /** The events kept for the live part, oldest first; null once all are taken. */
    GeneratedEvent nextLive() {
        return live.poll();
    }

    /** Events kept for the live part and not taken yet. */
    int liveLeft() {
        return live.size();
    }

    long firstLiveMs() {
        return firstLiveMs;
    }

    long lastMs() {
        return lastMs;
    }

    /** What went in: counts per kind, decisions, and how they compare with the ground truth. */
    /** A share to three decimals, or why there is none (a ratio of nothing). */
    static String share(final double value, final String whyNone) {
        return Double.isNaN(value) ? "none (" + whyNone + ")" : String.format(Locale.ROOT, "%.3f", value);
    }

    void summary() {
        final ScoreStats stats = backfill.stats();
        out.printf("%nHistory: %,d events straight into the engine in %.1f s (%,.0f a second): %,d payments, %,d "
            + "clickstream events, %,d catalog updates, %,d labels, up to %s.%n", backfill.sentTotal(), seconds,
            backfill.sentTotal() / Math.max(seconds, 1e-9), backfill.sent(Kind.TRANSACTION),
            backfill.sent(Kind.USER_EVENT), backfill.sent(Kind.PRODUCT_UPDATE), backfill.sent(Kind.LABEL),
            firstLiveMs == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(firstLiveMs).atZone(ZoneOffset.UTC)
                .toLocalDateTime().withNano(0).toString().replace('T', ' '));
        final long scored = Math.max(1, stats.scored());
        out.printf("  decisions: APPROVE %.1f%%, REVIEW %.1f%%, DECLINE %.1f%%; against the ground truth "
            + "(caught = REVIEW or DECLINE): precision %s, recall %s%n", 100.0 * stats.count(Outcome.APPROVE)
            / scored, 100.0 * stats.count(Outcome.REVIEW) / scored, 100.0 * stats.count(Outcome.DECLINE) / scored,
            share(stats.precision(), "nothing caught"), share(stats.recall(), "no fraud in it"));
        for (final Map.Entry<String, Long> failure : backfill.failures().entrySet()) {
            out.printf("  %,10d  %s%n", failure.getValue(), failure.getKey());
        }
    }

    /** Inputs the engine refused or that were invalid. */
    long failed() {
        return backfill.failures().values().stream().mapToLong(Long::longValue).sum();
    }

    static String day(final long ms) {
        return Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
