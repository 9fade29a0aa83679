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
 * start would run, then a clean stop. Unlike a start it puts nothing live (no configured settings, rule set or
 * model is journaled), so the journal stays exactly as it was. For a restored backup, so that the first start of the
 * service on it is quick.
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
                return new Result(applied, counters.get(EngineCounters.Counter.DAMAGED_ENTRIES), journal.lastIndex(),
                    System.nanoTime() - start);
            }
        }
    }
}
