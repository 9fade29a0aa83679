package io.ecap.hotpath.replay;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.scoring.ModelException;
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
     */
    public record Result(long entries, long scored, long mismatches, List<String> examples, long elapsedNs,
        long damaged) {
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
        final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
        long entries = 0;
        long transactions = 0;
        long damaged;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader source = journal.reader();
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(mapsDir, entityEntries, txnEntries)) {
            final Engine engine = new Engine(store, sink, lookup, DefaultRules.ruleSet(), new EngineCounters());
            source.hoppingGaps().after(0);
            while (source.next()) {
                sink.expect(source.index(), source.buffer(), source.length());
                switch (source.type()) {
                    case EntryType.SCORED -> {
                        scored.wrapForDecode(source.buffer(), 0, source.length(), txn, decision);
                        engine.score(source.buffer(), scored.transactionOffset(), txn.encodedLength());
                        transactions++;
                    }
                    case EntryType.LABEL -> engine.label(source.buffer(), 0, source.length());
                    case EntryType.USER_EVENT -> engine.userEvent(source.buffer(), 0, source.length());
                    case EntryType.PRODUCT_UPDATE -> engine.productUpdate(source.buffer(), 0, source.length());
                    case EntryType.RULE_SET, EntryType.MODEL, EntryType.SETTINGS -> loadConfig(engine, config, source);
                    case EntryType.LIST_CHANGE ->
                        engine.listChange(ListEntryFlyweight.decode(source.buffer(), source.length()));
                    default -> throw new IllegalStateException("unknown entry type " + source.type());
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
            damaged);
    }

    private static void loadConfig(final Engine engine, final ConfigEntryFlyweight config, final JournalReader source) {
        config.wrapForDecode(source.buffer(), 0, source.length());
        try {
            engine.reproduceConfig(config.type(), config.text(), config.actor(), config.tsMs());
        } catch (final RuleSetException | ModelException | IllegalArgumentException e) {
            throw new IllegalStateException("journal entry " + Long.toHexString(source.index())
                + " holds a rule set or model this version cannot read: " + e.getMessage(), e);
        }
    }
}
