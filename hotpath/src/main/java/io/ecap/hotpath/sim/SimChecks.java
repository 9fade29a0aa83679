package io.ecap.hotpath.sim;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ShadowEntryFlyweight;
import io.ecap.hotpath.journal.TornTail;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a simulation checks at its end, and the machine faults it makes on the files: every acknowledged decision in
 * the journal once and unchanged, every payment journaled, each transaction followed by its challenger's decision, a
 * replay that reproduces every entry and ends in the state the crashes left; a torn journal entry, or one lost whole;
 * the journal's digest.
 */
final class SimChecks {
    /** The property the engine reads the machine's boot id from in place of the kernel's (a "reboot"). */
    static final String BOOT_ID = io.ecap.hotpath.state.EngineMeta.BOOT_ID_PROPERTY;
    private static final int MAX_FAILURES = 20;

    private SimChecks() {
    }

    static List<String> atEnd(final SimEngine life, final SimLedger ledger, final Path data,
        final Simulation.Settings settings, final int transactions) throws IOException {
        final List<String> failures = new ArrayList<>();
        checkJournal(life.journal, ledger, transactions, failures);
        final Path replayed = data.resolve("replay");
        final Replay.Result replay = Replay.run(data.resolve("journal"), replayed, settings.entities(),
            settings.txns(), n -> { });
        if (!replay.identical()) {
            failures.add("the replay differs from the journal: " + replay.examples());
        }
        try (FeatureStore clean = FeatureStore.openQuiet(replayed, settings.entities(), settings.txns())) {
            for (final String difference : StateDiff.compare(life.store, clean)) {
                failures.add("the state the crashes left differs from a replay's: " + difference);
            }
        }
        return failures.subList(0, Math.min(failures.size(), MAX_FAILURES));
    }

    private static void checkJournal(final Journal journal, final SimLedger ledger, final int transactions,
        final List<String> failures) {
        final BitSet journaled = new BitSet(transactions);
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        long shadowFor = 0;
        try (JournalReader reader = journal.reader()) {
            while (reader.next()) {
                if (shadowFor != 0) {
                    final long named = reader.type() != EntryType.SHADOW_DECISION ? -1
                        : ShadowEntryFlyweight.decode(reader.buffer(), 0, reader.length(), decision).journalIndex();
                    if (named != shadowFor) {
                        failures.add("entry " + Long.toHexString(reader.index()) + " is not the challenger's decision"
                            + " for " + Long.toHexString(shadowFor));
                    }
                    shadowFor = 0;
                    continue;
                }
                if (reader.type() != EntryType.SCORED) {
                    continue;
                }
                entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                final int n = Integer.parseInt(txn.string(TransactionFlyweight.TXN_ID).substring(1));
                if (journaled.get(n)) {
                    failures.add(SimWorkload.txnId(n) + " journaled twice, again at "
                        + Long.toHexString(reader.index()));
                }
                journaled.set(n);
                if (ledger.acknowledged(n) && !ledger.same(n, reader.index(), decision)) {
                    failures.add(SimWorkload.txnId(n) + " was acknowledged as " + ledger.describe(n)
                        + ", the journal has score " + decision.score() + " at " + Long.toHexString(reader.index()));
                }
                shadowFor = entry.shadowFollows() ? reader.index() : 0;
            }
        }
        for (int n = 0; n < transactions; n++) {
            if (!journaled.get(n) || !ledger.acknowledged(n)) {
                failures.add(SimWorkload.txnId(n) + (journaled.get(n) ? " never acknowledged" : " lost: not in the "
                    + "journal (" + ledger.describe(n) + ")"));
            }
        }
    }

