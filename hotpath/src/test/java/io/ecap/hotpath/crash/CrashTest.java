package io.ecap.hotpath.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ecap.hotpath.engine.Commands;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
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
 * Kills an engine process with SIGKILL at random points while it scores a stream, restarts it, and checks that every
 * acknowledged decision is in the journal exactly once, that a resent transaction gets its first decision back, and
 * that the final state equals a clean replay of the whole journal into empty maps. The seed is printed; rerun with
 * {@code -Decap.crash.seed=<seed>}.
 */
class CrashTest {
    private static final int TOTAL = 4000;

    @TempDir
    Path dir;

    private final Map<Integer, Long> scoredAcks = new HashMap<>();
    private long seed;

    @Test
    void shouldLoseAndDuplicateNothingWhenKilledAtRandomPoints() throws Exception {
        seed = Long.getLong("ecap.crash.seed", System.nanoTime());
        final int kills = Integer.getInteger("ecap.crash.kills", 20);
        System.out.println("CrashTest seed " + seed + " kills " + kills);
        final SplittableRandom random = new SplittableRandom(seed);
        final Path data = dir.resolve("data");
        int position = 0;
        for (int k = 0; k < kills; k++) {
            final int from = Math.max(0, position - random.nextInt(150));
            final int killAfter = random.nextInt(5) == 0 ? -1 : random.nextInt(400);
            position = Math.max(position, runChild(data, from, killAfter));
        }
        final int last = runChild(data, Math.max(0, position - 50), Integer.MAX_VALUE);
        assertEquals(TOTAL, last, "seed " + seed + ": the last run did not finish the stream");
        checkJournal(data);
        checkReplay(data);
    }

    /** Runs the child from {@code from}; kills it after {@code killAfter} answers (-1: as soon as it starts). */
    private int runChild(final Path data, final int from, final int killAfter) throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path flags = Path.of(System.getProperty("ecap.root"), "config", "jvm.flags");
        final Path errors = dir.resolve("child-" + System.nanoTime() + ".err");
        final Process child = new ProcessBuilder(java.toString(), "@" + flags, "-Xmx256m", "-cp",
            System.getProperty("java.class.path"), CrashChild.class.getName(), data.toString(),
            Long.toString(seed), Integer.toString(from), Integer.toString(TOTAL))
            .redirectError(errors.toFile()).start();
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
        if (!killed && exit != 0) {
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
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader reader = journal.reader()) {
            while (reader.next()) {
                if (reader.type() == EntryType.SCORED) {
                    entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                    final Long twice = journaled.put(txn.string(TransactionFlyweight.TXN_ID), reader.index());
                    assertEquals(null, twice, "seed " + seed + ": " + txn.string(TransactionFlyweight.TXN_ID)
                        + " journaled twice");
                }
            }
        }
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
        final Replay.Result result = Replay.run(data.resolve("journal"), replayed, 10_000, 50_000, n -> { });
        assertTrue(result.identical(), "seed " + seed + ": replay differs: " + result.examples());
        final List<String> differences = new ArrayList<>();
        try (FeatureStore recovered = FeatureStore.open(data.resolve("maps"), 10_000, 50_000);
             FeatureStore clean = FeatureStore.open(replayed, 10_000, 50_000)) {
            differences.addAll(StateDiff.compare(recovered, clean));
        }
        assertEquals(List.of(), differences, "seed " + seed + ": recovered state differs from a clean replay");
    }
}
