package io.ecap.ops.cli;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.LabelFlyweight;
import io.ecap.model.binary.ProductUpdateFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.binary.UserEventFlyweight;
import io.ecap.model.field.Timestamps;
import io.ecap.model.json.DecisionJson;
import io.ecap.model.json.JsonWriter;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints journal entries as JSON lines. */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Print journal entries as JSON lines: scored transactions with their decisions (and features), "
        + "labels, user events, product updates, rule sets and models.")
public final class JournalCommand implements Callable<Integer> {
    @Mixin
    private DataOption data;

    @Option(names = "--after", paramLabel = "INDEX", defaultValue = "0",
        description = "start after this journal index (decimal or 0x hex; default: from the start)")
    private String after;

    @Option(names = "--limit", defaultValue = "20", description = "entries to print, 0 for all (default: 20)")
    private long limit;

    @Option(names = "--type", description = "only entries of this type: scored, label, user-event, "
        + "product-update, rule-set, model")
    private String type;

    @Option(names = "--txn", paramLabel = "ID", description = "only entries about this transaction")
    private String txnId;

    @Option(names = "--features", description = "include the feature values of scored entries")
    private boolean features;

    private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final LabelFlyweight label = new LabelFlyweight();
    private final UserEventFlyweight event = new UserEventFlyweight();
    private final ProductUpdateFlyweight product = new ProductUpdateFlyweight();
    private final ConfigEntryFlyweight config = new ConfigEntryFlyweight();

    @Override
    public Integer call() {
        final long afterIndex = after.startsWith("0x") ? Long.parseUnsignedLong(after.substring(2), 16)
            : Long.parseLong(after);
        long printed = 0;
        try (Journal journal = Journal.openReadOnly(data.existingJournal().toFile());
             JournalReader reader = journal.reader()) {
            reader.after(afterIndex);
            while ((limit == 0 || printed < limit) && reader.next()) {
                if (type != null && !EntryType.name(reader.type()).equals(type)) {
                    continue;
                }
                final String line = describe(reader);
                if (line != null) {
                    System.out.println(line);
                    printed++;
                }
            }
        }
        return 0;
    }

    private String describe(final JournalReader r) {
        final JsonWriter w = new JsonWriter().beginObject();
        w.name("index").value(r.index()).name("type").value(EntryType.name(r.type()));
        switch (r.type()) {
            case EntryType.SCORED -> {
                scored.wrapForDecode(r.buffer(), 0, r.length(), txn, decision);
                if (txnId != null && !txnId.equals(txn.string(TransactionFlyweight.TXN_ID))) {
                    return null;
                }
                w.name("transaction");
                new TransactionJson().write(txn, w);
                w.name("decision");
                new DecisionJson().write(decision, r.index(), w);
                if (features) {
                    final double[] values = new double[scored.featureCount()];
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
                if (txnId != null && !txnId.equals(label.txnId())) {
                    return null;
                }
                w.name("label");
                new LabelJson().write(label, w);
            }
            case EntryType.USER_EVENT -> {
                event.wrapForDecode(r.buffer(), 0, r.length());
                w.name("event");
                new UserEventJson().write(event, w);
            }
            case EntryType.PRODUCT_UPDATE -> {
                product.wrapForDecode(r.buffer(), 0, r.length());
                w.name("update");
                new ProductUpdateJson().write(product, w);
            }
            default -> {
                config.wrapForDecode(r.buffer(), 0, r.length());
                w.name("actor").value(config.actor()).name("ts").value(Timestamps.formatIso(config.tsMs()))
                    .name("text").value(config.text());
            }
        }
        if (txnId != null && r.type() != EntryType.SCORED && r.type() != EntryType.LABEL) {
            return null;
        }
        return w.endObject().toString();
    }
}
