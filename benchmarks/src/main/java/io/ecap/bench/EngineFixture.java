package io.ecap.bench;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EntrySink;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.FeatureStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** An engine over a journal and maps in a temporary folder, driven directly (no ring, no thread). */
final class EngineFixture implements AutoCloseable {
    final Path dir;
    final Journal journal;
    final JournalReader lookup;
    final FeatureStore store;
    final Engine engine;

    EngineFixture(final long entities) throws Exception {
        dir = Files.createTempDirectory("ecap-bench");
        journal = Journal.open(dir.resolve("journal").toFile());
        journal.touchAhead();
        lookup = journal.reader();
        store = FeatureStore.open(dir.resolve("maps"), entities, entities * 20);
        engine = new Engine(store, EntrySink.of(journal), lookup, DefaultRules.ruleSet(), new EngineCounters());
        engine.loadRuleSet(DefaultRules.text(), "benchmark", 0);
    }

    @Override
    public void close() throws IOException {
        lookup.close();
        journal.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
