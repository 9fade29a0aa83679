package io.ecap.hotpath.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ShadowEntryFlyweight;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an engine process while it scores a stream, restarts it, and checks that every acknowledged decision is in
 * the journal exactly once, that a resent transaction gets its first decision back, that a replay of the whole
 * journal into empty state reproduces every journaled entry (decision and features) exactly, and that the recovered
 * state equals the replayed one. Kills come from outside (SIGKILL after a random number of answers) and from inside
 * ({@link io.ecap.hotpath.state.CrashPoints}: the process halts at a chosen step of the write path, the steps of a
 * growing index, a removal by retention, a rotation of the transaction index, and the moment between a
 * transaction's answer and its challenger's decision included; a challenger is always in the shadow, and its decision
 * must directly follow every transaction). The seed is printed;
 * rerun with {@code -Decap.crash.seed=<seed>}.
 */
class CrashTest {
    private static final int TOTAL = 4000;
    private static final String[] POINTS = {"undo", "journaled", "applied", "shadow", "evict", "rotate",
        "grow", "copy"};

    @TempDir
    Path dir;

    private final Map<Integer, Long> scoredAcks = new HashMap<>();
    private final java.util.Set<String> halted = new java.util.TreeSet<>();
    private long seed;
    private CrashStream.Mode mode;

    @Test
    void shouldLoseAndDuplicateNothingWhenKilledAtRandomPoints() throws Exception {
        start(CrashStream.Mode.MIXED);
        final Path data = dir.resolve("data");
        final int position = killRandomly(data, Integer.getInteger("ecap.crash.kills", 20), 0);
        finish(data, position);
    }

    @Test
    void shouldRecoverExactlyWhenKilledWhileCreatingEntities() throws Exception {
        start(CrashStream.Mode.FRESH);
        final Path data = dir.resolve("data");
        final int position = killRandomly(data, Integer.getInteger("ecap.crash.kills", 30), 0);
        finish(data, position);
    }

    @Test
    void shouldRecoverExactlyWhenHaltedAtEachStepOfTheWritePath() throws Exception {
        start(CrashStream.Mode.FRESH);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path data = dir.resolve("data");
        int position = 0;
        // in the order the stream reaches them: removals start after a few days of event time, the transaction
        // index rotates every 1000 transactions, the indexes grow at 1024 and 2048 entities and copy afterwards
        for (final String point : POINTS) {
            final int at = switch (point) {
                case "undo" -> 1 + random.nextInt(2000);
                case "journaled", "applied", "shadow" -> 1 + random.nextInt(40);
                case "evict" -> 1 + random.nextInt(20);
                case "copy" -> 1 + random.nextInt(8);
                default -> 1;
            };
            final int from = Math.max(0, position - random.nextInt(100));
            position = Math.max(position, runChild(data, from, Integer.MAX_VALUE, point + ":" + at));
            assertTrue(halted.contains(point), "seed " + seed + ": the stream ended before " + point + " was reached");
        }
        position = killRandomly(data, 3, position);
        finish(data, position);
    }

    private void start(final CrashStream.Mode workload) {
        mode = workload;
        seed = Long.getLong("ecap.crash.seed", System.nanoTime());
        System.out.println("CrashTest " + workload + " seed " + seed);
    }

    /** Runs children from around {@code position}, killing each after a random number of answers. */
    private int killRandomly(final Path data, final int kills, final int startAt) throws Exception {
        final SplittableRandom random = new SplittableRandom(seed + startAt);
        int position = startAt;
        for (int k = 0; k < kills; k++) {
            final int from = Math.max(0, position - random.nextInt(150));
            final int killAfter = random.nextInt(5) == 0 ? -1 : random.nextInt(400);
            position = Math.max(position, runChild(data, from, killAfter, null));
        }
        return position;
    }

    private void finish(final Path data, final int position) throws Exception {
        final int last = runChild(data, Math.max(0, position - 50), Integer.MAX_VALUE, null);
        assertEquals(TOTAL, last, "seed " + seed + ": the last run did not finish the stream");
        checkJournal(data);
        checkReplay(data);
    }

