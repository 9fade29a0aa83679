package io.ecap.tailer;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ShadowDecisions;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.Channel;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Currencies;
import io.ecap.tailer.columns.FeatureArrayColumn;
import io.ecap.tailer.columns.IntColumn;
import io.ecap.tailer.columns.LongColumn;
import io.ecap.tailer.columns.ReasonListColumn;
import io.ecap.tailer.columns.StringColumn;
import java.util.List;

/**
 * The seven bronze tables fed from the journal, with the columns (names, types, values) of the Spark loader's
 * {@code BronzeTable}: decisions, labels, user_events, product_updates, config_changes, list_changes, erasures
 * (committed last in every batch, so that an erasure is never in bronze before the entries journaled ahead of it).
 */
final class BronzeTables {
    private BronzeTables() {
    }

    /** A new set of the seven tables' row builders, in commit order. */
    static List<TableRows> all() {
        return List.of(new Decisions(), new Labels(), new UserEvents(), new ProductUpdates(), new ConfigChanges(),
            new ListChanges(), new Erasures());
    }

    /** Scored transactions: the transaction, the decision, every feature value, the shadow's decision. */
    static final class Decisions extends TableRows {
        private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
        private final TransactionFlyweight txn = new TransactionFlyweight();
        private final DecisionFlyweight decision = new DecisionFlyweight();
        private final DecisionFlyweight shadow = new DecisionFlyweight();
        private final StringColumn txnId = column("txn_id", new StringColumn());
        private final StringColumn customerId = column("customer_id", new StringColumn());
        private final StringColumn cardId = column("card_id", new StringColumn());
        private final StringColumn merchantId = column("merchant_id", new StringColumn());
        private final StringColumn deviceId = column("device_id", new StringColumn());
        private final StringColumn ip = column("ip", new StringColumn());
        private final StringColumn amount = column("amount", new StringColumn());
        private final StringColumn currency = column("currency", new StringColumn());
        private final StringColumn country = column("country", new StringColumn());
        private final StringColumn channel = column("channel", new StringColumn());
        private final StringColumn bin = column("bin", new StringColumn());
        private final StringColumn outcome = column("decision", new StringColumn());
        private final IntColumn score = column("score", IntColumn.integer());
        private final StringColumn ruleSet = column("rule_set_version", new StringColumn());
        private final StringColumn model = column("model_version", new StringColumn());
        private final ReasonListColumn reasons = column("reasons", new ReasonListColumn());
        private final FeatureArrayColumn features = column("features",
            new FeatureArrayColumn(FeatureCatalog.names().size()));
        private final StringColumn shadowOutcome = column("shadow_decision", new StringColumn());
        private final IntColumn shadowScore = column("shadow_score", IntColumn.integer());
        private final StringColumn shadowRuleSet = column("shadow_rule_set_version", new StringColumn());
        private final StringColumn shadowModel = column("shadow_model_version", new StringColumn());
        private double[] values = new double[FeatureCatalog.names().size()];
        private ShadowDecisions shadows;

        Decisions() {
            super("decisions");
            declared();
        }

        /** Where the challenger's decisions are found: the entry after each scored one ({@link ShadowDecisions}). */
        void shadowsFrom(final ShadowDecisions decisions) {
            this.shadows = decisions;
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.SCORED;
        }

