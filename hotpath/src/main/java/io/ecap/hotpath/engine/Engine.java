package io.ecap.hotpath.engine;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.features.FeatureExtractor;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ScoredIdCheck;
import io.ecap.hotpath.journal.ShadowEntryFlyweight;
import io.ecap.hotpath.lists.EntityLists;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.rules.RuleSet;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.hotpath.state.CrashPoints;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.TxnIndex;
import io.ecap.model.LabelValue;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Currencies;
import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.shard.Shard;
import org.agrona.AsciiSequenceView;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's state machine: {@code (state, event) -> (state', decision)}, with no clock (apart from measuring its
 * own time), no randomness and no I/O except the journal. Owned by one thread.
 *
 * <p>Scoring a transaction: look the id up (a repeat gets the first decision and changes nothing); open the entities;
 * apply the transaction to working copies; compute features and the decision; apply the outcome; write the journal
 * entry (transaction, decision, features); only then publish the entities' new state, the id and the progress mark.
 * A process killed before the journal write leaves no trace; one killed after it is completed by {@link Recovery}.
 *
 * <p>A challenger in the shadow is scored after the answer: {@link #score} marks the entry as followed by the
 * challenger's decision, and {@link #scorePendingShadow} (which the writer calls once the answer is on its way, and
 * every other change calls first) scores it from the same features and journals it as the very next entry.
 */
public final class Engine {
    /** {@link #score} result: a new decision. */
    public static final int SCORED = 1;
    /** {@link #score} result: the transaction was scored before; this is its first decision. */
    public static final int DUPLICATE = 2;
    /**
     * {@link #score} result: the id was scored before with other content; nothing changed. The first entry's journal
     * index is {@link #conflictIndex()}.
     */
    public static final int CONFLICT = 3;

    private static final int MAX_SCORED_ENTRY = ScoredEntryFlyweight.TRANSACTION_OFFSET
        + TransactionFlyweight.MAX_LENGTH + 2 * DecisionFlyweight.MAX_LENGTH + 8 * 1024;

