package io.ecap.hotpath.replay;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.scoring.ModelException;

/**
 * Runs one recorded journal entry through an engine again, as the journal has it: what a replay and a backtest do
 * with every entry. After a scored entry, {@link #txn()} and {@link #journaled()} hold its transaction and the
 * decision that was journaled with it.
 */
final class EntryApplier {
    /** No configuration type left out. */
    static final int KEEP_ALL = 0;

    private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight journaled = new DecisionFlyweight();
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();

    /** The bit of a configuration entry type in the {@code leaveOut} mask of {@link #apply}. */
    static int bit(final int entryType) {
        return 1 << entryType;
    }

    /**
     * Applies the entry {@code source} holds.
     *
     * @param leaveOut configuration entry types ({@link #bit} of each) not to make live: a backtest keeps its own
     *                 candidate rules or model for the whole journal
     * @return the engine's answer to a scored entry ({@link Engine#SCORED}, ...), or 0 for any other entry
     */
    int apply(final Engine engine, final JournalReader source, final int leaveOut) {
        switch (source.type()) {
            case EntryType.SCORED -> {
                scored.wrapForDecode(source.buffer(), 0, source.length(), txn, journaled);
                return engine.score(source.buffer(), scored.transactionOffset(), txn.encodedLength());
            }
            case EntryType.LABEL -> engine.label(source.buffer(), 0, source.length());
            case EntryType.USER_EVENT -> engine.userEvent(source.buffer(), 0, source.length());
            case EntryType.PRODUCT_UPDATE -> engine.productUpdate(source.buffer(), 0, source.length());
            case EntryType.CUSTOMER_PROFILE -> engine.customerProfile(source.buffer(), 0, source.length());
            case EntryType.RULE_SET, EntryType.MODEL, EntryType.SETTINGS, EntryType.SHADOW_RULE_SET,
                EntryType.SHADOW_MODEL -> {
                if ((leaveOut & bit(source.type())) == 0) {
                    loadConfig(engine, source);
                }
            }
            case EntryType.LIST_CHANGE ->
                engine.listChange(ListEntryFlyweight.decode(source.buffer(), source.length()));
            case EntryType.SHADOW_DECISION -> engine.scorePendingShadow();
            case EntryType.ERASURE -> engine.erase(ErasureEntryFlyweight.decode(source.buffer(), source.length()));
            default -> throw new IllegalStateException("unknown entry type " + source.type());
        }
        return 0;
    }

    /** The transaction of the last scored entry applied. */
    TransactionFlyweight txn() {
        return txn;
    }

    /** The decision journaled with the last scored entry applied. */
    DecisionFlyweight journaled() {
        return journaled;
    }

    /** The journaled feature vector of the last scored entry applied, into {@code out}. */
    void journaledFeatures(final double[] out) {
        scored.features(out);
    }

    private void loadConfig(final Engine engine, final JournalReader source) {
        config.wrapForDecode(source.buffer(), 0, source.length());
        try {
            engine.reproduceConfig(config.type(), config.text(), config.actor(), config.tsMs());
        } catch (final RuleSetException | ModelException | IllegalArgumentException e) {
            throw new IllegalStateException("journal entry " + Long.toHexString(source.index())
                + " holds a rule set or model this version cannot read: " + e.getMessage(), e);
        }
    }
}
