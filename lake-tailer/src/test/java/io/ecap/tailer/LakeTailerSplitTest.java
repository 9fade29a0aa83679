package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch large enough to be written by several threads at once, across a month's end: every transaction lands once,
 * in its month's partition, with a feature vector as wide as the catalogue.
 */
class LakeTailerSplitTest {
    /** 2026-11-30T22:00:00Z: the payments, 300 ms apart, run into December. */
    private static final long T0 = 1_796_076_000_000L;
    private static final int COUNT = BronzeCommitter.SPLIT_ROWS + 5_000;

    @TempDir
    Path dir;

    @Test
    void aLargeBatchIsWrittenInPartsAtOnceEachRowOnceInItsMonth() throws Exception {
        final Path data = dir.resolve("data");
        final TransactionJson json = new TransactionJson();
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data).withEntries(1_000, 50_000),
            Throwable::printStackTrace)) {
            final EngineClient client = engine.newClient();
            final EngineClient.ResponseHandler ignore = (type, id, index, body, at, length) -> { };
            for (int i = 0; i < COUNT; i++) {
                final byte[] line = ("{\"txnId\":\"t-" + i + "\",\"ts\":" + (T0 + i * 300L) + ",\"customerId\":\"c-"
                    + i % 500 + "\",\"cardId\":\"k-" + i % 700 + "\",\"merchantId\":\"m-1\",\"amount\":\""
                    + (1 + i % 90) + ".00\",\"currency\":\"USD\"}").getBytes(StandardCharsets.UTF_8);
                final int length = json.parse(new UnsafeBuffer(line), 0, line.length, message, 0);
                while (client.offer(Commands.SCORE, message, 0, length) < 0) {
                    client.poll(ignore, 64);
                }
            }
            while (client.inFlight() > 0) {
                client.poll(ignore, 64);
            }
        }
        final BronzeCommitter committer = new BronzeCommitter(DefaultEngine.create(new Configuration()), t -> { },
            new ParquetWriters(3));
        try (LakeTailer tailer = new LakeTailer(data.resolve("journal"), dir.resolve("lake").toString(),
            dir.resolve("state"), 100_000, committer, (t, v) -> { })) {
            tailer.catchUp();
        }
        final Path table = dir.resolve("lake").resolve("bronze").resolve("decisions");
        final Map<String, String> monthOf = new HashMap<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(table)) {
            for (final Path file : all.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                files++;
                final String month = file.getParent().getFileName().toString();
                try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(file.toString())).build()) {
                    for (Group g = reader.read(); g != null; g = reader.read()) {
                        final String id = g.getString("txn_id", 0);
                        assertEquals(null, monthOf.put(id, month), id + " written twice");
                        assertEquals(FeatureCatalog.names().size(), g.getGroup("features", 0)
                            .getFieldRepetitionCount(0), "one element per feature");
                    }
                }
            }
        }
        assertEquals(COUNT, monthOf.size(), "every transaction once");
        // three parts of a third of the rows each: November's rows in all three, December's in the last only (no
        // empty file for the parts without any)
        assertEquals(4, files, "files");
        assertEquals("event_month=2026-11-01", monthOf.get("t-0"));
        assertEquals("event_month=2026-12-01", monthOf.get("t-" + (COUNT - 1)));
        final long november = monthOf.values().stream().filter(m -> m.endsWith("11-01")).count();
        assertEquals(2 * 3600 * 1000 / 300, november, "two hours of November, 300 ms apart");
        assertTrue(List.of("event_month=2026-11-01", "event_month=2026-12-01").containsAll(monthOf.values()));
    }
}