    /**
     * Runs the child from {@code from}; kills it after {@code killAfter} answers (-1: as soon as it starts), or lets
     * it halt itself at {@code crashAt} (a crash point spec, or null).
     */
    private int runChild(final Path data, final int from, final int killAfter, final String crashAt)
        throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path flags = Path.of(System.getProperty("ecap.root"), "config", "jvm.flags");
        final Path errors = dir.resolve("child-" + System.nanoTime() + ".err");
        final List<String> command = new ArrayList<>(List.of(java.toString(), "@" + flags, "-Xmx256m"));
        if (crashAt != null) {
            command.add("-Decap.crash.at=" + crashAt);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
            data.toString(), Long.toString(seed), Integer.toString(from), Integer.toString(TOTAL), mode.name()));
        final Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        // killing through the process handle sends SIGKILL but, unlike Process.destroyForcibly, keeps the pipe
        // open, so the answers the child printed before it died are still read and checked
        int next = from;
        int answers = 0;
        boolean killed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("STARTING") && killAfter < 0) {
                    child.toHandle().destroyForcibly();
                    killed = true;
                } else if (line.startsWith("ACK ")) {
                    next = Math.max(next, ack(line) + 1);
                    if (++answers == killAfter && !killed) {
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
        }
        final int exit = child.waitFor();
        final boolean halt = crashAt != null && exit == io.ecap.hotpath.state.CrashPoints.EXIT_STATUS;
        if (halt) {
            halted.add(crashAt.substring(0, crashAt.indexOf(':')));
        }
        if (!killed && !halt && exit != 0) {
            fail("seed " + seed + ": child failed with exit " + exit + ":\n" + Files.readString(errors));
        }
        return next;
    }

    /** Records an acknowledgement; a transaction acknowledged twice must carry the same journal index. */
    private int ack(final String line) {
        final String[] parts = line.split(" ");
        final int item = Integer.parseInt(parts[1]);
        final int type = Integer.parseInt(parts[2]);
        final long index = Long.parseLong(parts[3]);
        if (CrashStream.typeOf(item) == Commands.SCORE) {
            assertTrue(type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE, line);
            final Long before = scoredAcks.putIfAbsent(item, index);
            if (before != null) {
                assertEquals(before.longValue(), index, "seed " + seed + ": item " + item + " got two decisions");
                assertEquals(Commands.RESPONSE_DUPLICATE, type, "seed " + seed + ": item " + item + " rescored");
            }
        }
        return item;
    }

    private void checkJournal(final Path data) {
        final Map<String, Long> journaled = new HashMap<>();
        int shadows = 0;
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader reader = journal.reader()) {
            long shadowFor = 0;
            while (reader.next()) {
                if (shadowFor != 0) {
                    assertEquals(EntryType.SHADOW_DECISION, reader.type(), "seed " + seed + ": entry "
                        + Long.toHexString(reader.index()) + " is between a transaction and its challenger's decision");
                    assertEquals(shadowFor, ShadowEntryFlyweight.decode(reader.buffer(), 0, reader.length(),
                        new DecisionFlyweight()).journalIndex(), "seed " + seed + ": the challenger's decision names "
                        + "another entry");
                    shadows++;
                    shadowFor = 0;
                } else if (reader.type() == EntryType.SCORED) {
                    entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                    final Long twice = journaled.put(txn.string(TransactionFlyweight.TXN_ID), reader.index());
                    assertEquals(null, twice, "seed " + seed + ": " + txn.string(TransactionFlyweight.TXN_ID)
                        + " journaled twice");
                    assertTrue(entry.shadowFollows(), "seed " + seed + ": a challenger is always in the shadow here");
                    shadowFor = reader.index();
                } else {
                    assertTrue(reader.type() != EntryType.SHADOW_DECISION, "seed " + seed + ": a challenger's "
                        + "decision at " + Long.toHexString(reader.index()) + " follows no transaction");
                }
            }
            assertEquals(0, shadowFor, "seed " + seed + ": the last transaction has no challenger's decision");
        }
        assertEquals(journaled.size(), shadows, "seed " + seed + ": a challenger's decision for every transaction");
        for (final Map.Entry<Integer, Long> ack : scoredAcks.entrySet()) {
            assertEquals(ack.getValue(), journaled.get("t-" + ack.getKey()),
                "seed " + seed + ": acknowledged t-" + ack.getKey() + " is not in the journal where it was acked");
        }
        int transactions = 0;
        for (int i = 0; i < TOTAL; i++) {
            if (CrashStream.typeOf(i) == Commands.SCORE) {
                transactions++;
                assertTrue(journaled.containsKey("t-" + i), "seed " + seed + ": t-" + i + " never scored");
            }
        }
        assertEquals(transactions, journaled.size());
    }

    private void checkReplay(final Path data) throws IOException {
        final Path replayed = dir.resolve("replayed");
        final EngineConfig config = CrashChild.config(data, mode);
        final Replay.Result result = Replay.run(data.resolve("journal"), replayed, config.entityEntries(),
            config.txnEntries(), n -> { });
        assertTrue(result.identical(), "seed " + seed + ": replay differs: " + result.examples());
        final List<String> differences = new ArrayList<>();
        try (FeatureStore recovered = FeatureStore.openQuiet(data.resolve("maps"), 10_000, 50_000);
             FeatureStore clean = FeatureStore.openQuiet(replayed, 10_000, 50_000)) {
            differences.addAll(StateDiff.compare(recovered, clean));
        }
        assertEquals(List.of(), differences, "seed " + seed + ": recovered state differs from a clean replay");
    }
}
