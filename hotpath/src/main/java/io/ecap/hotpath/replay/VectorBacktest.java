package io.ecap.hotpath.replay;

import io.ecap.hotpath.engine.DecisionWriter;
import io.ecap.hotpath.features.EntityFeature;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.lists.EntityLists;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.field.IdHash;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A backtest from the feature vectors the journal holds, without rebuilding the engine's state: the fast way to the
 * same result as {@link Backtest#run}.
 *
 * <p>Every feature but one family is a function of the events alone, whatever was decided: the journaled vector is
 * what a replay would compute again. The exception is {@code consecutive_declines} of each entity kind, which follows
 * the decisions; once the candidate decides otherwise than production did, its own count differs. This backtest keeps
 * that count for every entity twice, once from production's journaled decisions and once from the candidate's, and
 * gives the candidate its own count in place of the journaled one. A new entity ({@code is_new} 1, also after
 * retention removed it) starts from 0, as in the engine.
 *
 * <p>It checks itself on every transaction: the count kept from production's decisions must equal the journaled
 * value. If it ever does not (an entity key collision of the 64-bit hash, or a journal written by an engine that
 * counted otherwise), or if an entry's vector is of another feature catalogue than this version's, it stops and says
 * why, and the caller replays instead. Block and allow lists, rule sets and models are applied in journal order as a
 * replay would; labels, clicks, products and profiles are already in the vectors.
 */
final class VectorBacktest {
    private static final int KINDS = EntityKind.COUNT;

    private final Backtest.Candidate candidate;
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight journaled = new DecisionFlyweight();
    private final DecisionFlyweight decided = new DecisionFlyweight();
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
    private final UnsafeBuffer decisionBuffer = new UnsafeBuffer(new byte[4096]);
    private final EntityLists lists = new EntityLists();
    private final DecisionWriter decisions = new DecisionWriter(lists);
    private final double[] features = new double[FeatureCatalog.size()];
    private final int[] declinesAt = new int[KINDS];
    private final int[] isNewAt = new int[KINDS];
    /** Per kind, by entity key: declines in a row after production's decisions (high half) and the candidate's. */
    private final Long2LongHashMap[] declines = new Long2LongHashMap[KINDS];
    private final long[] keys = new long[KINDS];
    /** The counts of the transaction being scored, by kind, as in {@link #declines}. */
    private final long[] counts = new long[KINDS];
    private final Scorer scorer;
    /** Why the vectors could not stand for a replay; null while they can. */
    private String refusal;

    private VectorBacktest(final Backtest.Candidate candidate) throws RuleSetException, ModelException {
        this.candidate = candidate;
        scorer = new Scorer(candidate.rules() != null ? RuleParser.parse(candidate.rules()) : DefaultRules.ruleSet());
        if (candidate.model() != null) {
            scorer.model(model(candidate.model()));
        }
        for (final EntityKind kind : EntityKind.ALL) {
            final int k = kind.ordinal();
            declinesAt[k] = FeatureCatalog.of(kind, EntityFeature.CONSECUTIVE_DECLINES);
            isNewAt[k] = FeatureCatalog.of(kind, EntityFeature.IS_NEW);
            declines[k] = new Long2LongHashMap(0);
        }
    }

    /**
     * The backtest from the vectors, or null with the reason in {@code why[0]} when they cannot stand for a replay
     * (the caller then replays).
     */
    static Backtest.Result run(final Path journalDir, final Backtest.Candidate candidate,
        final Backtest.Labels labels, final int examplesPerKind, final long fromMs, final LongConsumer progress,
        final String[] why) throws RuleSetException, ModelException {
        final long start = System.nanoTime();
        final VectorBacktest backtest = new VectorBacktest(candidate);
        final Backtest.Comparison comparison = new Backtest.Comparison(labels, examplesPerKind);
        long count = 0;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader source = journal.reader().hoppingGaps().after(0);
             EntryPipeline entries = new EntryPipeline(source)) {
            EntryPipeline.Slot entry;
            while ((entry = entries.take()) != null) {
                backtest.apply(entry, comparison, fromMs);
                entries.release();
                if (backtest.refusal != null) {
                    why[0] = backtest.refusal;
                    return null;
                }
                if (++count % 100_000 == 0) {
                    progress.accept(count);
                }
            }
            return comparison.result(count, fromMs, System.nanoTime() - start, entries.damaged(), labels,
                candidate.rules() == null ? null : backtest.scorer.ruleSetLabel(),
                candidate.model() == null ? null : backtest.scorer.modelLabel(), Backtest.FROM_VECTORS);
        }
    }

    private void apply(final EntryPipeline.Slot entry, final Backtest.Comparison comparison, final long fromMs)
        throws RuleSetException, ModelException {
        switch (entry.type) {
            case EntryType.SCORED -> score(entry, comparison, fromMs);
            case EntryType.RULE_SET, EntryType.MODEL -> {
                config.wrapForDecode(entry.bytes, 0, entry.length);
                if (config.type() == EntryType.RULE_SET && candidate.rules() == null) {
                    scorer.rules(RuleParser.parse(config.text()));
                } else if (config.type() == EntryType.MODEL && candidate.model() == null) {
                    scorer.model(model(config.text()));
                }
            }
            case EntryType.LIST_CHANGE -> {
                final var change = ListEntryFlyweight.decode(entry.bytes, entry.length);
                if (lists.isNew(change)) {
                    lists.apply(change);
                }
            }
            default -> {
                // labels, clicks, products, profiles and settings are in the vectors; the challenger is not tested
            }
        }
    }

    private void score(final EntryPipeline.Slot entry, final Backtest.Comparison comparison, final long fromMs) {
        if (!entry.featuresDecoded || entry.featureVersion != FeatureCatalog.VERSION) {
            refusal = "journal entry " + Long.toHexString(entry.index) + " holds features of catalogue version "
                + entry.featureVersion + "; this version computes version " + FeatureCatalog.VERSION + " ("
                + features.length + " values)";
            return;
        }
        txn.wrapForDecode(entry.bytes, entry.txnOffset, entry.txnLength);
        journaled.wrapForDecode(entry.bytes, entry.decisionOffset, entry.decisionLength);
        System.arraycopy(entry.features, 0, features, 0, features.length);
        if (!ownDeclines(entry.index)) {
            return;
        }
        scorer.score(features);
        final int listMatch = lists.check(txn);
        final Outcome outcome = listMatch == EntityLists.NONE ? scorer.outcome() : EntityLists.outcome(listMatch);
        if (txn.tsMs() >= fromMs) {
            // the candidate's decision in full only where it is shown: a changed one
            final boolean changed = outcome != journaled.outcome();
            if (changed) {
                decisions.write(decided, decisionBuffer, 0, txn, scorer, outcome, listMatch);
            }
            comparison.add(txn, journaled, features, outcome, changed ? decided : null, scorer);
        }
        count(journaled.outcome(), outcome);
    }

    /**
     * Puts the candidate's own declines in a row in the vector, after checking that the count kept from production's
     * decisions is the journaled one; false (and {@link #refusal} set) if it is not.
     */
    private boolean ownDeclines(final long index) {
        for (final EntityKind kind : EntityKind.ALL) {
            final int k = kind.ordinal();
            final int field = kind.keyField();
            keys[k] = 0;
            if (declinesAt[k] < 0 || txn.stringLength(field) == 0) {
                continue;
            }
            final long key = IdHash.hash(txn.buffer(), txn.stringOffset(field), txn.stringLength(field));
            keys[k] = key == 0 ? 1 : key;
            final boolean isNew = isNewAt[k] >= 0 && features[isNewAt[k]] == 1;
            if (isNew) {
                declines[k].remove(keys[k]); // a count of the entity's life before retention removed it
            }
            final long both = isNew ? 0 : declines[k].get(keys[k]);
            final long production = both >>> 32;
            if (features[declinesAt[k]] != production) {
                refusal = "journal entry " + Long.toHexString(index) + ": the " + kind.name().toLowerCase()
                    + "'s declines in a row counted from the journaled decisions (" + production
                    + ") differ from the journaled feature (" + features[declinesAt[k]] + ")";
                return false;
            }
            features[declinesAt[k]] = both & 0xFFFF_FFFFL;
            counts[k] = both;
        }
        return true;
    }

    /** Declines in a row after a decision: one more after a decline, none after an approval, kept by a review. */
    private void count(final Outcome production, final Outcome candidate) {
        for (int k = 0; k < KINDS; k++) {
            if (keys[k] == 0) {
                continue;
            }
            final long p = next(counts[k] >>> 32, production);
            final long c = next(counts[k] & 0xFFFF_FFFFL, candidate);
            if (p == 0 && c == 0) {
                if (counts[k] != 0) {
                    declines[k].remove(keys[k]); // zeros are not kept: most entities were never declined
                }
            } else {
                declines[k].put(keys[k], p << 32 | c);
            }
        }
    }

    private static long next(final long inARow, final Outcome outcome) {
        return outcome == Outcome.DECLINE ? inARow + 1 : outcome == Outcome.APPROVE ? 0 : inARow;
    }

    private static io.ecap.model.scoring.Model model(final String text) throws ModelException {
        return text.isEmpty() ? null : ModelParser.parseJournaled(text, FeatureCatalog.forModels());
    }
}
