package io.ecap.bench;

import io.ecap.hotpath.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
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

/** Appending one entry to the journal (a scored entry is about 1 KB: transaction, decision, 98 features). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalBenchmark {
    @Param({"1024"})
    int entryBytes;

    private Path dir;
    private Journal journal;
    private UnsafeBuffer entry;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("ecap-journal-bench");
        journal = Journal.open(dir.toFile());
        entry = new UnsafeBuffer(BufferUtil.allocateDirectAligned(entryBytes, 64));
        for (int i = 0; i < entryBytes; i += 8) {
            entry.putLong(i, i * 31L);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long append() {
        return journal.append(entry, 0, entryBytes);
    }
}
