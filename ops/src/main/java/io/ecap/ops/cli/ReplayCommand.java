package io.ecap.ops.cli;

import io.ecap.hotpath.engine.EngineConfig;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.EngineMeta;
import io.ecap.hotpath.state.FeatureStore;
import java.nio.file.Files;
import java.nio.file.Path;
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
        description = "keep the rebuilt state in this new folder (default: a temporary folder, removed afterwards)")
    private Path into;

    @Option(names = "--no-compare", description = "do not compare with the engine's maps")
    private boolean noCompare;

    @Override
    public Integer call() throws Exception {
        final Path journal = data.existingJournal();
        final Path maps = data.state();
        if (into != null && Files.exists(into) && Files.list(into).findAny().isPresent()) {
            throw new IllegalArgumentException("--into " + into + " is not empty; the replay needs a new folder");
        }
        if (!noCompare && Files.exists(maps.resolve("engine.meta")) && FeatureStore.inUse(maps)) {
            // said before the replay, not after it: the comparison needs the engine's maps to itself
            throw new IllegalArgumentException("the engine's state in " + maps.toAbsolutePath() + " is in use by a "
                + "running ECAP: stop it first to compare, or give --no-compare to replay and check every decision "
                + "only");
        }
        ReplayFolders.removeAbandoned(data.dir(), System.err);
        final Path target = into != null ? into : ReplayFolders.create(data.dir());
        try {
            return replay(journal, maps, target);
        } finally {
            if (into == null) {
                ReplayFolders.delete(target);
            }
        }
    }

    private int replay(final Path journal, final Path maps, final Path target) throws java.io.IOException {
        // the same sizes as the engine's own state: the idempotency window decides which repeats are recognised
        final long[] sizes = sizesOf(maps);
        System.err.println("replaying " + journal.toAbsolutePath() + " into " + target.toAbsolutePath());
        final Replay.Result result = Replay.run(journal, target, sizes[0], sizes[1],
            n -> System.err.printf("  %,d entries%n", n));
        System.out.printf("Replayed %,d journal entries (%,d scored transactions) in %.1f s (%,.0f entries/s)%n",
            result.entries(), result.scored(), result.elapsedNs() / 1e9,
            result.entries() / Math.max(result.elapsedNs() / 1e9, 1e-9));
        if (result.damaged() > 0) {
            System.out.printf("%,d damaged journal entries skipped (their checksum did not match, or lost in a torn "
                + "end and marked so: a power loss), as the engine's recovery skips them%n", result.damaged());
        }
        if (result.identical()) {
            System.out.println("Every decision is reproduced exactly." + (result.shadows() == 0 ? ""
                : String.format(" So is every decision of the challenger in the shadow (%,d).", result.shadows())));
        } else {
            System.out.printf("%,d entries differ%s, for example:%n", result.mismatches(), result.damaged() == 0 ? ""
                : " (after skipped damaged entries the features of later transactions can differ from what the engine"
                    + " saw when it had them: the differences may all follow from the skip)");
            result.examples().forEach(e -> System.out.println("  " + e));
        }
        boolean same = true;
        if (!noCompare && Files.exists(data.dir().resolve("maps").resolve("engine.meta"))) {
            final List<String> differences;
            try (FeatureStore live = FeatureStore.openQuiet(maps, sizes[0], sizes[1]);
                 FeatureStore rebuilt = FeatureStore.openQuiet(target, sizes[0], sizes[1])) {
                differences = StateDiff.compare(live, rebuilt);
            }
            same = differences.isEmpty();
            System.out.println(same ? "The engine's state equals the rebuilt state."
                : "The engine's state differs from the rebuilt state:");
            differences.forEach(d -> System.out.println("  " + d));
        } else if (!noCompare) {
            System.out.println("The engine's state was not compared: the data folder has none (" + data.dir()
                .resolve("maps") + " holds no engine.meta; a state kept in memory is gone after a reboot, and the "
                + "next start restores or rebuilds it).");
        }
        return result.identical() && same ? 0 : 1;
    }

    /** Entities per kind and the idempotency window of the engine's state, or the defaults if it has none. */
    static long[] sizesOf(final Path maps) {
        final EngineConfig defaults = EngineConfig.defaults(maps);
        final long[] sizes = {defaults.entityEntries(), defaults.txnEntries()};
        if (EngineMeta.layoutOf(maps.toFile()) == EngineMeta.LAYOUT) {
            try (EngineMeta meta = EngineMeta.open(maps.toFile())) {
                sizes[0] = meta.entities() > 0 ? meta.entities() : sizes[0];
                sizes[1] = meta.txnWindow() > 0 ? meta.txnWindow() : sizes[1];
            }
        }
        return sizes;
    }
}
