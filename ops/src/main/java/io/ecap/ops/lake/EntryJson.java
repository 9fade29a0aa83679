package io.ecap.ops.lake;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ShadowDecisions;
import io.ecap.hotpath.journal.ShadowEntryFlyweight;
import io.ecap.hotpath.state.Erasure;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.field.Timestamps;
import io.ecap.model.json.DecisionJson;
import io.ecap.model.json.JsonWriter;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;

/**
 * A journal entry as one JSON object: {@code index}, {@code type}, {@code ts} (the event time of what it records) and
 * the entry itself: {@code transaction} and {@code decision} (and {@code features}, every value the engine used, by
 * name; and {@code shadow}, the challenger's decision, while one was in the shadow) for a scored transaction;
 * {@code label}, {@code event} or {@code update}; {@code actor} and {@code text} for a rule set or model;
 * {@code scoredIndex} and {@code decision} for the challenger's decision (the entry after its transaction, whose line
 * has it as {@code shadow} too). The form of {@code ecap journal} and of the lake export. One instance per thread.
 */
public final class EntryJson {
    private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final DecisionFlyweight shadowDecision = new DecisionFlyweight();
    private final LabelFlyweight label = new LabelFlyweight();
    private final UserEventFlyweight event = new UserEventFlyweight();
    private final ProductUpdateFlyweight product = new ProductUpdateFlyweight();
    private final CustomerProfileFlyweight profile = new CustomerProfileFlyweight();
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();
    private final TransactionJson txnJson = new TransactionJson();
    private final DecisionJson decisionJson = new DecisionJson();
    private final LabelJson labelJson = new LabelJson();
    private final UserEventJson eventJson = new UserEventJson();
    private final ProductUpdateJson productJson = new ProductUpdateJson();
    private final CustomerProfileJson profileJson = new CustomerProfileJson();
    private final JsonWriter writer = new JsonWriter();
    private double[] values = new double[0];
    private String txnId;

    /**
     * Writes the reader's current entry; {@code withFeatures} adds the feature values of scored entries, and
     * {@code shadows} finds their challenger's decisions. Returns the writer, valid until the next call.
     */
    public JsonWriter write(final JournalReader r, final boolean withFeatures, final ShadowDecisions shadows) {
        txnId = null;
        final JsonWriter w = writer.reset().beginObject();
        w.name("index").value(r.index()).name("type").value(EntryType.name(r.type()));
        switch (r.type()) {
            case EntryType.SCORED -> {
                scored.wrapForDecode(r.buffer(), 0, r.length(), txn, decision);
                txnId = txn.string(TransactionFlyweight.TXN_ID);
                w.name("ts").value(Timestamps.formatIso(txn.tsMs()));
                w.name("transaction");
                txnJson.write(txn, w);
                w.name("decision");
                decisionJson.write(decision, r.index(), w);
                final DecisionFlyweight challenger = shadows.of(scored, r.index());
                if (challenger != null) {
                    w.name("shadow");
                    decisionJson.write(challenger, r.index(), w);
                }
                if (withFeatures) {
                    if (values.length != scored.featureCount()) {
                        values = new double[scored.featureCount()];
                    }
                    scored.features(values);
                    w.name("features").beginObject();
                    for (int i = 0; i < values.length; i++) {
                        w.name(FeatureCatalog.name(i)).value(values[i]);
                    }
                    w.endObject();
                }
            }
            case EntryType.LABEL -> {
                label.wrapForDecode(r.buffer(), 0, r.length());
                txnId = label.txnId();
                w.name("ts").value(Timestamps.formatIso(label.tsMs())).name("label");
                labelJson.write(label, w);
            }
            case EntryType.USER_EVENT -> {
                event.wrapForDecode(r.buffer(), 0, r.length());
                w.name("ts").value(Timestamps.formatIso(event.tsMs())).name("event");
                eventJson.write(event, w);
            }
            case EntryType.PRODUCT_UPDATE -> {
                product.wrapForDecode(r.buffer(), 0, r.length());
                w.name("ts").value(Timestamps.formatIso(product.tsMs())).name("update");
                productJson.write(product, w);
            }
            case EntryType.CUSTOMER_PROFILE -> {
                profile.wrapForDecode(r.buffer(), 0, r.length());
                w.name("ts").value(Timestamps.formatIso(profile.tsMs())).name("profile");
                profileJson.write(profile, w);
            }
            case EntryType.SHADOW_DECISION -> {
                ShadowEntryFlyweight.decode(r.buffer(), 0, r.length(), shadowDecision);
                txnId = shadowDecision.string(DecisionFlyweight.TXN_ID);
                w.name("scoredIndex").value(shadowDecision.journalIndex()).name("decision");
                decisionJson.write(shadowDecision, shadowDecision.journalIndex(), w);
            }
            case EntryType.LIST_CHANGE -> {
                final ListChange change = ListEntryFlyweight.decode(r.buffer(), r.length());
                w.name("ts").value(Timestamps.formatIso(change.tsMs())).name("actor").value(change.actor())
                    .name("list").value(change.list().label()).name("kind").value(change.kind().label())
                    .name("op").value(change.add() ? "add" : "remove").name("value").value(change.value())
                    .name("reason").value(change.reason()).name("streamId").value(change.streamId());
            }
            case EntryType.ERASURE -> {
                final Erasure erasure = ErasureEntryFlyweight.decode(r.buffer(), r.length());
                w.name("ts").value(Timestamps.formatIso(erasure.tsMs())).name("actor").value(erasure.actor())
                    .name("kind").value(erasure.kind().prefix())
                    .name("idHash").value(String.format("%016x", erasure.idHash()))
                    .name("records").value(ErasureEntryFlyweight.erased(r.buffer())).name("reason")
                    .value(erasure.reason());
            }
            default -> {
                config.wrapForDecode(r.buffer(), 0, r.length());
                w.name("ts").value(Timestamps.formatIso(config.tsMs())).name("actor").value(config.actor())
                    .name("text").value(config.text());
            }
        }
        return w.endObject();
    }

    /** The transaction the last entry written is about (scored entries and labels), or null. */
    public String txnId() {
        return txnId;
    }
}