        @Override
        long addColumns(final JournalReader r) {
            scored.wrapForDecode(r.buffer(), 0, r.length(), txn, decision);
            txnId.add(txn.string(TransactionFlyweight.TXN_ID));
            customerId.add(txn.string(TransactionFlyweight.CUSTOMER_ID));
            cardId.add(txn.string(TransactionFlyweight.CARD_ID));
            merchantId.add(txn.string(TransactionFlyweight.MERCHANT_ID));
            deviceId.add(txn.string(TransactionFlyweight.DEVICE_ID));
            ip.add(txn.string(TransactionFlyweight.IP));
            amount.add(decimal(txn.amountMinor(), Currencies.exponentOf(txn.currency())));
            currency.add(Currencies.codeOf(txn.currency()));
            country.add(txn.country() == Countries.ABSENT ? null : Countries.unpack(txn.country()));
            channel.add(txn.channel() == Channel.ABSENT ? null : Channel.ofCode(txn.channel()).name());
            bin.add(txn.string(TransactionFlyweight.BIN));
            addDecision(decision, outcome, score, ruleSet, model);
            reasons.startRow();
            for (int i = 0; i < decision.reasonCount(); i++) {
                reasons.addReason(decision.reasonCode(i), decision.reasonDetail(i), decision.reasonValue(i));
            }
            if (values.length < scored.featureCount()) {
                values = new double[scored.featureCount()];
            }
            scored.features(values);
            features.add(values, scored.featureCount());
            final DecisionFlyweight challenger = shadows != null ? shadows.of(scored, r.index())
                : scored.hasShadow() ? scored.shadow(shadow) : null;
            if (challenger != null) {
                addDecision(challenger, shadowOutcome, shadowScore, shadowRuleSet, shadowModel);
            } else {
                shadowOutcome.addNull();
                shadowScore.addNull();
                shadowRuleSet.addNull();
                shadowModel.addNull();
            }
            return txn.tsMs();
        }

        private static void addDecision(final DecisionFlyweight d, final StringColumn outcome, final IntColumn score,
            final StringColumn ruleSet, final StringColumn model) {
            outcome.add(d.outcome().name());
            score.add(d.score());
            ruleSet.add(text(d.string(DecisionFlyweight.RULE_SET_VERSION)));
            model.add(text(d.string(DecisionFlyweight.MODEL_VERSION)));
        }

        /** A version the export always writes, empty when there is none. */
        private static String text(final String s) {
            return s == null ? "" : s;
        }
    }

    /** Verdicts on transactions: chargebacks, analysts' decisions. */
    static final class Labels extends TableRows {
        private final LabelFlyweight label = new LabelFlyweight();
        private final StringColumn txnId = column("txn_id", new StringColumn());
        private final StringColumn value = column("label", new StringColumn());
        private final StringColumn source = column("source", new StringColumn());

        Labels() {
            super("labels");
            declared();
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.LABEL;
        }

        @Override
        long addColumns(final JournalReader r) {
            label.wrapForDecode(r.buffer(), 0, r.length());
            txnId.add(label.txnId());
            value.add(label.label().name());
            source.add(label.source().name());
            return label.tsMs();
        }
    }

    /** The shop's clickstream. */
    static final class UserEvents extends TableRows {
        private final UserEventFlyweight event = new UserEventFlyweight();
        private final StringColumn eventId = column("event_id", new StringColumn());
        private final StringColumn sessionId = column("session_id", new StringColumn());
        private final StringColumn customerId = column("customer_id", new StringColumn());
        private final StringColumn eventType = column("event_type", new StringColumn());
        private final StringColumn productId = column("product_id", new StringColumn());
        private final StringColumn channel = column("channel", new StringColumn());
        private final StringColumn campaign = column("campaign", new StringColumn());
        private final StringColumn amount = column("amount", new StringColumn());
        private final StringColumn currency = column("currency", new StringColumn());

        UserEvents() {
            super("user_events");
            declared();
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.USER_EVENT;
        }

        @Override
        long addColumns(final JournalReader r) {
            event.wrapForDecode(r.buffer(), 0, r.length());
            eventId.add(event.string(UserEventFlyweight.EVENT_ID));
            sessionId.add(event.string(UserEventFlyweight.SESSION_ID));
            customerId.add(event.string(UserEventFlyweight.CUSTOMER_ID));
            eventType.add(event.type().jsonName());
            productId.add(event.string(UserEventFlyweight.PRODUCT_ID));
            channel.add(event.channel() == Channel.ABSENT ? null : Channel.ofCode(event.channel()).name());
            campaign.add(event.string(UserEventFlyweight.CAMPAIGN));
            final boolean priced = event.currency() != Currencies.ABSENT;
            amount.add(priced ? decimal(event.amountMinor(), Currencies.exponentOf(event.currency())) : null);
            currency.add(priced ? Currencies.codeOf(event.currency()) : null);
            return event.tsMs();
        }
    }

