package io.ecap.bench;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EntrySink;
import io.ecap.hotpath.engine.StatePlacement;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An engine over a journal in a temporary folder and its state in memory where there is room (a folder on the tmpfs,
 * as {@code ecap run} places it by default), else beside the journal; driven directly (no ring, no thread).
 */
final class EngineFixture implements AutoCloseable {
    final Path dir;
    final Path stateDir;
    final Journal journal;
    final JournalReader lookup;
    final FeatureStore store;
    final Engine engine;

    EngineFixture(final long entities) throws Exception {
        dir = Files.createTempDirectory("ecap-bench");
        journal = Journal.open(dir.resolve("journal").toFile());
        journal.touchAhead();
        lookup = journal.reader();
        final Path inMemory = StatePlacement.scratch("ecap-bench-state", 0);
        stateDir = inMemory != null ? inMemory : dir.resolve("maps");
        store = FeatureStore.open(stateDir, entities, entities * 20);
        engine = new Engine(store, EntrySink.of(journal), lookup, DefaultRules.ruleSet(), new EngineCounters());
        engine.loadRuleSet(DefaultRules.text(), "benchmark", 0);
    }

    @Override
    public void close() throws IOException {
        lookup.close();
        journal.close();
        store.close();
        for (final Path folder : new Path[] {dir, stateDir}) {
            if (Files.exists(folder)) {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
