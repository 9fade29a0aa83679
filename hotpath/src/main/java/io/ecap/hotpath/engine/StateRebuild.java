package io.ecap.hotpath.engine;

import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.FolderSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Brings a data folder's state level with its journal without starting a writer or taking traffic: the recovery a
 * start would run, then a clean stop (a state in memory gets its snapshot in the data folder, as at a stop). Unlike a
 * start it puts nothing live (no configured settings, rule set or model is journaled), so the journal stays exactly as
 * it was. For a restored backup, so that the first start of the service on it is quick.
 */
public final class StateRebuild {
    private StateRebuild() {
    }

    /** What the rebuild did. */
    public record Result(long appliedEntries, long damagedEntries, long lastIndex, long elapsedNs) {
    }

    public static Result run(final EngineConfig config) throws IOException {
        final long start = System.nanoTime();
        if (!Files.isDirectory(config.journalDir())) {
            throw new IllegalArgumentException("no journal in " + config.dataDir().toAbsolutePath());
        }
        try (Journal journal = Journal.open(config.journalDir().toFile())) {
            final Path maps = StateFolder.prepare(config);
            final EngineCounters counters = new EngineCounters();
            try (FeatureStore store = FeatureStore.openQuiet(maps, config.entityEntries(), config.txnEntries());
                 JournalReader lookup = journal.reader();
                 JournalReader reader = journal.reader()) {
                store.meta().markRunning();
                final Engine engine =
                    new Engine(store, EntrySink.of(journal), lookup, DefaultRules.ruleSet(), counters);
                final long applied = Recovery.run(engine, reader, store.meta(), counters);
                FolderSync.sync(store.dir());
                store.meta().markClean();
                FolderSync.sync(store.dir());
                snapshotIfInMemory(config, store, lookup);
                return new Result(applied, counters.get(EngineCounters.Counter.DAMAGED_ENTRIES), journal.lastIndex(),
                    System.nanoTime() - start);
            }
        }
    }

    /**
     * A state in memory gets its copy in the data folder, as a clean stop gives it: a reboot before the service's
     * first snapshot then restores it instead of rebuilding the state from the whole journal.
     */
    private static void snapshotIfInMemory(final EngineConfig config, final FeatureStore store,
        final JournalReader lookup) throws IOException {
        final long appliedThrough = store.meta().appliedThrough();
        if (appliedThrough > 0 && StateSnapshot.isInMemory(store.dir())
            && !StateSnapshot.isInMemory(config.dataDir()) && lookup.read(appliedThrough)) {
            StateSnapshot.take(store.dir(), config.dataDir(), config.journalDir(), appliedThrough, lookup.checksum());
        }
    }
}
