package io.ecap.gateway;

import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityTable;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ECAP's own metrics, next to Vert.x's HTTP metrics in the same Prometheus registry: decisions per outcome and every
 * engine counter, the engine's time per transaction and the gateway's time per request as histograms, how full the
 * command ring is, and the journal position; and the JVM's (memory, GC pauses, threads, classes, CPU, uptime).
 */
public final class GatewayMetrics {
    static final String DECISIONS_HELP = "decisions made, by outcome (APPROVE, REVIEW, DECLINE)";
    static final String SHADOW_DECISIONS_HELP = "outcomes of the challenger scored in the shadow, by outcome (they "
        + "never decide)";

    /** Upper bounds of the engine time histogram: 1 µs to 100 ms. */
    static final long[] ENGINE_BUCKETS_NS = {1_000, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 50_000,
        100_000, 200_000, 500_000, 1_000_000, 5_000_000, 20_000_000, 100_000_000};
    /** Upper bounds of the request time histogram: 50 µs to 10 s. */
    static final long[] REQUEST_BUCKETS_NS = {50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000,
        10_000_000, 20_000_000, 50_000_000, 100_000_000, 200_000_000, 500_000_000, 1_000_000_000, 10_000_000_000L};

    private final MeterRegistry registry;
    private final Timer engineTime;
    private final Timer requestTime;
    private final io.micrometer.core.instrument.Counter streamPauses;

    public GatewayMetrics(final MeterRegistry registry) {
        this.registry = registry;
        // explicit buckets in the range each time lives in: the engine takes microseconds (Micrometer's default
        // histogram starts at 1 ms, where every engine time would fall into the first bucket)
        // and percentiles over a sliding window (Micrometer's default: the last two minutes) for the console's live
        // panel and for readers of /metrics who want this instance's recent latency without a histogram query
        this.engineTime = Timer.builder("ecap.engine.time").description("engine time per transaction")
            .serviceLevelObjectives(buckets(ENGINE_BUCKETS_NS)).publishPercentiles(PERCENTILES).register(registry);
        this.requestTime = Timer.builder("ecap.score.time")
            .description("from a scoring request received to its decision sent")
            .serviceLevelObjectives(buckets(REQUEST_BUCKETS_NS)).publishPercentiles(PERCENTILES).register(registry);
        // Prometheus has a family either a histogram or a summary: the window's percentiles get families of their own
        windowGauges(registry, "ecap.engine.time.window", engineTime, "engine time per transaction");
        windowGauges(registry, "ecap.score.time.window", requestTime, "from a scoring request to its decision");
        this.streamPauses = io.micrometer.core.instrument.Counter.builder("ecap.stream.pauses")
            .description("times a WebSocket stream stopped reading (back-pressure)").register(registry);
        bindJvm(registry);
    }

