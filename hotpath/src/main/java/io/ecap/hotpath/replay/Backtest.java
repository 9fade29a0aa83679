package io.ecap.hotpath.replay;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EntrySink;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.rules.Rule;
import io.ecap.hotpath.rules.RuleSet;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.field.IdHash;
import io.ecap.model.LabelValue;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.scoring.ModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A backtest: replays a recorded journal through a candidate rule set, model, or both, into fresh state, and sets
 * every decision the candidate makes beside the one production journaled, against what is known to be fraud.
 *
 * <p>Everything but the candidate is as recorded: the transactions in journal order, labels, lists, settings,
 * clickstream and product entries; a rule set or model the candidate does not replace goes live where the journal
 * has it. The candidate's decisions feed its own state as production's did (a decline counts in the declines in a
 * row of the card and customer), so after the first changed decision later features can differ from the journaled
 * ones. Labels come from the whole journal (hindsight: a chargeback journaled weeks after the payment counts), or
 * from a ground truth given by the caller (the generator's {@code --truth} file), which then replaces them.
 */
public final class Backtest {
    /** Journal index the candidate's own rule set and model are loaded at (before the first entry; never read). */
    private static final long CANDIDATE_INDEX = 1;

    /**
     * What is tried instead of production's configuration, for the whole journal.
     *
     * @param rules a rule file's text, or null to keep the journal's rule sets
     * @param model a model file's text, "" for no model (rules only), or null to keep the journal's models
     */
    public record Candidate(String rules, String model) {
    }

    /**
     * What is known to be fraud.
     *
     * @param fraud     fraudulent txnIds with their scenario ("" when not known)
     * @param legit     txnIds confirmed legitimate (every other one is counted as legitimate too)
     * @param source    where they came from, for the report
     */
    public record Labels(Map<String, String> fraud, Set<String> legit, String source) {
    }

    /** One decision the candidate changed: both decisions as "OUTCOME score [reasons]", and the truth. */
    public record Change(String txnId, long tsMs, double amountUsd, String production, String candidate,
        String truth) {
    }

    /**
     * @param entries      journal entries replayed
     * @param transactions scored transactions compared (those from {@code fromMs} on)
     * @param changed      [production outcome][candidate outcome] counts, indexed by {@link Outcome#ordinal()}
     * @param changedFraud the same for the fraudulent transactions only
     * @param examples     a few changed decisions of each kind, in event time order
     * @param scenarios    per fraud scenario: fraudulent transactions, then declined and reviewed by production, then
     *                     by the candidate (empty when the labels name no scenario)
     * @param ruleHits     per rule of the candidate's rule set, in file order: transactions on which it fired, and
     *                     how many of them were fraud
     * @param method       how the candidate's decisions were made: {@link #FROM_VECTORS}, or {@link #REPLAYED}
     *                     with the reason the vectors could not serve
     */
    public record Result(long entries, long transactions, long fromMs, long elapsedNs, long damaged, long firstTsMs,
        long lastTsMs, Labels labels, String candidateRules, String candidateModel, Tally production,
        Tally candidate, long[][] changed, long[][] changedFraud, List<Change> examples, Map<String, long[]> scenarios,
        Map<String, long[]> ruleHits, String method) {
        public long changedTotal() {
            long n = 0;
            for (int p = 0; p < 3; p++) {
                for (int c = 0; c < 3; c++) {
                    n += p == c ? 0 : changed[p][c];
                }
            }
            return n;
        }
    }

    /** {@link Result#method()}: the candidate scored the journaled feature vectors ({@link VectorBacktest}). */
    public static final String FROM_VECTORS = "the journaled feature vectors";
    /** {@link Result#method()}: the journal was replayed into fresh state, every feature computed again. */
    public static final String REPLAYED = "a replay into fresh state";

    private Backtest() {
    }

    /**
     * Runs the backtest from the journaled feature vectors ({@link VectorBacktest}), which gives the same result as
     * a replay without rebuilding the state; replays ({@link #run}, into {@code mapsDir}) where the vectors cannot
     * serve, and says why in {@link Result#method()}.
     */
    public static Result runFastest(final Path journalDir, final Path mapsDir, final long entityEntries,
        final long txnEntries, final Candidate candidate, final Labels labels, final int examplesPerKind,
        final long fromMs, final LongConsumer progress) throws IOException, RuleSetException, ModelException {
        final String[] why = new String[1];
        final Result fast = VectorBacktest.run(journalDir, candidate, labels, examplesPerKind, fromMs, progress, why);
        if (fast != null) {
            return fast;
        }
        final Result replayed = run(journalDir, mapsDir, entityEntries, txnEntries, candidate, labels,
            examplesPerKind, fromMs, progress);
        return withMethod(replayed, REPLAYED + " (the vectors could not serve: " + why[0] + ")");
    }

    private static Result withMethod(final Result r, final String method) {
        return new Result(r.entries(), r.transactions(), r.fromMs(), r.elapsedNs(), r.damaged(), r.firstTsMs(),
            r.lastTsMs(), r.labels(), r.candidateRules(), r.candidateModel(), r.production(), r.candidate(),
            r.changed(), r.changedFraud(), r.examples(), r.scenarios(), r.ruleHits(), method);
    }

    /** The labels the journal holds: FRAUD and LEGIT labels by txnId (the last label of a transaction wins). */
    public static Labels journalLabels(final Path journalDir) {
        final Map<String, String> fraud = new HashMap<>();
        final Set<String> legit = new java.util.HashSet<>();
        final LabelFlyweight label = new LabelFlyweight();
        long count = 0;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader source = journal.reader()) {
            source.hoppingGaps().after(0);
            while (source.nextOfType(EntryType.LABEL)) {
                label.wrapForDecode(source.buffer(), 0, source.length());
                final String txnId = label.txnId();
                count++;
                if (label.label() == LabelValue.FRAUD) {
                    fraud.put(txnId, "");
                    legit.remove(txnId);
                } else {
                    legit.add(txnId);
                    fraud.remove(txnId);
                }
            }
        }
        return new Labels(fraud, legit, String.format("%,d labels in the journal", count));
    }

    /**
     * Runs the backtest into new maps under {@code mapsDir} (which must not hold maps yet).
     *
     * @param examplesPerKind changed decisions kept for each (production, candidate) pair of outcomes
     * @param fromMs          only transactions of this event time or later are compared (0: all); every entry is
     *                        still replayed, so the state at that point is the one production had
     * @param progress        called with the number of entries done, every 100 000 entries
     */
    public static Result run(final Path journalDir, final Path mapsDir, final long entityEntries,
        final long txnEntries, final Candidate candidate, final Labels labels, final int examplesPerKind,
        final long fromMs, final LongConsumer progress) throws IOException, RuleSetException, ModelException {
        if (Files.exists(mapsDir.resolve("engine.meta"))) {
            throw new IllegalArgumentException(mapsDir + " already holds engine state; a backtest needs a new folder");
        }
        final long start = System.nanoTime();
        final IndexSink sink = new IndexSink();
        final EntryApplier applier = new EntryApplier();
        final Comparison comparison = new Comparison(labels, examplesPerKind);
        final DecisionFlyweight decided = new DecisionFlyweight();
        long entries = 0;
        final long damaged;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader source = journal.reader();
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(mapsDir, entityEntries, txnEntries)) {
            final Engine engine = new Engine(store, sink, lookup, DefaultRules.ruleSet(), new EngineCounters());
            final int leaveOut = loadCandidate(engine, sink, candidate);
            source.hoppingGaps().after(0);
            while (source.next()) {
                sink.index = source.index();
                if (applier.apply(engine, source, leaveOut) == Engine.SCORED && applier.txn().tsMs() >= fromMs) {
                    decided.wrapForDecode(engine.decisionBuffer(), engine.decisionOffset(), engine.decisionLength());
                    comparison.add(applier.txn(), applier.journaled(), engine.features(), decided.outcome(), decided,
                        engine.scorer());
                }
                if (++entries % 100_000 == 0) {
                    progress.accept(entries);
                }
            }
            damaged = source.damaged();
            return comparison.result(entries, fromMs, System.nanoTime() - start, damaged, labels,
                candidate.rules() == null ? null : engine.ruleSet().label(),
                candidate.model() == null ? null : engine.model() == null ? "none" : engine.model().label(),
                REPLAYED);
        }
    }

    /**
     * Puts the candidate live before the first entry; returns the configuration types the journal may not change
     * (the candidate's, and the challenger's).
     */
    private static int loadCandidate(final Engine engine, final IndexSink sink, final Candidate candidate)
        throws RuleSetException, ModelException {
        sink.index = CANDIDATE_INDEX;
        // a challenger the journal had in the shadow is not part of what is tested: its decisions are not scored
        int leaveOut = EntryApplier.bit(EntryType.SHADOW_RULE_SET) | EntryApplier.bit(EntryType.SHADOW_MODEL);
        if (candidate.rules() != null) {
            engine.reproduceConfig(EntryType.RULE_SET, candidate.rules(), "backtest", 0);
            leaveOut |= EntryApplier.bit(EntryType.RULE_SET);
        }
        if (candidate.model() != null) {
            engine.reproduceConfig(EntryType.MODEL, candidate.model(), "backtest", 0);
            leaveOut |= EntryApplier.bit(EntryType.MODEL);
        }
        return leaveOut;
    }

    /** The backtest's journal: keeps nothing, and gives each entry the index of the recorded one it stands for. */
    private static final class IndexSink implements EntrySink {
        private long index;

        @Override
        public long append(final DirectBuffer entry, final int offset, final int length) {
            return index;
        }
    }

    /** Decisions of one side (production or candidate), by outcome, against the labels. */
    public static final class Tally {
        private final long[] count = new long[3];
        private final long[] fraud = new long[3];
        private final double[] fraudUsd = new double[3];
        private final double[] legitUsd = new double[3];

        void add(final Outcome outcome, final boolean isFraud, final double amountUsd) {
            final int o = outcome.ordinal();
            count[o]++;
            if (isFraud) {
                fraud[o]++;
                fraudUsd[o] += amountUsd;
            } else {
                legitUsd[o] += amountUsd;
            }
        }

        public long count(final Outcome outcome) {
            return count[outcome.ordinal()];
        }

        /** Fraudulent transactions that got this outcome. */
        public long fraud(final Outcome outcome) {
            return fraud[outcome.ordinal()];
        }

        /** Amount in US dollars of the fraudulent transactions that got this outcome. */
        public double fraudUsd(final Outcome outcome) {
            return fraudUsd[outcome.ordinal()];
        }

        /** Amount in US dollars of the legitimate transactions that got this outcome. */
        public double legitUsd(final Outcome outcome) {
            return legitUsd[outcome.ordinal()];
        }

        public long total() {
            return count[0] + count[1] + count[2];
        }

        public long fraudTotal() {
            return fraud[0] + fraud[1] + fraud[2];
        }

        /** Declined fraud over all fraud (NaN without fraud). */
        public double recall() {
            return (double) fraud(Outcome.DECLINE) / fraudTotal();
        }

        /** Declined or reviewed fraud over all fraud (NaN without fraud). */
        public double flaggedRecall() {
            return (double) (fraud(Outcome.DECLINE) + fraud(Outcome.REVIEW)) / fraudTotal();
        }

        /** Fraud among the declines (NaN without declines). */
        public double precision() {
            return (double) fraud(Outcome.DECLINE) / count(Outcome.DECLINE);
        }

        public double declineRate() {
            return (double) count(Outcome.DECLINE) / total();
        }

        public double reviewRate() {
            return (double) count(Outcome.REVIEW) / total();
        }

        /** Legitimate transactions declined. */
        public long falseDeclines() {
            return count(Outcome.DECLINE) - fraud(Outcome.DECLINE);
        }
    }

    /** Sets each candidate decision beside the journaled one and counts. */
    static final class Comparison {
        private final Labels labels;
        private final int examplesPerKind;
        private final Tally production = new Tally();
        private final Tally candidate = new Tally();
        private final long[][] changed = new long[3][3];
        private final long[][] changedFraud = new long[3][3];
        private final List<List<Change>> examples = new ArrayList<>();
        private final Map<String, long[]> scenarios = new TreeMap<>();
        private final Map<String, long[]> ruleHits = new LinkedHashMap<>();
        /**
         * The 64-bit hashes of every labelled txnId: a transaction whose hash is not here has no label, which saves
         * making its id a string (the exact lookup follows for the others). Null: look every id up.
         */
        private final LongHashSet labelled;
        /** The rule set {@link #hits} counts for, and its rules' counts in {@link #ruleHits}, by position. */
        private RuleSet hitsOf;
        private long[][] hits;
        private long transactions;
        private long firstTsMs = Long.MAX_VALUE;
        private long lastTsMs = Long.MIN_VALUE;

        Comparison(final Labels labels, final int examplesPerKind) {
            this.labels = labels;
            this.examplesPerKind = examplesPerKind;
            this.labelled = labelledHashes(labels);
            for (int i = 0; i < 9; i++) {
                examples.add(new ArrayList<>());
            }
        }

        /**
         * Counts one transaction: production's decision, the candidate's outcome (and its whole decision, needed only
         * when the outcome changed), and the candidate's features.
         */
        void add(final TransactionFlyweight txn, final DecisionFlyweight journaled, final double[] features,
            final Outcome after, final DecisionFlyweight decided, final Scorer scorer) {
            transactions++;
            firstTsMs = Math.min(firstTsMs, txn.tsMs());
            lastTsMs = Math.max(lastTsMs, txn.tsMs());
            final String txnId = labelled == null || labelled.contains(IdHash.hash(txn.buffer(),
                txn.stringOffset(TransactionFlyweight.TXN_ID), txn.stringLength(TransactionFlyweight.TXN_ID)))
                ? txn.string(TransactionFlyweight.TXN_ID) : null;
            final String scenario = txnId == null ? null : labels.fraud().get(txnId);
            final boolean isFraud = scenario != null;
            final double amountUsd = features[FeatureCatalog.TXN_AMOUNT_USD];
            final Outcome before = journaled.outcome();
            production.add(before, isFraud, amountUsd);
            candidate.add(after, isFraud, amountUsd);
            changed[before.ordinal()][after.ordinal()]++;
            changedFraud[before.ordinal()][after.ordinal()] += isFraud ? 1 : 0;
            if (before != after) {
                final List<Change> kept = examples.get(before.ordinal() * 3 + after.ordinal());
                if (kept.size() < examplesPerKind) {
                    final String truth = isFraud ? (scenario.isEmpty() ? "fraud" : "fraud (" + scenario + ")")
                        : txnId != null && labels.legit().contains(txnId) ? "legitimate (labelled)" : "legitimate";
                    kept.add(new Change(txn.string(TransactionFlyweight.TXN_ID), txn.tsMs(), amountUsd,
                        describe(journaled), describe(decided), truth));
                }
            }
            if (isFraud && !scenario.isEmpty()) {
                final long[] s = scenarios.computeIfAbsent(scenario, k -> new long[5]);
                s[0]++;
                s[1] += before == Outcome.DECLINE ? 1 : 0;
                s[2] += before == Outcome.REVIEW ? 1 : 0;
                s[3] += after == Outcome.DECLINE ? 1 : 0;
                s[4] += after == Outcome.REVIEW ? 1 : 0;
            }
            countRuleHits(scorer, isFraud);
        }

        Result result(final long entries, final long fromMs, final long elapsedNs, final long damaged,
            final Labels labels, final String candidateRules, final String candidateModel, final String method) {
            return new Result(entries, transactions, fromMs, elapsedNs, damaged, firstTsMs, lastTsMs, labels,
                candidateRules, candidateModel, production, candidate, changed, changedFraud, examples(), scenarios,
                ruleHits, method);
        }

        private void countRuleHits(final Scorer scorer, final boolean isFraud) {
            if (scorer.ruleSet() != hitsOf) {
                hitsOf = scorer.ruleSet();
                final List<Rule> rules = hitsOf.rules();
                hits = new long[rules.size()][];
                for (int i = 0; i < hits.length; i++) {
                    hits[i] = ruleHits.computeIfAbsent(rules.get(i).name(), k -> new long[2]);
                }
            }
            for (int i = 0; i < scorer.firedCount(); i++) {
                final long[] rule = hits[scorer.firedRule(i)];
                rule[0]++;
                rule[1] += isFraud ? 1 : 0;
            }
        }

        private static LongHashSet labelledHashes(final Labels labels) {
            final LongHashSet hashes = new LongHashSet();
            final UnsafeBuffer id = new UnsafeBuffer(new byte[0]);
            for (final java.util.Collection<String> ids : List.of(labels.fraud().keySet(), labels.legit())) {
                for (final String txnId : ids) {
                    final byte[] bytes = txnId.getBytes(StandardCharsets.UTF_8);
                    if (bytes.length != txnId.length()) {
                        return null; // not ASCII: ids are, but a label that is not must still be found
                    }
                    id.wrap(bytes);
                    hashes.add(IdHash.hash(id, 0, bytes.length));
                }
            }
            return hashes;
        }

        List<Change> examples() {
            final List<Change> all = new ArrayList<>();
            examples.forEach(all::addAll);
            all.sort(java.util.Comparator.comparingLong(Change::tsMs));
            return all;
        }

        private static String describe(final DecisionFlyweight d) {
            final StringBuilder sb = new StringBuilder().append(d.outcome()).append(' ').append(d.score()).append(" [");
            for (int i = 0; i < d.reasonCount(); i++) {
                sb.append(i == 0 ? "" : ", ").append(d.reasonCode(i));
            }
            return sb.append(']').toString();
        }
    }
}
