package io.ecap.hotpath.engine;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSet;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.hotpath.state.ConfigHistory;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.scoring.ConfigText;
import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's rule sets and models changing: the live ones (in the engine's {@link Scorer}) and the challenger's
 * (in its {@link Shadow}). A new one is validated, journaled, then made live, as one change of the state; a journaled
 * one is made live again in recovery and replay. Owned by the writer.
 */
final class ConfigChanges {
    /** Writes a configuration entry to the journal; returns its index. */
    @FunctionalInterface
    interface Journaler {
        long journal(int type, String text, String actor, long tsMs);
    }

    private final FeatureStore store;
    private final JournalReader lookup;
    private final EngineCounters counters;
    private final Scorer scorer;
    private final Shadow shadow;
    private final Journaler journaler;
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();

    ConfigChanges(final FeatureStore store, final JournalReader lookup, final EngineCounters counters,
        final Scorer scorer, final Shadow shadow, final Journaler journaler) {
        this.store = store;
        this.lookup = lookup;
        this.counters = counters;
        this.scorer = scorer;
        this.shadow = shadow;
        this.journaler = journaler;
    }

    /** A rule set going live; {@code checkLabel} false for a replay (a journal is history, whatever it holds). */
    long loadRuleSet(final String text, final String actor, final long tsMs, final boolean checkLabel)
        throws RuleSetException {
        final RuleSet rules = RuleParser.parse(text);
        if (checkLabel && labelTaken(EntryType.RULE_SET, rules.label(), text)) {
            throw new RuleSetException(List.of(taken("rule set ", rules.label())));
        }
        final long journalIndex = journaler.journal(EntryType.RULE_SET, text, actor, tsMs);
        scorer.rules(rules);
        store.history().append(EntryType.RULE_SET, journalIndex);
        store.ruleSetIndex(journalIndex);
        finish(journalIndex);
        counters.increment(Counter.RULE_SETS_LOADED);
        return journalIndex;
    }

    /** A model going live, or none (an empty text: rules only). */
    long loadModel(final String text, final String actor, final long tsMs, final boolean checkLabel)
        throws ModelException {
        final Model model = checkLabel ? modelOf(text) : journaledModelOf(text);
        if (checkLabel && model != null && labelTaken(EntryType.MODEL, model.label(), text)) {
            throw new ModelException(taken("model ", model.label()));
        }
        final long journalIndex = journaler.journal(EntryType.MODEL, text, actor, tsMs);
        scorer.model(model);
        store.history().append(EntryType.MODEL, journalIndex);
        store.modelIndex(journalIndex);
        finish(journalIndex);
        counters.increment(Counter.MODELS_LOADED);
        return journalIndex;
    }

    /** The challenger's rule set or model ({@link EntryType#SHADOW_RULE_SET}, {@link EntryType#SHADOW_MODEL}). */
    long loadShadow(final int type, final String text, final String actor, final long tsMs,
        final boolean checkLabel) throws RuleSetException, ModelException {
        final boolean rules = type == EntryType.SHADOW_RULE_SET;
        if (!rules && type != EntryType.SHADOW_MODEL) {
            throw new IllegalArgumentException("not a shadow entry type: " + type);
        }
        final RuleSet challengerRules = rules && !text.isEmpty() ? RuleParser.parse(text) : null;
        final Model challengerModel = rules ? null : checkLabel ? modelOf(text) : journaledModelOf(text);
        final String label = challengerRules != null ? challengerRules.label()
            : challengerModel != null ? challengerModel.label() : null;
        if (checkLabel && label != null && labelTaken(rules ? EntryType.RULE_SET : EntryType.MODEL, label, text)) {
            if (rules) {
                throw new RuleSetException(List.of(taken("rule set ", label)));
            }
            throw new ModelException(taken("model ", label));
        }
        final long journalIndex = journaler.journal(type, text, actor, tsMs);
        activateShadow(type, challengerRules, challengerModel, journalIndex);
        finish(journalIndex);
        return journalIndex;
    }

    /** Recovery: makes a journaled rule set, model or part of the challenger live again (not settings). */
    void activate(final int type, final String text, final long journalIndex)
        throws RuleSetException, ModelException {
        switch (type) {
            case EntryType.RULE_SET -> {
                scorer.rules(RuleParser.parse(text));
                store.ruleSetIndex(journalIndex);
                store.history().append(type, journalIndex);
            }
            case EntryType.MODEL -> {
                scorer.model(journaledModelOf(text));
                store.modelIndex(journalIndex);
                store.history().append(type, journalIndex);
            }
            case EntryType.SHADOW_RULE_SET -> activateShadow(type, text.isEmpty() ? null : RuleParser.parse(text),
                null, journalIndex);
            case EntryType.SHADOW_MODEL -> activateShadow(type, null, journaledModelOf(text), journalIndex);
            default -> throw new IllegalArgumentException("not a rule set or model entry type: " + type);
        }
    }

    private void activateShadow(final int type, final RuleSet challengerRules, final Model challengerModel,
        final long journalIndex) {
        if (type == EntryType.SHADOW_RULE_SET) {
            shadow.rules(challengerRules, scorer);
            store.shadowRuleSetIndex(journalIndex);
        } else {
            shadow.model(challengerModel, scorer);
            store.shadowModelIndex(journalIndex);
        }
        store.history().append(type, journalIndex);
    }

    private void finish(final long journalIndex) {
        store.appliedThrough(journalIndex);
        store.complete();
    }

    private static String taken(final String what, final String label) {
        return what + label + " went live or into the shadow before with other content: give the change a new "
            + "version";
    }

    /**
     * True if a rule set ({@code type} {@link EntryType#RULE_SET}) or model with this label but another text went
     * live before, live or in the shadow. Reads the history's journaled texts (changes are rare; this runs on the
     * writer, so two uploads racing under one label cannot both pass).
     */
    private boolean labelTaken(final int type, final String label, final String text) {
        final List<ConfigHistory.Change> changes = new ArrayList<>(store.history().list(type));
        changes.addAll(store.history().list(type == EntryType.RULE_SET ? EntryType.SHADOW_RULE_SET
            : EntryType.SHADOW_MODEL));
        for (final ConfigHistory.Change change : changes) {
            if (!lookup.read(change.journalIndex())) {
                continue;
            }
            config.wrapForDecode(lookup.buffer(), 0, lookup.length());
            final String earlier = config.text();
            if (ConfigText.same(earlier, text) || earlier.isEmpty()) {
                continue;
            }
            try {
                final String earlierLabel = type == EntryType.RULE_SET ? RuleParser.parse(earlier).label()
                    : ModelParser.parseJournaled(earlier, FeatureCatalog.forModels()).label();
                if (earlierLabel.equals(label)) {
                    return true;
                }
            } catch (final RuleSetException | ModelException e) {
                // a text this version cannot read names no label it could clash with
            }
        }
        return false;
    }

    /**
     * The model a journaled model text stands for: an empty text is the change back to rules only (no model), so
     * that taking a model away is journaled like putting one live.
     */
    private static Model modelOf(final String text) throws ModelException {
        return text.isEmpty() ? null : ModelParser.parse(text, FeatureCatalog.forModels());
    }

    /** As {@link #modelOf}, for a text read from the journal ({@link ModelParser#parseJournaled}). */
    private static Model journaledModelOf(final String text) throws ModelException {
        return text.isEmpty() ? null : ModelParser.parseJournaled(text, FeatureCatalog.forModels());
    }
}