    /**
     * The JVM's meters, once per registry (the default registry lives as long as the process; the GC meters listen
     * to the JVM's GC notifications from then on, which is why they are not bound again by every gateway).
     */
    private static synchronized void bindJvm(final MeterRegistry registry) {
        if (registry.find("jvm.memory.used").gauge() != null) {
            return;
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Registers the engine's counters once it is running. */
    void bind(final EngineRunner engine) {
        final EngineCounters counters = engine.counters();
        for (final EngineCounters.Counter c : EngineCounters.Counter.ALL) {
            if (c == EngineCounters.Counter.JOURNAL_INDEX) {
                continue;
            }
            final String name = switch (c) {
                case APPROVED, REVIEWED, DECLINED -> "ecap.decisions";
                case SHADOW_APPROVED, SHADOW_REVIEWED, SHADOW_DECLINED -> "ecap.shadow.decisions";
                default -> "ecap.engine." + c.name().toLowerCase(Locale.ROOT);
            };
            final FunctionCounter.Builder<EngineCounters> builder = FunctionCounter.builder(name, counters,
                x -> x.get(c)).description(c.description());
            if (name.equals("ecap.decisions") || name.equals("ecap.shadow.decisions")) {
                // one metric with an outcome tag: Prometheus prints one HELP line for all three, so it must not
                // be the description of whichever outcome registered first
                final String outcome = c.name().substring(c.name().indexOf('_') + 1);
                builder.description(name.equals("ecap.decisions") ? DECISIONS_HELP : SHADOW_DECISIONS_HELP)
                    .tag("outcome", outcome.equals("APPROVED") ? "APPROVE" : outcome.equals("REVIEWED") ? "REVIEW"
                        : "DECLINE");
            }
            builder.register(registry);
        }
        Gauge.builder("ecap.journal.index", counters, x -> x.get(EngineCounters.Counter.JOURNAL_INDEX))
            .description("index of the last journal entry written").register(registry);
        Gauge.builder("ecap.journal.synced.index", engine, EngineRunner::journalSyncedIndex)
            .description("index of the last journal entry known to be on the disk (engine.journal-sync; 0: left to "
                + "the operating system)").register(registry);
        Gauge.builder("ecap.ring.occupancy", engine, EngineRunner::commandRingOccupancy)
            .description("how full the engine's command ring is, 0 to 1").register(registry);
        for (final EntityKind kind : EntityKind.ALL) {
            final EntityTable table = engine.store().entities(kind);
            Gauge.builder("ecap.state.entities", table, EntityTable::live).tag("kind", kind.prefix())
                .description("entities kept, per kind").register(registry);
            Gauge.builder("ecap.state.fill", table, EntityTable::fill).tag("kind", kind.prefix())
                .description("how far the kind's index is filled towards its next doubling, 0 to 1 (it grows by "
                    + "itself)").register(registry);
            Gauge.builder("ecap.state.index.slots", table, EntityTable::indexSlots).tag("kind", kind.prefix())
                .description("slots of the kind's index").register(registry);
            Gauge.builder("ecap.state.file.bytes", table, EntityTable::fileBytes).tag("kind", kind.prefix())
                .description("size of the kind's state files").register(registry);
            FunctionCounter.builder("ecap.state.evicted", table, EntityTable::evicted).tag("kind", kind.prefix())
                .description("entities removed by retention (unseen for longer than the kind's retention)")
                .register(registry);
        }
        Gauge.builder("ecap.state.disk.used", engine, e -> StateWatch.diskUsed(e.config().dataDir()))
            .description("share of the data folder's disk in use, 0 to 1 (a warning is logged at "
                + StateWatch.WARN_AT + ")").register(registry);
        Gauge.builder("ecap.state.snapshot.age.seconds", engine, EngineRunner::snapshotAgeSeconds)
            .description("seconds since the newest copy of the state in the data folder was made (a state in memory: "
                + "engine.snapshot-minutes); 0 when it holds everything applied, NaN when there is none")
            .register(registry);
    }

    /** The percentiles kept over the sliding window: p50, p99, p99.9. */
    private static final double[] PERCENTILES = {0.5, 0.99, 0.999};

    /**
     * This gateway's latency over the last two minutes (Micrometer's sliding window):
     * {@code {"windowSeconds":120,"answer":{"p50Ms":..,"p99Ms":..,"p999Ms":..},"engine":{"p50Us":..,...}}}, each
     * percentile 0 when nothing was scored in the window.
     */
    public JsonObject latency() {
        return new JsonObject().put("windowSeconds", 120)
            .put("answer", percentiles(requestTime, TimeUnit.MILLISECONDS, "Ms"))
            .put("engine", percentiles(engineTime, TimeUnit.MICROSECONDS, "Us"));
    }

    private static JsonObject percentiles(final Timer timer, final TimeUnit unit,
        final String suffix) {
        final JsonObject out = new JsonObject();
        for (final ValueAtPercentile v
            : timer.takeSnapshot().percentileValues()) {
            final String name = v.percentile() == 0.5 ? "p50" : v.percentile() == 0.99 ? "p99" : "p999";
            out.put(name + suffix, Math.round(v.value(unit) * 1000) / 1000.0);
        }
        return out;
    }

    /** {@code name_seconds{quantile}}: the timer's p50, p99 and p99.9 over its sliding window (0 when empty). */
    private static void windowGauges(final MeterRegistry registry, final String name, final Timer timer,
        final String what) {
        for (final double q : PERCENTILES) {
            io.micrometer.core.instrument.Gauge.builder(name, timer, t -> valueAt(t, q))
                .description(what + ", over the last two minutes").baseUnit("seconds")
                .tag("quantile", Double.toString(q)).register(registry);
        }
    }

    private static double valueAt(final Timer timer, final double percentile) {
        for (final ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            if (v.percentile() == percentile) {
                return v.value(TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    public void engineTime(final long nanos) {
        engineTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void requestTime(final long nanos) {
        requestTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void streamPaused() {
        streamPauses.increment();
    }

    public double streamPauses() {
        return streamPauses.count();
    }

    public MeterRegistry registry() {
        return registry;
    }

    private static java.time.Duration[] buckets(final long[] nanos) {
        final java.time.Duration[] bounds = new java.time.Duration[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            bounds[i] = java.time.Duration.ofNanos(nanos[i]);
        }
        return bounds;
    }
}
