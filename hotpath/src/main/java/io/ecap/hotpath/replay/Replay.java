package io.ecap.hotpath.replay;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Rebuilds engine state from a journal into fresh maps by running every entry through the engine again, and checks
 * that every decision comes out exactly as journaled. What recovery, backtests and training rely on.
 */
public final class Replay {
    /**
     * @param entries     journal entries replayed
     * @param scored      transactions among them
     * @param mismatches  entries the replay did not reproduce exactly
     * @param examples    the first mismatches, described
     * @param damaged     entries skipped because their checksum did not match (as recovery skips them)
     * @param shadows     the challenger's decisions among the entries (each reproduced and compared as well)
     */
    public record Result(long entries, long scored, long mismatches, List<String> examples, long elapsedNs,
        long damaged, long shadows) {
        public boolean identical() {
            return mismatches == 0;
        }
    }

    private Replay() {
    }

    /**
     * Replays {@code journalDir} into new maps under {@code mapsDir} (which must not hold maps yet).
     *
     * @param progress called with the number of entries done, every 100 000 entries
     */
    public static Result run(final Path journalDir, final Path mapsDir, final long entityEntries,
        final long txnEntries, final LongConsumer progress) throws IOException {
        if (Files.exists(mapsDir.resolve("engine.meta"))) {
            throw new IllegalArgumentException(mapsDir + " already holds engine state; replay needs a fresh folder");
        }
        final long start = System.nanoTime();
        final VerifyingSink sink = new VerifyingSink();
        final EntryApplier applier = new EntryApplier();
        long entries = 0;
        long transactions = 0;
        long shadows = 0;
        long damaged;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader source = journal.reader();
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(mapsDir, entityEntries, txnEntries)) {
            final Engine engine = new Engine(store, sink, lookup, DefaultRules.ruleSet(), new EngineCounters());
            source.hoppingGaps().after(0);
            while (source.next()) {
                sink.expect(source.index(), source.buffer(), source.length());
                if (applier.apply(engine, source, EntryApplier.KEEP_ALL) != 0) {
                    transactions++;
                } else if (source.type() == io.ecap.hotpath.journal.EntryType.SHADOW_DECISION) {
                    shadows++;
                }
                sink.finish();
                if (++entries % 100_000 == 0) {
                    progress.accept(entries);
                }
            }
            store.meta().markClean();
            damaged = source.damaged();
        }
        return new Result(entries, transactions, sink.mismatches(), sink.reported(), System.nanoTime() - start,
            damaged, shadows);
    }
}
