package io.ecap.bench;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.model.binary.DecisionFlyweight;
import java.nio.file.Files;
import java.nio.file.Path;
import io.ecap.ops.report.LatencyReport;
import java.util.Comparator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Open-loop latency of the in-process engine: one producer thread offers pre-encoded transactions at a fixed rate into
 * the ring (the writer runs on its own thread) and receives the decisions. Latency is measured from the moment each
 * transaction was due to be sent, not from when it was sent, so a stall delays every later send and is counted in
 * full (no coordinated omission). With {@code --rate 0} it runs flat out with a bounded number in flight and reports
 * the throughput.
 *
 * <pre>
 * benchmarks/run rig [--rate 100000] [--seconds 30] [--population 200000] [--idle busy-spin] [--out reports/engine]
 *                    [--shadow none|rules|model|trees]
 * </pre>
 */
public final class EngineLatencyRig {
    private EngineLatencyRig() {
    }

    public static void main(final String[] args) throws Exception {
        long rate = 100_000;
        int seconds = 30;
        int population = 200_000;
        String idle = "busy-spin";
        Path out = Path.of("reports", "engine");
        String stateSetting = io.ecap.hotpath.engine.StatePlacement.AUTO;
        io.ecap.hotpath.engine.JournalSync sync = io.ecap.hotpath.engine.JournalSync.NONE;
        String shadow = "none";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--population" -> population = Integer.parseInt(args[++i]);
                case "--idle" -> idle = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--state-dir" -> stateSetting = args[++i];
                case "--journal-sync" -> sync = io.ecap.hotpath.engine.JournalSync.parse(args[++i]);
                case "--shadow" -> shadow = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (--rate N, --seconds S, --population N, --idle NAME, --out DIR, --state-dir auto|data|DIR,"
                    + " --journal-sync none|entry|MS, --shadow none|rules|model|trees)");
            }
        }
        final EncodedWorkload workload = EncodedWorkload.generate(population, 7);
        final Path data = Files.createTempDirectory("ecap-rig");
        // the state where ecap run's goes (auto: in memory when there is room), or a folder of its own under DIR
        final boolean named = !io.ecap.hotpath.engine.StatePlacement.AUTO.equals(stateSetting)
            && !io.ecap.hotpath.engine.StatePlacement.DATA.equals(stateSetting);
        final Path stateDir = named ? Path.of(stateSetting).resolve(data.getFileName().toString())
            : io.ecap.hotpath.engine.StatePlacement.resolve(stateSetting, data);
        final EngineConfig config = EngineConfig.defaults(data).withEntries(Math.max(population, 100_000),
            Math.max(4L * population, 1_000_000)).withIdleStrategy(idle).withStateDir(stateDir)
            .withJournalSync(sync);
        System.out.println("state: " + (stateDir == null ? data.resolve("maps") : stateDir));
        try (EngineRunner engine = EngineRunner.start(config, Throwable::printStackTrace)) {
            loadShadow(engine, shadow);
            final Rig rig = new Rig(engine.newClient(), workload);
            System.out.printf("warm-up: scoring the population of %,d once%n", population);
            rig.run(0, population, false);
            final long count = rate == 0 ? (long) seconds * 200_000 : rate * seconds;
            System.out.printf("measuring %,d transactions at %s%n", count, rate == 0 ? "full speed" : rate + "/s");
            final double elapsed = rig.run(rate, count, true);
            final String name = rate == 0 ? "engine-max-rate" : "engine-" + rate + "-per-s";
            System.out.printf("throughput %,.0f transactions/s%n", count / elapsed);
            System.out.println("end to end (due time to decision received): " + LatencyReport.summary(rig.endToEnd));
            System.out.println("engine time (writer only):                  " + LatencyReport.summary(rig.engine));
            LatencyReport.write(out, name + "-end-to-end", "ECAP engine, end to end, " + (rate == 0 ? "max rate"
                : rate + " per second") + ", coordinated-omission corrected", rig.endToEnd);
            LatencyReport.write(out, name + "-engine", "ECAP engine time per transaction, "
                + (rate == 0 ? "max rate" : rate + " per second"), rig.engine);
            System.out.println("reports: " + out.toAbsolutePath());
        } finally {
            for (final Path dir : stateDir == null ? new Path[] {data} : new Path[] {data, stateDir}) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Puts a challenger in the shadow, as {@code ScorePathBenchmark}'s {@code shadow} parameter does. */
    private static void loadShadow(final EngineRunner engine, final String shadow) throws Exception {
        final SyntheticModels.Challenger challenger = SyntheticModels.challenger(shadow);
        if (challenger != null) {
            engine.loadConfig(challenger.entryType(), challenger.text(), "rig", 0).get();
            System.out.println("challenger in the shadow: " + shadow);
        }
    }

    /** The producer loop and its histograms. */
    private static final class Rig {
        private static final int WINDOW = 1 << 16;
        private final EngineClient client;
        private final EncodedWorkload workload;
        private final long[] dueNs = new long[WINDOW];
        private final DecisionFlyweight decision = new DecisionFlyweight();
        final Histogram endToEnd = new Histogram(60_000_000_000L, 3);
        final Histogram engine = new Histogram(60_000_000_000L, 3);
        private boolean recording;
        private long received;

        Rig(final EngineClient client, final EncodedWorkload workload) {
            this.client = client;
            this.workload = workload;
        }

        /** Sends {@code count} transactions at {@code rate} per second (0: as fast as possible). Returns seconds. */
        double run(final long rate, final long count, final boolean record) {
            recording = record;
            received = 0;
            final long intervalNs = rate == 0 ? 0 : 1_000_000_000L / rate;
            final long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                final long due = start + i * intervalNs;
                long now;
                while (rate != 0 && (now = System.nanoTime()) < due) {
                    if (poll() == 0 && due - now > 20_000) {
                        Thread.yield(); // on 2 cores, leave the CPU to the writer while there is time
                    }
                }
                final int m = workload.next();
                long correlation;
                while ((correlation = client.offer(Commands.SCORE, workload.data, workload.offsets[m],
                    workload.lengths[m])) < 0) {
                    if (rate == 0) {
                        client.awaitRoom(handler); // flat out: sleep as ecap score does, leave the cores to the engine
                    } else {
                        poll();
                    }
                }
                dueNs[(int) (correlation & (WINDOW - 1))] = rate == 0 ? System.nanoTime() : due;
            }
            while (received < count) {
                if (poll() == 0 && rate == 0) {
                    LockSupport.parkNanos(100_000);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }


        private int poll() {
            return client.poll(handler, 256);
        }

        /** Created once: a lambda made in poll() would allocate on every call of the busy loop. */
        private final EngineClient.ResponseHandler handler = this::onResponse;

        private void onResponse(final int type, final long correlationId, final long journalIndex,
            final org.agrona.DirectBuffer buffer, final int body, final int length) {
            final long now = System.nanoTime();
            received++;
            if (recording) {
                endToEnd.recordValue(Math.max(0, now - dueNs[(int) (correlationId & (WINDOW - 1))]));
                decision.wrapForDecode(buffer, body, length);
                engine.recordValue(Math.max(0, decision.engineNanos()));
            }
        }
    }
}
