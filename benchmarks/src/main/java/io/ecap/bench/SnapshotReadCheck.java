package io.ecap.bench;

import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.engine.StateSnapshot;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.ops.Ecap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Takes running snapshots of a state in memory one after another and copies each as a backup does, counting the
 * snapshots called damaged and the copies that differ from the engine's state (docs/RELIABILITY.md, "A read that
 * disagrees once"). Each round journals one configuration entry, takes a snapshot ({@link EngineRunner#snapshotNow})
 * and copies the newest ({@link StateSnapshot#copyNewest}); the copy must be of that snapshot and equal the engine's
 * state file for file (a configuration entry changes no entity). {@code benchmarks/run snapshot-reads} runs it beside
 * a loop that drops the page cache.
 *
 * <pre>
 * SnapshotReadCheck FOLDER ROUNDS    (FOLDER: a new folder; its data folder is scored with --sample 2000 first)
 * </pre>
 */
public final class SnapshotReadCheck {
    private static final List<String> STATE_FILES = List.of("card.records", "customer.records", "device.records",
        "ip.records", "merchant.records", "card-1.index", "customer-1.index", "device-1.index", "ip-1.index",
        "merchant-1.index");

    private SnapshotReadCheck() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SnapshotReadCheck NEW-FOLDER ROUNDS");
            System.exit(2);
        }
        final Path dir = Path.of(args[0]);
        final int rounds = Integer.parseInt(args[1]);
        final Path data = dir.resolve("data");
        if (Ecap.run("score", "--sample", "2000", "--data", data.toString()) != 0) {
            throw new IllegalStateException("ecap score --sample 2000 failed on " + data);
        }
        int damaged = 0;
        int differ = 0;
        try (EngineRunner engine = EngineRunner.start(EngineConfig.defaults(data), Throwable::printStackTrace)) {
            for (int round = 1; round <= rounds; round++) {
                engine.loadConfig(EntryType.SHADOW_RULE_SET, "ruleset check version " + round
                    + "\nthresholds review 1 decline 2\nrule ANY weight 10\n    when txn.amount_usd > 0\n", "check",
                    0).get();
                final long snapshot = engine.snapshotNow();
                final Path copy = dir.resolve("copy");
                final StateSnapshot.Copy copied = StateSnapshot.copyNewest(data, copy);
                if (copied == null || copied.journalIndex() != snapshot) {
                    damaged++;
                    System.out.println("round " + round + ": snapshot " + snapshot + " called damaged");
                } else {
                    for (final String file : STATE_FILES) {
                        if (Files.exists(copy.resolve(file))
                            && Files.mismatch(copy.resolve(file), data.resolve("maps").resolve(file)) != -1) {
                            differ++;
                            System.out.println("round " + round + ": the copy's " + file + " differs from the state");
                        }
                    }
                }
                delete(copy);
                if (round % 50 == 0) {
                    System.out.printf("%d rounds: %d snapshots called damaged, %d copied files differing%n", round,
                        damaged, differ);
                }
            }
        }
        System.out.printf("%d rounds: %d snapshots called damaged, %d copied files differing%n", rounds, damaged,
            differ);
        System.exit(damaged + differ == 0 ? 0 : 1);
    }

    private static void delete(final Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (final Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}
