package io.ecap.ops.chaos;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every decision the service acknowledged (answered 200) during a chaos run, and the audit of the journal against
 * them: an acknowledged decision must be in the journal once, under the journal index it was answered with, with the
 * same outcome and score; no transaction may be journaled twice, acknowledged or not.
 */
final class Ledger {
    /** What the service answered for one transaction. */
    record Ack(String txnId, String decision, int score, long journalIndex) {
    }

    /** The audit: counts, and a few examples of each problem. */
    record Audit(long scoredEntries, long acknowledged, long lost, long changed, long duplicated, long damaged,
                 List<String> examples) {
        boolean clean() {
            return lost == 0 && changed == 0 && duplicated == 0;
        }
    }

    private static final int EXAMPLES = 5;
    private final Map<String, Ack> acknowledged = new ConcurrentHashMap<>();

    void acknowledge(final Ack ack) {
        acknowledged.put(ack.txnId(), ack);
    }

    int size() {
        return acknowledged.size();
    }

    Ack get(final String txnId) {
        return acknowledged.get(txnId);
    }

    /** Reads the whole journal and checks every acknowledged decision against it. */
    Audit audit(final Path journalDir) {
        final Map<String, long[]> journaled = new HashMap<>(acknowledged.size() * 2);
        final List<String> examples = new ArrayList<>();
        long scored = 0;
        long duplicated = 0;
        long damaged;
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader().hoppingGaps()) {
            while (reader.next()) {
                if (reader.type() != EntryType.SCORED) {
                    continue;
                }
                scored++;
                entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                final String id = txn.string(TransactionFlyweight.TXN_ID);
                final long[] before = journaled.put(id, new long[] {reader.index(), decision.outcomeCode(),
                    decision.score()});
                if (before != null) {
                    duplicated++;
                    example(examples, "journaled twice: " + id + " at " + before[0] + " and " + reader.index());
                }
            }
            damaged = reader.damaged();
        }
        long lost = 0;
        long changed = 0;
        for (final Ack ack : acknowledged.values()) {
            final long[] found = journaled.get(ack.txnId());
            if (found == null) {
                lost++;
                example(examples, "lost: " + ack.txnId() + " was answered " + ack.decision() + " at journal index "
                    + ack.journalIndex() + " and is not in the journal");
            } else if (found[0] != ack.journalIndex()
                || !Outcome.ofCode((int) found[1]).name().equals(ack.decision())
                || found[2] != ack.score()) {
                changed++;
                example(examples, "changed: " + ack.txnId() + " was answered " + ack.decision() + " " + ack.score()
                    + " at " + ack.journalIndex() + ", the journal has " + Outcome.ofCode((int) found[1])
                    + " " + found[2] + " at " + found[0]);
            }
        }
        return new Audit(scored, acknowledged.size(), lost, changed, duplicated, damaged, examples);
    }

    private static void example(final List<String> examples, final String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }
}