    /**
     * Tears an entry of the newest journal file that holds payment {@code txnId}, as a power loss does to an entry
     * whose pages did not all reach the disk: one of its bytes is changed, so its checksum no longer matches. The
     * first such entry is the payment's own (its challenger's decision and labels name it later), the last is the
     * newest: the payment's own when it was the last entry written.
     *
     * @return whether the entry was found
     */
    static boolean tear(final Path journalDir, final String txnId, final boolean last) {
        final byte[] needle = (((char) txnId.length()) + txnId).getBytes(StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.list(journalDir)) {
            final Optional<Path> newest = files.filter(p -> p.toString().endsWith(".cq4")).max(Path::compareTo);
            if (newest.isEmpty()) {
                return false;
            }
            try (RandomAccessFile raf = new RandomAccessFile(newest.get().toFile(), "rw")) {
                final long at = find(raf, needle, last);
                if (at < 0) {
                    return false;
                }
                raf.seek(at + needle.length - 1);
                raf.write(0);
                return true;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loses the newest journal file's last entry whole, its Chronicle header too, as a power loss does when the file's
     * own header (which names the place of the last entry) reached the disk and the entry's page did not.
     *
     * @return whether there was an entry to lose
     */
    static boolean loseLastEntry(final Path journalDir) {
        try (Stream<Path> files = Files.list(journalDir)) {
            final Optional<Path> newest = files.filter(p -> p.toString().endsWith(".cq4")).max(Path::compareTo);
            if (newest.isEmpty()) {
                return false;
            }
            final long last;
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(journalDir.toFile()).readOnly(true)
                .rollCycle(LargeRollCycles.LARGE_DAILY).build()) {
                final SingleChronicleQueueStore store = queue.storeForCycle(queue.lastCycle(), 0, false, null);
                if (store == null) {
                    return false;
                }
                last = store.writePosition();
                queue.closeStore(store);
            }
            return PowerLoss.zeroEnd(newest.get(), last, Integer.MAX_VALUE) > last;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Journal files a start repaired ({@code TornTail}): each damaged one is kept beside the journal. */
    static int repairedEnds(final Path journalDir) {
        final Path kept = TornTail.damagedFolder(journalDir);
        if (!Files.isDirectory(kept)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(kept)) {
            return (int) files.count();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long find(final RandomAccessFile raf, final byte[] needle, final boolean last)
        throws IOException {
        final byte[] chunk = new byte[1 << 20];
        long found = -1;
        for (long at = 0; at < raf.length(); at += chunk.length - needle.length) {
            raf.seek(at);
            final int n = raf.read(chunk);
            for (int i = 0; i + needle.length <= n; i++) {
                if (chunk[i] == needle[0] && java.util.Arrays.equals(chunk, i, i + needle.length, needle, 0,
                    needle.length)) {
                    found = at + i;
                    if (!last) {
                        return found;
                    }
                }
            }
            if (n < chunk.length) {
                break;
            }
        }
        return found;
    }

    /**
     * The number of entries in the journal and a digest of them all, the engine's own time in each decision left
     * out (it is measured, not computed): two runs of one seed give the same digest.
     */
    static long[] journalDigest(final Path journalDir) {
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[64 * 1024]);
        long entries = 0;
        long digest = 0x9E3779B97F4A7C15L;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader()) {
            while (reader.next()) {
                entries++;
                final int length = reader.length();
                copy.putBytes(0, reader.buffer(), 0, length);
                int from = 0;
                if (reader.type() == EntryType.SCORED) {
                    entry.wrapForDecode(copy, 0, length, txn, decision);
                    copy.putLong(decision.offset() + DecisionFlyweight.ENGINE_NANOS_OFFSET, 0);
                    from = ScoredEntryFlyweight.TRANSACTION_OFFSET;
                } else if (reader.type() == EntryType.SHADOW_DECISION) {
                    ShadowEntryFlyweight.decode(copy, 0, length, decision);
                    copy.putLong(decision.offset() + DecisionFlyweight.ENGINE_NANOS_OFFSET, 0);
                    from = ShadowEntryFlyweight.DECISION_OFFSET;
                }
                digest = mix(digest, reader.index());
                int i = from;
                for (; i + Long.BYTES <= length; i += Long.BYTES) {
                    digest = mix(digest, copy.getLong(i));
                }
                for (; i < length; i++) {
                    digest = mix(digest, copy.getByte(i));
                }
            }
        }
        return new long[] {entries, digest};
    }

    private static long mix(final long h, final long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        return x * 0x94D049BB133111EBL;
    }
}