    private final FeatureStore store;
    private final EntrySink sink;
    private final JournalReader lookup;
    private final EngineCounters counters;
    private final Scorer scorer;
    private final ConfigChanges changes;
    private final TransactionEntities entities;
    private final CustomerEvents customerEvents;
    private final Erasures erasures;
    private final EntityLists lists = new EntityLists();
    private final DecisionWriter decisions = new DecisionWriter(lists);
    private final FeatureExtractor extractor = new FeatureExtractor();
    private final double[] features = new double[FeatureCatalog.size()];
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final DecisionFlyweight shadowDecision = new DecisionFlyweight();
    private final Shadow shadow = new Shadow();
    private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
    private final LabelFlyweight label = new LabelFlyweight();
    private final TransactionFlyweight pastTxn = new TransactionFlyweight();
    private final DecisionFlyweight pastDecision = new DecisionFlyweight();
    private final ScoredEntryFlyweight pastEntry = new ScoredEntryFlyweight();
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
    private final ScoredIdCheck idCheck;
    private final AsciiSequenceView idView = new AsciiSequenceView();
    private final UnsafeBuffer entry = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        org.agrona.BitUtil.findNextPositivePowerOfTwo(MAX_SCORED_ENTRY), 64));
    private final UnsafeBuffer shadowEntry = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        org.agrona.BitUtil.findNextPositivePowerOfTwo(ShadowEntryFlyweight.DECISION_OFFSET
            + DecisionFlyweight.MAX_LENGTH), 64));
    private final ExpandableDirectByteBuffer configEntry = new ExpandableDirectByteBuffer(64 * 1024);
    private int decisionOffset;
    private int decisionLength;
    private int listMatch = EntityLists.NONE;
    private Outcome outcome;
    /** The journal index of the scored entry whose challenger's decision is still to be journaled (0: none). */
    private long shadowPendingFor;
    private long conflictIndex;
    /** Sums the prefetching loads, so that the compiler keeps them. */
    private long prefetched;
    private boolean lastLabelMatched;
    private EngineSettings settings = EngineSettings.KEEP_EVERYTHING;
    /** The customers this engine owns ({@link EngineConfig#shard()}); the others' payments and events are refused. */
    private Shard shard = Shard.SINGLE;

    /**
     * @param lookup reads earlier entries (for repeats and labels); in a replay it reads the journal being replayed
     */
    public Engine(final FeatureStore store, final EntrySink sink, final JournalReader lookup, final RuleSet rules,
        final EngineCounters counters) {
        this.store = store;
        this.sink = sink;
        this.lookup = lookup;
        this.counters = counters;
        this.scorer = new Scorer(rules);
        this.changes = new ConfigChanges(store, lookup, counters, scorer, shadow, this::journalConfig);
        this.entities = new TransactionEntities(store);
        this.customerEvents = new CustomerEvents(store, sink, entities, counters);
        this.erasures = new Erasures(store, sink, entities, counters);
        this.idCheck = new ScoredIdCheck(lookup);
    }

    public void shard(final Shard owned) {
        this.shard = owned;
        customerEvents.shard(owned);
    }

    /**
     * Scores one transaction message. The decision is then at {@link #decisionBuffer()}, {@link #decisionOffset()},
     * {@link #decisionLength()}, with its journal index set.
     *
     * @return {@link #SCORED}, {@link #DUPLICATE} or {@link #CONFLICT}.
     */
    public int score(final DirectBuffer message, final int offset, final int length) {
        scorePendingShadow();
        final long startNs = System.nanoTime();
        txn.wrapForDecode(message, offset, length);
        if (shard.sharded()) {
            shard.requireOwned(txn.buffer(), txn.stringOffset(TransactionFlyweight.CUSTOMER_ID),
                txn.stringLength(TransactionFlyweight.CUSTOMER_ID));
        }
        entities.bind(txn, TransactionEntities.ALL_KINDS);
        final long idHash = TxnIndex.hash(txn.view(TransactionFlyweight.TXN_ID, idView));
        prefetched += store.txnIndex().touch(idHash) + entities.prefetch() + sink.prefetchNext();
        final long previous = store.txnIndex().lookupAndReserve(idHash, idView, idCheck);
        if (previous != 0) {
            if (!answerWithPastDecision(previous, message, offset, length)) {
                conflictIndex = previous;
                counters.increment(Counter.CONFLICTS);
                return CONFLICT;
            }
            counters.increment(Counter.DUPLICATES);
            return DUPLICATE;
        }
        final ScoredEntryFlyweight out = scored.wrapForEncode(entry, 0);
        entry.putBytes(out.transactionOffset(), message, offset, length);
        txn.moveTo(entry, out.transactionOffset());
        out.transactionLength(length);
        final long journalIndex;
        try {
            entities.lockUpTo(0, txn.tsMs());
            final double amountCents = Currencies.toUsdCents(txn.amountMinor(), txn.currency());
            entities.applyTransaction(txn, amountCents);
            extractor.extract(txn, amountCents, entities.before(), entities.after(), entities.counterpartHashes(),
                features);
            scorer.score(features);
            listMatch = lists.check(txn);
            outcome = listMatch == EntityLists.NONE ? scorer.outcome() : EntityLists.outcome(listMatch);
            entities.applyOutcome(outcome);
            decisionOffset = out.decisionOffset();
            decisionLength = decisions.write(decision, entry, decisionOffset, txn, scorer, outcome, listMatch);
            final int entryLength = out.finish(decisionLength, features, features.length, FeatureCatalog.VERSION);
            if (shadow.active()) {
                out.markShadowFollows();
            }
            decision.engineNanos(System.nanoTime() - startNs);
            journalIndex = sink.append(entry, 0, entryLength);
        } catch (final RuntimeException e) {
            entities.rollback();
            throw e;
        }
        CrashPoints.reached("journaled");
        entities.commit(journalIndex, txn.tsMs());
        store.txnIndex().record(journalIndex);
        store.appliedThrough(journalIndex);
        CrashPoints.reached("applied");
        store.complete();
        decision.journalIndex(journalIndex);
        counters.decided(outcome, journalIndex);
        shadowPendingFor = out.shadowFollows() ? journalIndex : 0;
        return SCORED;
    }

    /**
     * If the last transaction scored has its challenger's decision still to come: scores the challenger from that
     * transaction's features (block and allow lists decide for it as for the live rules) and journals its decision
     * as the next entry. Returns that entry's journal index, or 0 when nothing was waiting. Every change calls it
     * first, so nothing is journaled between a transaction and its challenger's decision.
     */
    public long scorePendingShadow() {
        final long scoredIndex = shadowPendingFor;
        if (scoredIndex == 0) {
            return 0;
        }
        CrashPoints.reached("shadow");
        final Scorer challenger = shadow.score(features, scorer);
        final Outcome decided = listMatch == EntityLists.NONE ? challenger.outcome() : EntityLists.outcome(listMatch);
        ShadowEntryFlyweight.begin(shadowEntry, 0);
        final int decisionLength = decisions.write(shadowDecision, shadowEntry, ShadowEntryFlyweight.DECISION_OFFSET,
            txn, challenger, decided, listMatch);
        shadowDecision.journalIndex(scoredIndex);
        final long journalIndex = sink.append(shadowEntry, 0,
            ShadowEntryFlyweight.finish(shadowEntry, 0, decisionLength));
        shadowPendingFor = 0; // only once written: a failed append is tried again before any other entry
        counters.shadowDecided(decided, outcome);
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
        return journalIndex;
    }

    /**
     * A repeated id: if its first entry holds the same transaction (byte for byte: the canonical binary form, so field
     * order, number formats and unknown fields do not matter), puts the first decision where {@link #decisionBuffer}
     * points and returns true; if the content differs, returns false (an idempotency conflict).
     */
    private boolean answerWithPastDecision(final long journalIndex, final DirectBuffer message, final int offset,
        final int length) {
        if (!lookup.read(journalIndex) || lookup.type() != EntryType.SCORED) {
            throw new IllegalStateException("transaction index points at journal entry "
                + Long.toHexString(journalIndex) + ", which is not a scored entry");
        }
        pastEntry.wrapForDecode(lookup.buffer(), 0, lookup.length(), pastTxn, pastDecision);
        if (pastTxn.encodedLength() != length
            || !sameBytes(lookup.buffer(), pastTxn.offset(), message, offset, length)) {
            return false;
        }
        decisionOffset = ScoredEntryFlyweight.TRANSACTION_OFFSET + pastTxn.encodedLength();
        decisionLength = pastDecision.encodedLength();
        entry.putBytes(decisionOffset, lookup.buffer(), pastDecision.offset(), decisionLength);
        decision.wrapForDecode(entry, decisionOffset, decisionLength);
        entry.putLong(decisionOffset + DecisionFlyweight.JOURNAL_INDEX_OFFSET, journalIndex, MessageHeader.ORDER);
        return true;
    }

    private static boolean sameBytes(final DirectBuffer a, final int aOffset, final DirectBuffer b,
        final int bOffset, final int length) {
        for (int i = 0; i < length; i++) {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i)) {
                return false;
            }
        }
        return true;
    }

    /** Called by the thread that takes over the engine, before it uses it. */
    void handOverToCurrentThread(final Runnable journalHandOver) {
        journalHandOver.run();
        lookup.handOverToCurrentThread();
    }

    public DirectBuffer decisionBuffer() {
        return entry;
    }

    public int decisionOffset() {
        return decisionOffset;
    }

    public int decisionLength() {
        return decisionLength;
    }

    /** After {@link #CONFLICT}: the journal index of the entry that scored the id first. */
    public long conflictIndex() {
        return conflictIndex;
    }

    /** The feature vector of the last transaction scored (not of a repeat). */
    public double[] features() {
        return features;
    }

    /** Journals a label and applies it (a confirmed fraud counts against the card and the customer). */
    public long label(final DirectBuffer message, final int offset, final int length) {
        scorePendingShadow();
        label.wrapForDecode(message, offset, length);
        final long journalIndex = sink.append(message, offset, length);
        try {
            applyLabel(journalIndex);
            store.appliedThrough(journalIndex);
        } catch (final RuntimeException e) {
            entities.rollback();
            throw e;
        }
        store.complete();
        counters.increment(Counter.LABELS);
        if (!lastLabelMatched) {
            counters.increment(Counter.LABELS_UNMATCHED);
        }
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
        return journalIndex;
    }

    /** True if the last label named a transaction this engine scored. */
    public boolean lastLabelMatched() {
        return lastLabelMatched;
    }

    /**
     * Applies a journaled label (live or in recovery); {@link #label} must be wrapped. The first FRAUD label of a
     * transaction counts against its card and customer, if they are still the ones that made it (an erased or
     * retired one is not brought back); later ones (a chargeback sent twice) change nothing. LEGIT labels are
     * journaled for the lake and training and do not change features.
     */
    private void applyLabel(final long journalIndex) {
        final long scoredAt = store.txnIndex().lookup(label.txnId(idView), idCheck);
        lastLabelMatched = scoredAt != 0;
        if (!lastLabelMatched || label.label() != LabelValue.FRAUD
            || store.txnIndex().isFraudLabelled(idView, idCheck)) {
            return;
        }
        if (!lookup.read(scoredAt)) {
            throw new IllegalStateException("labelled transaction's entry " + Long.toHexString(scoredAt)
                + " is missing from the journal");
        }
        pastEntry.wrapForDecode(lookup.buffer(), 0, lookup.length(), pastTxn, pastDecision);
        entities.bind(pastTxn, TransactionEntities.kinds(EntityKind.CARD, EntityKind.CUSTOMER));
        if (entities.lockExistingSince(journalIndex, label.tsMs(), pastTxn.tsMs()) > 0) {
            entities.applyFraudLabel();
            entities.commit(journalIndex, label.tsMs());
        }
        store.txnIndex().markFraudLabelled(label.txnId(idView), idCheck);
    }

    /** Journals a clickstream event and counts it for the customer. */
    public long userEvent(final DirectBuffer message, final int offset, final int length) {
        scorePendingShadow();
        return customerEvents.userEvent(message, offset, length);
    }

    /** Journals a product update (the lake uses it; scoring does not). */
    public long productUpdate(final DirectBuffer message, final int offset, final int length) {
        scorePendingShadow();
        return customerEvents.productUpdate(message, offset, length);
    }

    /** Journals a customer profile from the lake and makes it the customer's ({@link CustomerEvents}). */
    public long customerProfile(final DirectBuffer message, final int offset, final int length) {
        scorePendingShadow();
        return customerEvents.customerProfile(message, offset, length);
    }

    /**
     * Validates, journals and activates a rule set. An invalid one changes nothing, and so does one whose
     * {@code name@version} went live before with other content (a label names one content for good).
     */
    public long loadRuleSet(final String text, final String actor, final long tsMs) throws RuleSetException {
        scorePendingShadow();
        return changes.loadRuleSet(text, actor, tsMs, true);
    }

    /**
     * Validates, journals and activates a model. An invalid one changes nothing. An empty text takes the live model
     * away (rules only).
     */
    public long loadModel(final String text, final String actor, final long tsMs) throws ModelException {
        scorePendingShadow();
        return changes.loadModel(text, actor, tsMs, true);
    }

    /**
     * Validates, journals and sets the challenger's rule set or model ({@code type} {@link EntryType#SHADOW_RULE_SET}
     * or {@link EntryType#SHADOW_MODEL}); an empty text takes that part of the challenger away. An invalid one
     * changes nothing, and so does one whose {@code name@version} went live before, live or in the shadow, with
     * other content.
     */
    public long loadShadow(final int type, final String text, final String actor, final long tsMs)
        throws RuleSetException, ModelException {
        scorePendingShadow();
        return changes.loadShadow(type, text, actor, tsMs, true);
    }

    /** Any configuration change by entry type: rule set, model, or a part of the challenger. */
    public long loadConfig(final int type, final String text, final String actor, final long tsMs)
        throws RuleSetException, ModelException {
        return switch (type) {
            case EntryType.RULE_SET -> loadRuleSet(text, actor, tsMs);
            case EntryType.MODEL -> loadModel(text, actor, tsMs);
            case EntryType.SHADOW_RULE_SET, EntryType.SHADOW_MODEL -> loadShadow(type, text, actor, tsMs);
            default -> throw new IllegalArgumentException("not a configuration entry type: " + type);
        };
    }

    /** The challenger's rule set, or null (none: the live one stands in). */
    public RuleSet shadowRuleSet() {
        return shadow.rules();
    }

    /** The challenger's model, or null (none: the live one stands in). */
    public Model shadowModel() {
        return shadow.model();
    }

    /**
     * A replay: makes a journaled rule set, model or settings entry live again as the journal has it, without the
     * checks that apply to new changes (a journal is history, whatever it holds).
     */
    public long reproduceConfig(final int type, final String text, final String actor, final long tsMs)
        throws RuleSetException, ModelException {
        scorePendingShadow();
        return switch (type) {
            case EntryType.RULE_SET -> changes.loadRuleSet(text, actor, tsMs, false);
            case EntryType.MODEL -> changes.loadModel(text, actor, tsMs, false);
            case EntryType.SETTINGS -> loadSettings(EngineSettings.parse(text), actor, tsMs);
            case EntryType.SHADOW_RULE_SET, EntryType.SHADOW_MODEL ->
                changes.loadShadow(type, text, actor, tsMs, false);
            default -> throw new IllegalArgumentException("not a configuration entry type: " + type);
        };
    }

    /**
     * Journals and applies a block or allow list change, unless a change with the same or a later stream id was
     * applied before (the change was read twice from the stream): then nothing changes and the result is 0. A replay
     * passes each journaled change through here again, in journal order.
     *
     * @return the change's journal index, or 0 if it was applied before
     */
    public long listChange(final ListChange change) {
        scorePendingShadow();
        if (!lists.isNew(change)) {
            return 0;
        }
        configEntry.checkLimit(ListEntryFlyweight.MAX_LENGTH);
        final int length = ListEntryFlyweight.encode(configEntry, change, store.meta().listIndex());
        final long journalIndex = sink.append(configEntry, 0, length);
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
        lists.apply(change);
        store.listIndex(journalIndex);
        store.appliedThrough(journalIndex);
        store.complete();
        counters.increment(Counter.LIST_CHANGES);
        return journalIndex;
    }

    /** Erases an entity from the state and journals it ({@link Erasures}); returns the journal index. */
    public long erase(final Erasure erasure) {
        scorePendingShadow();
        return erasures.erase(erasure);
    }

    /** Records the last {@link #erase} erased (0: the state held no such entity). */
    public int lastErased() {
        return erasures.lastErased();
    }

    /** The block and allow lists in force. */
    public EntityLists lists() {
        return lists;
    }

    /** Journals and activates engine settings (retention). */
    public long loadSettings(final EngineSettings next, final String actor, final long tsMs) {
        scorePendingShadow();
        final long journalIndex = journalConfig(EntryType.SETTINGS, next.text(), actor, tsMs);
        settings(next);
        store.settingsIndex(journalIndex);
        store.appliedThrough(journalIndex);
        store.complete();
        return journalIndex;
    }

    private void settings(final EngineSettings next) {
        settings = next;
        entities.settings(next);
    }

    /** The engine settings in force. */
    public EngineSettings settings() {
        return settings;
    }

    private long journalConfig(final int type, final String text, final String actor, final long tsMs) {
        configEntry.checkLimit(ConfigEntryFlyweight.maxLength(text.length() * 3));
        final int length = ConfigEntryFlyweight.encode(configEntry, 0, type, tsMs, actor, text);
        final long journalIndex = sink.append(configEntry, 0, length);
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
        return journalIndex;
    }

    public RuleSet ruleSet() {
        return scorer.ruleSet();
    }

    /** The live scorer, as it was for the last transaction scored (a backtest reads which rules fired). */
    public Scorer scorer() {
        return scorer;
    }

    /** The live model, or null. */
    public Model model() {
        return scorer.model();
    }

    /**
     * Recovery: applies the effects of an already journaled entry, which {@code reader} holds, to the maps. Entities
     * that already reflect it are left alone.
     */
    void applyJournaled(final JournalReader reader) {
        final long journalIndex = reader.index();
        switch (reader.type()) {
            case EntryType.SCORED -> {
                scored.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                entities.bind(txn, TransactionEntities.ALL_KINDS);
                if (entities.lockUpTo(journalIndex, txn.tsMs()) > 0) {
                    entities.applyTransaction(txn, Currencies.toUsdCents(txn.amountMinor(), txn.currency()));
                    entities.applyOutcome(decision.outcome());
                    entities.commit(journalIndex, txn.tsMs());
                }
                store.txnIndex().putIfAbsent(txn.view(TransactionFlyweight.TXN_ID, idView), journalIndex, idCheck);
            }
            case EntryType.LABEL -> {
                label.wrapForDecode(reader.buffer(), 0, reader.length());
                applyLabel(journalIndex);
            }
            case EntryType.USER_EVENT, EntryType.PRODUCT_UPDATE, EntryType.CUSTOMER_PROFILE ->
                customerEvents.applyJournaled(reader, journalIndex);
            case EntryType.RULE_SET, EntryType.MODEL, EntryType.SETTINGS, EntryType.SHADOW_RULE_SET,
                EntryType.SHADOW_MODEL -> activateJournaled(reader, journalIndex);
            case EntryType.LIST_CHANGE -> {
                lists.apply(ListEntryFlyweight.decode(reader.buffer(), reader.length()));
                store.listIndex(journalIndex);
            }
            case EntryType.SHADOW_DECISION -> {
                // the challenger's decision changes no state
            }
            case EntryType.ERASURE -> erasures.applyJournaled(reader);
            default -> throw new IllegalStateException("unknown journal entry type " + reader.type() + " at "
                + Long.toHexString(journalIndex));
        }
        store.appliedThrough(journalIndex);
        store.complete();
        counters.set(Counter.JOURNAL_INDEX, journalIndex);
    }

    /**
     * Recovery, with the journal's last entry in {@code reader}: if it is a transaction whose challenger's decision
     * was still to come when the process stopped, scores the challenger from the journaled features (the rules,
     * model, challenger and lists are as they were: nothing was journaled after it) and journals its decision, so
     * that it follows its transaction as always. Returns true if it wrote one.
     */
    boolean completeShadow(final JournalReader reader) {
        if (reader.type() != EntryType.SCORED) {
            return false;
        }
        entry.putBytes(0, reader.buffer(), 0, reader.length());
        scored.wrapForDecode(entry, 0, reader.length(), txn, decision);
        if (!scored.shadowFollows()) {
            return false;
        }
        if (!shadow.active() || scored.featureCount() > features.length) {
            throw new IllegalStateException("journal entry " + Long.toHexString(reader.index()) + " waits for the "
                + "challenger's decision, but " + (shadow.active() ? "holds more features than this version knows"
                : "no challenger is set"));
        }
        java.util.Arrays.fill(features, Double.NaN);
        scored.features(features);
        listMatch = lists.check(txn);
        outcome = decision.outcome();
        shadowPendingFor = reader.index();
        return scorePendingShadow() != 0;
    }

    /** Ends a change made outside {@link #applyJournaled} (recovery's activations). */
    void completeChange() {
        store.complete();
    }

    /** Makes a journaled rule set, model, settings or shadow entry the live one. */
    void activateJournaled(final JournalReader reader, final long journalIndex) {
        config.wrapForDecode(reader.buffer(), 0, reader.length());
        try {
            if (config.type() == EntryType.SETTINGS) {
                settings(EngineSettings.parse(config.text()));
                store.settingsIndex(journalIndex);
                return;
            }
            changes.activate(config.type(), config.text(), journalIndex);
        } catch (final RuleSetException | ModelException | IllegalArgumentException e) {
            throw new IllegalStateException("journal entry " + Long.toHexString(journalIndex)
                + " holds a rule set or model this version cannot read: " + e.getMessage(), e);
        }
    }
}
