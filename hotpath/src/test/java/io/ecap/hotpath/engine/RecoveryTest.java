package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ScoredIdCheck;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.TransactionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    private static final long T0 = 1_795_500_000_000L;

    @TempDir
    Path dir;

    private static void scoreSome(final Harness h, final int from, final int count) {
        final SplittableRandom r = new SplittableRandom(from);
        for (int i = from; i < from + count; i++) {
            h.score(txn("t-" + i, T0 + i * 30_000L, "c-" + r.nextInt(20), "k-" + r.nextInt(30),
                (1 + r.nextInt(500)) + ".00", "\"deviceId\":\"d-" + r.nextInt(10) + "\",\"lat\":" + r.nextInt(60)
                    + ",\"lon\":" + r.nextInt(60)));
            if (i % 7 == 0) {
                h.label("t-" + (i - 3), "FRAUD");
            }
        }
    }

    private static void delete(final Path path) throws Exception {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldRebuildTheMapsFromTheJournalAlone() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            scoreSome(h, 0, 300);
        }
        final Path original = dir.resolve("original");
        Files.move(data.resolve("maps"), original);
        try (Harness h = Harness.start(data)) {
            assertTrue(h.engine.recoveredEntries() > 300, "every entry applied again");
        }
        try (FeatureStore a = FeatureStore.open(original, 10_000, 50_000);
             FeatureStore b = FeatureStore.open(data.resolve("maps"), 10_000, 50_000)) {
            assertEquals(List.of(), StateDiff.compare(a, b));
        }
    }

    @Test
    void rebuildsAStateThatWasRunningWhenTheMachineStoppedButRecoversAProcessCrashInPlace() throws Exception {
        final Path data = dir.resolve("data");
        final String bootA = "7b1e6a52-1f53-4f0a-9d8e-6a7c2b1d0e01";
        try {
            System.setProperty("ecap.test.bootId", bootA);
            try (Harness h = Harness.start(data)) {
                scoreSome(h, 0, 200);
            }
            // an engine running on the state (boot A) stops without closing it, and pages of the records file never
            // reached the disk: part of it reads as zeros
            crashTorn(data.resolve("maps"));
            System.setProperty("ecap.test.bootId", "0c5f2d9e-8a41-4b7e-b3a6-2f9d1c7e4a10");
            try (Harness h = Harness.start(data)) {
                final String report = h.engine.startupReport();
                assertTrue(report.startsWith("state: rebuilt from the journal (the machine stopped"), report);
                assertTrue(h.engine.recoveredEntries() > 200, report);
                scoreSome(h, 300, 20);
            }
            assertReplayReproducesTheState(data); // the torn state was not kept
            // the same stop within one boot (a process kill: the kernel keeps every page) is recovered in place
            try (FeatureStore store = FeatureStore.openQuiet(data.resolve("maps"), 10_000, 50_000)) {
                store.meta().markRunning();
            }
            try (Harness h = Harness.start(data)) {
                final String report = h.engine.startupReport();
                assertTrue(report.startsWith("state: recovered after an unclean stop"), report);
            }
        } finally {
            System.clearProperty("ecap.test.bootId");
            delete(dir.resolve("replay"));
        }
    }

    /**
     * A clean stop that leaves the state to the system (as ecap score does) is trusted in the same boot; after a reboot
     * the state is rebuilt from the journal, here from state files that lost pages, and ends as a replay's does.
     */
    @Test
    void trustsAStateLeftToTheSystemInTheSameBootOnlyAndRebuildsItAfterAReboot() throws Exception {
        final Path data = dir.resolve("data");
        final EngineConfig config = EngineConfig.defaults(data).withEntries(10_000, 50_000).withStateSyncAtStop(false);
        try {
            System.setProperty("ecap.test.bootId", "3c9a7e21-5b4d-4f0e-8a6b-1d2e3f4a5b60");
            try (Harness h = new Harness(config)) {
                scoreSome(h, 0, 200);
            }
            try (Harness h = new Harness(config)) {
                final String report = h.engine.startupReport();
                assertTrue(report.startsWith("state: clean restart"), report);
                scoreSome(h, 200, 50);
            }
            // the machine restarted before the system wrote the state's pages: part of the card records is zeros
            try (java.nio.channels.FileChannel records = java.nio.channels.FileChannel.open(
                data.resolve("maps").resolve("card.records"), java.nio.file.StandardOpenOption.WRITE)) {
                records.write(java.nio.ByteBuffer.allocate(64 * 1024), 0);
            }
            System.setProperty("ecap.test.bootId", "9e8d7c6b-5a49-4382-9170-fedcba987654");
            try (Harness h = Harness.start(data)) {
                final String report = h.engine.startupReport();
                assertTrue(report.startsWith(
                    "state: rebuilt from the journal (the machine restarted after a clean stop"), report);
                assertTrue(h.engine.recoveredEntries() > 250, report);
            }
            assertReplayReproducesTheState(data);
        } finally {
            System.clearProperty("ecap.test.bootId");
            delete(dir.resolve("replay"));
        }
    }

    /**
     * A power loss tore the journal's last entry (its Chronicle header reached the disk, one of its pages did not):
     * the rebuild skips it, says so, and a replay skips the same entry, so both give the same state; the transaction
     * it held was lost and is scored anew when it comes again.
     */
    @Test
    void skipsAJournalEntryTornByAPowerLossInTheRebuildAndTheReplayAlike() throws Exception {
        final Path data = dir.resolve("data");
        try {
            System.setProperty("ecap.test.bootId", "5d0c1e7a-2b1f-4c55-8e0e-9f3b7a6c4d21");
            try (Harness h = Harness.start(data)) {
                scoreSome(h, 0, 200);
            }
            try (FeatureStore store = FeatureStore.openQuiet(data.resolve("maps"), 10_000, 50_000)) {
                store.meta().markRunning();
            }
            io.ecap.hotpath.journal.JournalChecksumTest.damage(
                Files.list(data.resolve("journal")).filter(p -> p.toString().endsWith(".cq4")).findFirst().get(),
                "\u0005t-199");
            System.setProperty("ecap.test.bootId", "a3f6b2c8-9d14-4e7b-8c2a-1b5e6d7f9a30");
            try (Harness h = Harness.start(data)) {
                final String report = h.engine.startupReport();
                assertTrue(report.startsWith("state: rebuilt from the journal (the machine stopped")
                    && report.contains("1 damaged journal entries skipped"), report);
                assertEquals(1, h.engine.counters().get(EngineCounters.Counter.DAMAGED_ENTRIES));
                assertEquals(Commands.RESPONSE_DECISION, h.score(txn("t-199", T0 + 199 * 30_000L, "c-1", "k-1",
                    "5.00", "")).type(), "the torn entry's transaction was lost: it is scored anew");
            }
            assertReplayReproducesTheState(data);
        } finally {
            System.clearProperty("ecap.test.bootId");
            delete(dir.resolve("replay"));
        }
    }

    /** A replay of the journal into a new folder reproduces every entry, and the engine's state. */
    private void assertReplayReproducesTheState(final Path data) throws Exception {
        assertReplayReproducesTheState(data, dir.resolve("replay"));
    }

    /** A replay of the journal of {@code data} into {@code into} reproduces every entry, and the engine's state. */
    /** An engine, recovered, whose every journal write is followed by a failure (the process dying right after). */
    static Engine failingAfterTheJournalWrite(final Journal journal, final JournalReader lookup,
        final FeatureStore store) {
        final Engine engine = new Engine(store, (entry, offset, length) -> {
            journal.append(entry, offset, length);
            throw new IllegalStateException("simulated failure after the journal write");
        }, lookup, DefaultRules.ruleSet(), new EngineCounters());
        Recovery.run(engine, journal.reader(), store.meta(), new EngineCounters());
        return engine;
    }

    static void assertReplayReproducesTheState(final Path data, final Path into) throws Exception {
        final Replay.Result replay = Replay.run(data.resolve("journal"), into, 10_000, 50_000, n -> { });
        assertTrue(replay.identical(), replay.examples().toString());
        try (FeatureStore a = FeatureStore.open(data.resolve("maps"), 10_000, 50_000);
             FeatureStore b = FeatureStore.open(into, 10_000, 50_000)) {
            assertEquals(List.of(), StateDiff.compare(a, b));
        }
    }

    /** Marks the state as being written (as a running engine does) and zeroes 64 KiB of card records. */
    private static void crashTorn(final Path maps) throws Exception {
        try (FeatureStore store = FeatureStore.openQuiet(maps, 10_000, 50_000)) {
            store.meta().markRunning();
        }
        try (java.nio.channels.FileChannel records = java.nio.channels.FileChannel.open(maps.resolve("card.records"),
            java.nio.file.StandardOpenOption.WRITE)) {
            records.write(java.nio.ByteBuffer.allocate(64 * 1024), 4096);
        }
    }

    @Test
    void shouldApplyAnEntryThatWasJournaledButNotAppliedBeforeTheEngineStopped() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            scoreSome(h, 0, 50);
        }
        // the engine writes the journal entry and then fails before it publishes the new state
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(data.resolve("maps"), 10_000, 50_000)) {
            final Engine engine = failingAfterTheJournalWrite(journal, lookup, store);
            final ExpandableArrayBuffer message = new ExpandableArrayBuffer(512);
            final byte[] json = txn("t-late", T0 + 51 * 30_000L, "c-1", "k-1", "77.00", "")
                .getBytes(StandardCharsets.UTF_8);
            final int length = new TransactionJson().parse(new UnsafeBuffer(json), 0, json.length, message, 0);
            assertThrows(IllegalStateException.class, () -> engine.score(message, 0, length));
            assertEquals(0, store.txnIndex().lookup("t-late", new ScoredIdCheck(lookup)),
                "not applied: the failure came first");
        }
        try (Harness h = Harness.start(data)) {
            assertEquals(1, h.engine.recoveredEntries(), "the journaled entry is applied at start");
            assertEquals(Commands.RESPONSE_DUPLICATE,
                h.score(txn("t-late", T0 + 51 * 30_000L, "c-1", "k-1", "77.00", "")).type());
            scoreSome(h, 60, 20);
        }
        assertReplayReproducesTheState(data);
        delete(dir.resolve("replay"));
    }

    @Test
    void shouldReportADecisionTheReplayDoesNotReproduce() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            scoreSome(h, 0, 30);
        }
        // an engine whose journal receives a decision with a different score than it computed
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(data.resolve("maps"), 10_000, 50_000)) {
            final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
            final TransactionFlyweight t = new TransactionFlyweight();
            final DecisionFlyweight d = new DecisionFlyweight();
            final Engine engine = new Engine(store, (entry, offset, length) -> {
                scored.wrapForDecode(entry, offset, length, t, d);
                ((org.agrona.MutableDirectBuffer) entry).putShort(d.offset() + DecisionFlyweight.SCORE_OFFSET,
                    (short) (d.score() + 1), java.nio.ByteOrder.LITTLE_ENDIAN);
                return journal.append(entry, offset, length);
            }, lookup, DefaultRules.ruleSet(), new EngineCounters());
            Recovery.run(engine, journal.reader(), store.meta(), new EngineCounters());
            final ExpandableArrayBuffer message = new ExpandableArrayBuffer(512);
            final byte[] json = txn("t-tampered", T0, "c-1", "k-1", "77.00", "").getBytes(StandardCharsets.UTF_8);
            final int length = new TransactionJson().parse(new UnsafeBuffer(json), 0, json.length, message, 0);
            engine.score(message, 0, length);
        }
        final Replay.Result replay = Replay.run(data.resolve("journal"), dir.resolve("r1"), 10_000, 50_000,
            n -> { });
        assertEquals(31, replay.scored());
        assertEquals(1, replay.mismatches());
        assertTrue(replay.examples().get(0).contains("txn t-tampered: journal APPROVE 1"), replay.examples().get(0));
    }

    @Test
    void shouldNameTheFeaturesThatDifferWhenTheDecisionIsTheSame() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            scoreSome(h, 0, 30);
        }
        // an engine whose journal receives a feature value other than the one it computed
        final int travel = FeatureCatalog.indexOf("card.travel_kmh");
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(data.resolve("maps"), 10_000, 50_000)) {
            final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
            final Engine engine = new Engine(store, (entry, offset, length) -> {
                final org.agrona.ExpandableArrayBuffer copy = new org.agrona.ExpandableArrayBuffer(length + 64);
                copy.putBytes(0, entry, offset, length);
                final TransactionFlyweight t = new TransactionFlyweight();
                final DecisionFlyweight d = new DecisionFlyweight();
                scored.wrapForDecode(copy, 0, length, t, d);
                final double[] features = new double[scored.featureCount()];
                scored.features(features);
                features[travel] = 0.0136;
                final org.agrona.ExpandableArrayBuffer changed = new org.agrona.ExpandableArrayBuffer(length + 64);
                changed.putBytes(0, copy, 0, scored.transactionOffset() + t.encodedLength() + d.encodedLength());
                final int newLength = new ScoredEntryFlyweight().wrapForEncode(changed, 0)
                    .transactionLength(t.encodedLength()).finish(d.encodedLength(), features, features.length,
                        scored.featureVersion());
                return journal.append(changed, 0, newLength);
            }, lookup, DefaultRules.ruleSet(), new EngineCounters());
            Recovery.run(engine, journal.reader(), store.meta(), new EngineCounters());
            final ExpandableArrayBuffer message = new ExpandableArrayBuffer(512);
            final byte[] json = txn("t-moved", T0 + 31 * 30_000L, "c-new", "k-new", "7.00", "")
                .getBytes(StandardCharsets.UTF_8);
            final int length = new TransactionJson().parse(new UnsafeBuffer(json), 0, json.length, message, 0);
            engine.score(message, 0, length);
        }
        final Replay.Result replay = Replay.run(data.resolve("journal"), dir.resolve("r2"), 10_000, 50_000,
            n -> { });
        assertEquals(1, replay.mismatches());
        final String example = replay.examples().get(0);
        assertTrue(example.contains("the same decision") && example.contains("card.travel_kmh journal 0.0136 "
            + "replay NaN"), example);
    }
}
