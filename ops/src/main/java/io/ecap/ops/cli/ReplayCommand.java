package io.ecap.ops.cli;

import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Rebuilds the state from the journal into new maps and checks that every decision comes out the same. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay the whole journal into fresh maps, recomputing every decision, and report any decision "
        + "that differs from the journaled one. Then compare the rebuilt state with the engine's maps.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    private DataOption data;

    @Option(names = "--into", paramLabel = "DIR",
        description = "folder for the rebuilt maps (default: <data>/replay-<time>)")
    private Path into;

    @Option(names = "--no-compare", description = "do not compare with the engine's maps")
    private boolean noCompare;

    @Option(names = "--entities", defaultValue = "100000", description = "expected entities per kind")
    private long entities;

    @Override
    public Integer call() throws Exception {
        final Path journal = data.existingJournal();
        final Path target = into != null ? into : data.dir().resolve("replay-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        System.err.println("replaying " + journal.toAbsolutePath() + " into " + target.toAbsolutePath());
        final Replay.Result result = Replay.run(journal, target, entities, Math.max(entities * 10, 1_000_000),
            n -> System.err.printf("  %,d entries%n", n));
        System.out.printf("Replayed %,d journal entries (%,d scored transactions) in %.1f s (%,.0f entries/s)%n",
            result.entries(), result.scored(), result.elapsedNs() / 1e9,
            result.entries() / Math.max(result.elapsedNs() / 1e9, 1e-9));
        if (result.identical()) {
            System.out.println("Every decision is reproduced exactly.");
        } else {
            System.out.printf("%,d entries differ, for example:%n", result.mismatches());
            result.examples().forEach(e -> System.out.println("  " + e));
        }
        boolean same = true;
        if (!noCompare && Files.exists(data.dir().resolve("maps").resolve("engine.meta"))) {
            final List<String> differences;
            try (FeatureStore live = FeatureStore.open(data.dir().resolve("maps"), entities, entities * 10);
                 FeatureStore rebuilt = FeatureStore.open(target, entities, entities * 10)) {
                differences = StateDiff.compare(live, rebuilt);
            }
            same = differences.isEmpty();
            System.out.println(same ? "The engine's state equals the rebuilt state."
                : "The engine's state differs from the rebuilt state:");
            differences.forEach(d -> System.out.println("  " + d));
        }
        return result.identical() && same ? 0 : 1;
    }
}
