package io.ecap.bench;

import io.ecap.model.json.TransactionJson;
import io.ecap.ops.generate.WorkloadGenerator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reading side of {@code ecap score} and of the gateway: one generated payment line parsed from JSON, validated
 * and encoded as the engine's binary message (what the reading thread does for every line before the hand-off).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonParseBenchmark {
    private static final int LINES = 4096;

    private final TransactionJson json = new TransactionJson();
    private final ExpandableArrayBuffer target = new ExpandableArrayBuffer(1024);
    private UnsafeBuffer text;
    private final int[] offsets = new int[LINES];
    private final int[] lengths = new int[LINES];
    private int next;

    @Setup
    public void setUp() {
        final WorkloadGenerator generator = new WorkloadGenerator(WorkloadGenerator.Settings.defaults(7));
        final StringBuilder all = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            final byte[] line = generator.next().json().getBytes(StandardCharsets.UTF_8);
            offsets[i] = all.length();
            lengths[i] = line.length;
            all.append(new String(line, StandardCharsets.UTF_8));
        }
        text = new UnsafeBuffer(all.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One line parsed and encoded; returns the encoded length. */
    @Benchmark
    public int parse() {
        final int i = next++ & (LINES - 1);
        return json.parse(text, offsets[i], lengths[i], target, 0);
    }
}
