package io.ecap.ops.cli;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ShadowDecisions;
import io.ecap.ops.lake.EntryJson;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints journal entries as JSON lines. */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Print journal entries as JSON lines: scored transactions with their decisions (and features), "
        + "labels, user events, product updates, customer profiles, rule sets and models, list changes, erasures.")
public final class JournalCommand implements Callable<Integer> {
    /** The names {@code --type} takes, as {@link EntryType#name} gives them. */
    private static final List<String> TYPES = List.of("scored", "label", "user-event", "product-update",
        "customer-profile", "rule-set", "model", "settings", "list-change", "shadow-rule-set", "shadow-model",
        "shadow-decision", "erasure");

    @Mixin
    private DataOption data;

    @Option(names = "--after", paramLabel = "INDEX", defaultValue = "0",
        description = "start after this journal index (decimal or 0x hex; default: from the start)")
    private String after;

    @Option(names = "--index", paramLabel = "INDEX",
        description = "only the entry at this journal index (as answers and log lines give it; decimal or 0x hex)")
    private String at;

    @Option(names = "--limit", defaultValue = "20", description = "entries to print, 0 for all (default: 20)")
    private long limit;

    @Option(names = "--type", description = "only entries of this type: scored, label, user-event, "
        + "product-update, customer-profile, rule-set, model, settings, list-change, shadow-rule-set, shadow-model, "
        + "shadow-decision, erasure")
    private String type;

    @Option(names = "--txn", paramLabel = "ID", description = "only entries about this transaction")
    private String txnId;

    @Option(names = "--features", description = "include the feature values of scored entries")
    private boolean features;

    private final EntryJson entries = new EntryJson();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (type != null && !TYPES.contains(type)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--type: unknown entry type '" + type
                + "' (expected one of " + String.join(", ", TYPES) + ")");
        }
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit: expected 0 (all) or more entries, "
                + "found " + limit);
        }
        if (at != null && !"0".equals(after)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--index and --after: give one of the two");
        }
        final long atIndex = at == null ? 0 : index("--index", at);
        final long afterIndex = at == null ? index("--after", after) : atIndex - 1;
        if (at != null) {
            limit = 1;
        }
        long printed = 0;
        try (Journal journal = Journal.openReadOnly(data.existingJournal().toFile());
             JournalReader reader = journal.reader().hoppingGaps();
             ShadowDecisions shadows = new ShadowDecisions(journal)) {
            reader.after(afterIndex);
            while ((limit == 0 || printed < limit) && reader.next()) {
                if (at != null && reader.index() != atIndex) {
                    break;
                }
                if (type != null && !EntryType.name(reader.type()).equals(type)) {
                    continue;
                }
                final String line = describe(reader, shadows);
                if (line != null) {
                    System.out.println(line);
                    printed++;
                }
            }
            if (at != null && printed == 0) {
                System.err.println("ecap journal: no entry at journal index " + at + (type != null || txnId != null
                    ? " of that type or transaction" : ""));
                return 1;
            }
            if (reader.damaged() > 0) {
                System.err.printf("ecap journal: %,d damaged entries skipped (their checksum did not match, or lost "
                    + "in a torn end and marked so: a power loss; %,d marked), the last at index %d%n",
                    reader.damaged(), reader.lost(), reader.lastDamagedIndex());
            }
        }
        return 0;
    }

    private long index(final String option, final String text) {
        try {
            final long index = text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16)
                : Long.parseLong(text);
            if (index < 0 || "--index".equals(option) && index == 0) {
                throw new NumberFormatException();
            }
            return index;
        } catch (final NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": expected a journal index "
                + "(decimal or 0x hex), found '" + text + "'");
        }
    }

    private String describe(final JournalReader r, final ShadowDecisions shadows) {
        final String line = entries.write(r, features, shadows).toString();
        if (txnId != null && !txnId.equals(entries.txnId())) {
            return null;
        }
        return line;
    }
}
