package io.ecap.bench;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityTable;
import io.ecap.model.field.IdHash;
import io.ecap.hotpath.state.UndoLog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import org.agrona.UnsafeApi;
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

/**
 * Side by side, the two ways the engine has kept an entity's state: finding an existing entity by id and reading
 * its state, in the engine's entity table and in a persisted Chronicle Map (write-locked, as the engine used it),
 * both holding {@code population} entities of the engine's record size, looked up in a random order. The figure
 * behind replacing Chronicle Map ({@code docs/ARCHITECTURE.md}); run with
 * {@code benchmarks/run jmh StateStoreBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StateStoreBenchmark {
    @Param({"200000"})
    int population;

    private Path dir;
    private EntityTable table;
    private UndoLog undo;
    private ChronicleMap<CharSequence, byte[]> map;
    private UnsafeBuffer[] ids;
    private String[] names;
    private int next;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("ecap-state-bench");
        undo = UndoLog.open(dir.toFile());
        table = EntityTable.open(EntityKind.CARD, dir.toFile(), population, 8);
        map = ChronicleMap.of(CharSequence.class, byte[].class).name("bench").entries(population)
            .averageKeySize(12).constantValueSizeBySample(new byte[EntityLayout.LENGTH])
            .createPersistedTo(new File(dir.toFile(), "bench.cm3"));
        ids = new UnsafeBuffer[population];
        names = new String[population];
        final byte[] state = new byte[EntityLayout.LENGTH];
        for (int i = 0; i < population; i++) {
            names[i] = "k-" + (i * 7919L % 1_000_003);
            ids[i] = new UnsafeBuffer(names[i].getBytes(StandardCharsets.US_ASCII));
            final long hash = IdHash.hash(ids[i], 0, ids[i].capacity());
            table.insert(ids[i], 0, ids[i].capacity(), hash, undo);
            undo.clear();
            table.maintain();
            map.put(names[i], state);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        table.close();
        undo.close();
        map.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int nextEntity() {
        next = (int) ((next + 104_729L) % population);
        return next;
    }

    @Benchmark
    public long entityTable() {
        final UnsafeBuffer id = ids[nextEntity()];
        final long record = table.find(id, 0, id.capacity(), IdHash.hash(id, 0, id.capacity()));
        return UnsafeApi.getLong(null, table.stateAddress(record));
    }

    @Benchmark
    @SuppressWarnings({"rawtypes", "unchecked"})
    public long chronicleMap() {
        try (ExternalMapQueryContext<CharSequence, byte[], ?> c = map.queryContext(names[nextEntity()])) {
            c.writeLock().lock();
            final MapEntry<CharSequence, byte[]> entry = c.entry();
            final Data<byte[]> value = entry.value();
            return UnsafeApi.getLong(null, ((BytesStore) value.bytes()).addressForRead(value.offset()));
        }
    }
}
