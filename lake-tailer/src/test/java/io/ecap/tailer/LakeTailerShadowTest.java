package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.engine.EntrySink;
import io.ecap.hotpath.engine.Recovery;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * The challenger's decision is journaled after its transaction's answer, as the next entry; the tailer puts it on the
 * transaction's row, and waits in front of a transaction whose challenger's decision is not journaled yet (the
 * process stopped between the two) until the engine, started again, journals it.
 */
class LakeTailerShadowTest {
    /** Declines everything over 100 dollars. */
    private static final String STRICT = "ruleset strict version 1\nthresholds review 100 decline 200\n"
        + "rule BIG weight 300\n    when txn.amount_usd > 100\n";

    @TempDir
    Path dir;

    private final TransactionJson json = new TransactionJson();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);

    @Test
    void putsTheChallengersDecisionOnItsTransactionsRowAndWaitsForOneStillToCome() throws Exception {
        final Path data = dir.resolve("data");
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data).withEntries(1000, 1000),
            Throwable::printStackTrace)) {
            engine.loadConfig(EntryType.SHADOW_RULE_SET, STRICT, "test", 1).get();
            final EngineClient client = engine.newClient();
            final EngineClient.ResponseHandler ignore = (type, id, index, body, at, length) -> { };
            for (int i = 0; i < 10; i++) {
                final int length = encode(i);
                while (client.offer(Commands.SCORE, message, 0, length) < 0) {
                    client.poll(ignore, 64);
                }
            }
            while (client.inFlight() > 0) {
                client.poll(ignore, 64);
            }
        }
        // one more transaction, answered, and the process stops before its challenger's decision
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(data.resolve("maps"), 1000, 1000)) {
            final Engine engine = new Engine(store, EntrySink.of(journal), lookup, DefaultRules.ruleSet(),
                new EngineCounters());
            Recovery.run(engine, journal.reader(), store.meta(), new EngineCounters());
            assertEquals(Engine.SCORED, engine.score(message, 0, encode(11)));
        }

        final long journaled;
        try (Journal journal = Journal.openReadOnly(data.resolve("journal").toFile())) {
            journaled = journal.entriesAfter(0);
        }
        assertEquals(journaled - 1, catchUp(data), "everything but the transaction waiting for its challenger");
        final Map<String, String> rows = decisionRows();
        assertEquals(10, rows.size(), "t-11 waits for its challenger's decision: " + rows);
        assertEquals("APPROVE DECLINE 300 strict@1", rows.get("t-1"), "over 100 dollars: the challenger declines");
        assertEquals("APPROVE APPROVE 0 strict@1", rows.get("t-0"));

        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data).withEntries(1000, 1000),
            Throwable::printStackTrace)) {
            assertEquals(1, engine.counters().get(EngineCounters.Counter.SHADOWS_COMPLETED), "journaled at start");
        }
        assertEquals(2, catchUp(data), "t-11 and its challenger's decision");
        final Map<String, String> after = decisionRows();
        assertEquals(11, after.size());
        assertEquals("APPROVE DECLINE 300 strict@1", after.get("t-11"));
    }

    /** t-i: 150 dollars when i is odd, 20 when even; new customers and cards, so the default rules approve. */
    private int encode(final int i) {
        final byte[] line = ("{\"txnId\":\"t-" + i + "\",\"ts\":" + (1_795_500_000_000L + i * 1000L)
            + ",\"customerId\":\"c-" + i + "\",\"cardId\":\"k-" + i + "\",\"merchantId\":\"m-1\","
            + "\"amount\":\"" + (i % 2 == 1 ? "150.00" : "20.00") + "\",\"currency\":\"USD\"}")
            .getBytes(StandardCharsets.UTF_8);
        return json.parse(new UnsafeBuffer(line), 0, line.length, message, 0);
    }

    private long catchUp(final Path data) throws Exception {
        final BronzeCommitter committer = new BronzeCommitter(DefaultEngine.create(new Configuration()));
        try (LakeTailer tailer = new LakeTailer(data.resolve("journal"), dir.resolve("lake").toString(),
            dir.resolve("state"), 1000, committer, (t, v) -> { })) {
            return tailer.catchUp();
        }
    }

    /** Every row of bronze/decisions by txn id: "decision shadow_decision shadow_score shadow_rule_set_version". */
    private Map<String, String> decisionRows() throws Exception {
        final Map<String, String> rows = new TreeMap<>();
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir.resolve("lake").resolve("bronze").resolve("decisions"))) {
            all.filter(f -> f.toString().endsWith(".parquet")).forEach(files::add);
        }
        for (final Path file : files) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(file.toString())).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    final String before = rows.put(g.getString("txn_id", 0), g.getString("decision", 0) + " "
                        + text(g, "shadow_decision") + " " + (g.getFieldRepetitionCount("shadow_score") == 0 ? "null"
                        : g.getInteger("shadow_score", 0)) + " " + text(g, "shadow_rule_set_version"));
                    assertTrue(before == null, "a transaction loaded twice: " + g.getString("txn_id", 0));
                }
            }
        }
        return rows;
    }

    private static String text(final Group g, final String column) {
        return g.getFieldRepetitionCount(column) == 0 ? "null" : g.getString(column, 0);
    }
}