    /** The catalogue's changes: prices, stock, categories. */
    static final class ProductUpdates extends TableRows {
        private final ProductUpdateFlyweight update = new ProductUpdateFlyweight();
        private final StringColumn productId = column("product_id", new StringColumn());
        private final StringColumn price = column("price", new StringColumn());
        private final StringColumn currency = column("currency", new StringColumn());
        private final LongColumn stock = column("stock", LongColumn.bigint());
        private final StringColumn category = column("category", new StringColumn());

        ProductUpdates() {
            super("product_updates");
            declared();
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.PRODUCT_UPDATE;
        }

        @Override
        long addColumns(final JournalReader r) {
            update.wrapForDecode(r.buffer(), 0, r.length());
            productId.add(update.string(ProductUpdateFlyweight.PRODUCT_ID));
            final boolean priced = update.priceMinor() != ProductUpdateFlyweight.ABSENT;
            price.add(priced ? decimal(update.priceMinor(), Currencies.exponentOf(update.currency())) : null);
            currency.add(priced ? Currencies.codeOf(update.currency()) : null);
            if (update.stock() != ProductUpdateFlyweight.ABSENT) {
                stock.add(update.stock());
            } else {
                stock.addNull();
            }
            category.add(update.string(ProductUpdateFlyweight.CATEGORY));
            return update.tsMs();
        }
    }

    /** Rule sets, models and settings that went live, and challengers put in the shadow. */
    static final class ConfigChanges extends TableRows {
        private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
        private final StringColumn kind = column("kind", new StringColumn());
        private final StringColumn actor = column("actor", new StringColumn());
        private final StringColumn text = column("text", new StringColumn());

        ConfigChanges() {
            super("config_changes");
            declared();
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.RULE_SET || type == EntryType.MODEL || type == EntryType.SETTINGS
                || type == EntryType.SHADOW_RULE_SET || type == EntryType.SHADOW_MODEL;
        }

        @Override
        long addColumns(final JournalReader r) {
            config.wrapForDecode(r.buffer(), 0, r.length());
            kind.add(EntryType.name(r.type()));
            actor.add(config.actor());
            text.add(config.text());
            return config.tsMs();
        }
    }

    /** Block and allow list changes as the engine applied them. */
    static final class ListChanges extends TableRows {
        private final StringColumn list = column("list", new StringColumn());
        private final StringColumn kind = column("kind", new StringColumn());
        private final StringColumn op = column("op", new StringColumn());
        private final StringColumn value = column("value", new StringColumn());
        private final StringColumn reason = column("reason", new StringColumn());
        private final StringColumn actor = column("actor", new StringColumn());
        private final StringColumn streamId = column("stream_id", new StringColumn());

        ListChanges() {
            super("list_changes");
            declared();
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.LIST_CHANGE;
        }

        @Override
        long addColumns(final JournalReader r) {
            final ListChange change = ListEntryFlyweight.decode(r.buffer(), r.length());
            list.add(change.list().label());
            kind.add(change.kind().label());
            op.add(change.add() ? "add" : "remove");
            value.add(change.value());
            reason.add(change.reason());
            actor.add(change.actor());
            streamId.add(change.streamId());
            return change.tsMs();
        }
    }

    /** Entities erased from the engine's state: kind, the id's hash (never the id), records erased, who and why. */
    static final class Erasures extends TableRows {
        private final StringColumn kind = column("kind", new StringColumn());
        private final StringColumn idHash = column("id_hash", new StringColumn());
        private final LongColumn records = column("records", LongColumn.bigint());
        private final StringColumn actor = column("actor", new StringColumn());
        private final StringColumn reason = column("reason", new StringColumn());

        Erasures() {
            super("erasures");
            declared();
        }

        @Override
        boolean takes(final int type) {
            return type == EntryType.ERASURE;
        }

        @Override
        long addColumns(final JournalReader r) {
            final Erasure erasure = ErasureEntryFlyweight.decode(r.buffer(), r.length());
            kind.add(erasure.kind().prefix());
            idHash.add(String.format("%016x", erasure.idHash()));
            records.add(ErasureEntryFlyweight.erased(r.buffer()));
            actor.add(erasure.actor());
            reason.add(erasure.reason());
            return erasure.tsMs();
        }
    }
}
