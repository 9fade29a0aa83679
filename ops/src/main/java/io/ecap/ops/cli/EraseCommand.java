package io.ecap.ops.cli;

import io.ecap.hotpath.engine.BackupRegister;
import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.ValidationException;
import io.ecap.model.field.Reasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Erases entities from a stopped engine's state, each journaled with its id's hash and never the id (a running
 * service takes the same request as {@code POST /v1/admin/erasures}). docs/RELIABILITY.md, "Erasure", says what an
 * erasure reaches and what it does not yet.
 */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = {
        "Erases customers, cards, devices, IP addresses or merchants from the engine's state (right to erasure): "
            + "each record, id and features, is zeroed and freed, and the journal keeps the request with the id's "
            + "hash only, so that a replay erases the same records at the same point.",
        "For a stopped engine; a running service takes POST /v1/admin/erasures."})
public final class EraseCommand implements Callable<Integer> {
    @Option(names = "--customer", paramLabel = "ID", description = "a customer id, as transactions send it")
    private List<String> customers = new ArrayList<>();

    @Option(names = "--card", paramLabel = "ID", description = "a card id (the token transactions send)")
    private List<String> cards = new ArrayList<>();

    @Option(names = "--device", paramLabel = "ID", description = "a device id")
    private List<String> devices = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "an IPv4 or IPv6 address")
    private List<String> ips = new ArrayList<>();

    @Option(names = "--merchant", paramLabel = "ID", description = "a merchant id")
    private List<String> merchants = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
        description = "why (a ticket number; at most 128 characters, one line, never a card number, an e-mail "
            + "address or an id it erases), journaled with each erasure")
    private String reason;

    @Mixin
    private DataOption data;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final String actor = actor();
        final long now = System.currentTimeMillis();
        final List<Erasure> erasures = new ArrayList<>();
        try {
            Reasons.check(reason, "--reason");
            add(erasures, EntityKind.CUSTOMER, customers, "--customer", actor, now);
            add(erasures, EntityKind.CARD, cards, "--card", actor, now);
            add(erasures, EntityKind.DEVICE, devices, "--device", actor, now);
            add(erasures, EntityKind.IP, ips, "--ip", actor, now);
            add(erasures, EntityKind.MERCHANT, merchants, "--merchant", actor, now);
        } catch (final ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.field() + ": " + e.problem());
        }
        if (erasures.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name what to erase: --customer, --card, "
                + "--device, --ip or --merchant (each may be given more than once)");
        }
        data.existingJournal();
        final Path maps = data.state();
        if (Files.exists(maps.resolve("engine.meta")) && FeatureStore.inUse(maps)) {
            throw new IllegalArgumentException("the engine's state in " + maps.toAbsolutePath() + " is in use by a "
                + "running ECAP: send the erasure to it instead (POST /v1/admin/erasures, docs/API.md)");
        }
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data.dir()), Throwable::printStackTrace)) {
            for (final Erasure erasure : erasures) {
                final EngineRunner.Erased done = engine.erase(erasure).join();
                System.out.printf("%s %016x: %s; journal entry %d%n", erasure.kind().prefix(), erasure.idHash(),
                    done.records() == 0 ? "not in the state (the request is journaled)"
                        : done.records() == 1 ? "erased" : "erased (" + done.records() + " records share its hash)",
                    done.journalIndex());
            }
        }
        System.out.println("the journal's earlier entries still hold the ids: 'ecap redact-journal' rewrites them "
            + "(docs/RELIABILITY.md, \"Erasure\")");
        final List<BackupRegister.Backup> backups = BackupRegister.stillThere(data.dir(), java.time.Instant.now());
        if (!backups.isEmpty()) {
            System.out.println("so do the backups of this folder still there (their journal, and their state): "
                + BackupRegister.describe(backups) + "; remove them once a backup taken after 'ecap redact-journal' "
                + "replaces them");
        }
        return 0;
    }

    private void add(final List<Erasure> erasures, final EntityKind kind, final List<String> ids, final String option,
        final String actor, final long now) {
        for (final String id : ids) {
            erasures.add(Erasure.of(kind, id, option, actor, reason, now));
        }
    }

    /** {@code cli:} and the user's name, kept to printable ASCII. */
    private static String actor() {
        final String user = System.getProperty("user.name", "unknown").replaceAll("[^!-~]", "_");
        return ("cli:" + user).substring(0, Math.min(Erasure.MAX_ACTOR, 4 + user.length()));
    }
}
