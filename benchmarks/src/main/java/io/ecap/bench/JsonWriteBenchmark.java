package io.ecap.bench;

import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.JsonWriter;
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
 * The writing side: one payment, held as the engine's binary message, written as JSON (what the Kafka publisher, the
 * alert feed and the transaction lookups do for every transaction they show).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonWriteBenchmark {
    private static final int MESSAGES = 4096;

    private final TransactionJson json = new TransactionJson();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final JsonWriter writer = new JsonWriter();
    private final ExpandableArrayBuffer messages = new ExpandableArrayBuffer(MESSAGES * 256);
    private final int[] offsets = new int[MESSAGES];
    private final int[] lengths = new int[MESSAGES];
    private int next;

    @Setup
    public void setUp() {
        final WorkloadGenerator generator = new WorkloadGenerator(WorkloadGenerator.Settings.defaults(7));
        int at = 0;
        for (int i = 0; i < MESSAGES; i++) {
            final byte[] line = generator.next().json().getBytes(StandardCharsets.UTF_8);
            offsets[i] = at;
            lengths[i] = json.parse(new UnsafeBuffer(line), 0, line.length, messages, at);
            at += lengths[i];
        }
    }

    /** One transaction written as JSON; returns the JSON's length. */
    @Benchmark
    public int write() {
        final int i = next++ & (MESSAGES - 1);
        txn.wrapForDecode(messages, offsets[i], lengths[i]);
        json.write(txn, writer.reset());
        return writer.length();
    }
}
