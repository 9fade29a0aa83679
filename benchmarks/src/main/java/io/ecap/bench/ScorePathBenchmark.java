package io.ecap.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole scoring path of one transaction on the writer thread: decode, idempotency lookup, five entity updates,
 * features, rules, decision, journal append, publication. Entities are created during warm-up, so the measurement is
 * the steady state of a known population ({@code population} generated payments, replayed as new transactions).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ScorePathBenchmark {
    @Param({"20000", "200000"})
    int population;

    /**
     * The challenger scored in the shadow beside every decision: {@code none}; {@code rules}, the bundled rule set
     * under another version with lower thresholds; {@code model}, a logistic model over 30 features;
     * {@code trees}, 200 gradient-boosted trees of depth 6 (run with {@code -p shadow=none,rules,model,trees}). The
     * writer scores it after the answer, so this measures the writer's cost; the answer's latency with a challenger
     * is the rig's ({@code benchmarks/run rig --shadow trees}).
     */
    @Param({"none"})
    String shadow;

    private EncodedWorkload workload;
    private EngineFixture fixture;

    @Setup
    public void setUp() throws Exception {
        workload = EncodedWorkload.generate(population, 7);
        fixture = new EngineFixture(Math.max(population, 50_000));
        final SyntheticModels.Challenger challenger = SyntheticModels.challenger(shadow);
        if (challenger != null) {
            fixture.engine.loadShadow(challenger.entryType(), challenger.text(), "benchmark", 0);
        }
        for (int i = 0; i < population; i++) {
            final int m = workload.next();
            fixture.engine.score(workload.data, workload.offsets[m], workload.lengths[m]);
            fixture.engine.scorePendingShadow();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        fixture.close();
    }

    /** A transaction, then the challenger's decision (the writer's whole work; the answer does not wait for it). */
    @Benchmark
    public int score() {
        final int m = workload.next();
        final int status = fixture.engine.score(workload.data, workload.offsets[m], workload.lengths[m]);
        fixture.engine.scorePendingShadow();
        return status;
    }
}
