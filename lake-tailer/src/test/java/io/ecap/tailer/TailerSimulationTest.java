package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.sim.Simulation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake tailer's simulation: tailers dying at each of their crash points while the engine crashes too, then every
 * journal entry in bronze once; the same seed twice gives the same run; and the check finds a table loaded twice.
 */
class TailerSimulationTest {
    @TempDir
    Path dir;

    @Test
    void loadsEveryEntryOnceThroughCrashesAtEveryPoint() throws Exception {
        final TailerSimulation.Result r = TailerSimulation.run(new TailerSimulation.Settings(
            Simulation.Settings.of(41, 40_000), 0.06, 1_200), dir.resolve("sim"));
        assertTrue(r.passed(), r.engine().failures() + " " + r.failures());
        for (final String point : List.of("bronze-files", "bronze-table", "bronze-mark")) {
            assertTrue(r.crashes().getOrDefault(point, 0) > 0, "no crash at " + point + ": " + r.crashes());
        }
        assertTrue(r.engine().crashCount() > 0, "the engine crashed too");
        assertTrue(r.orphans() > 0, "a crash before a commit leaves its files outside the table");
        assertTrue(r.rows() > 25_000, "payments, labels, events, config changes: " + r.rows());
    }

    @Test
    void theSameSeedGivesTheSameRun() throws Exception {
        final TailerSimulation.Settings settings = new TailerSimulation.Settings(Simulation.Settings.of(7, 10_000),
            0.1, 1_000);
        final TailerSimulation.Result first = TailerSimulation.run(settings, dir.resolve("first"));
        final TailerSimulation.Result second = TailerSimulation.run(settings, dir.resolve("second"));
        assertTrue(first.passed() && second.passed(), first.failures() + " " + second.failures());
        assertTrue(first.crashCount() > 0, "crashes in a run of this length: " + first.crashes());
        assertEquals(first.crashes(), second.crashes());
        assertEquals(first.rounds(), second.rounds());
        assertEquals(first.commits(), second.commits());
        assertEquals(first.rows(), second.rows());
        assertEquals(first.engine().journalDigest(), second.engine().journalDigest());
    }

    /** A loader that ignored the tables' journal index tags would load entries twice: the check must say so. */
    @Test
    void theCheckFindsEntriesLoadedTwice() throws Exception {
        final Path data = dir.resolve("sim");
        assertTrue(TailerSimulation.run(new TailerSimulation.Settings(Simulation.Settings.of(3, 5_000), 0, 1_000),
            data).passed());
        final io.delta.kernel.engine.Engine kernel = DefaultEngine.create(new Configuration());
        final TableRows labels = new BronzeTables.Labels();
        long last = 0;
        try (Journal journal = Journal.openReadOnly(data.resolve("journal").toFile());
             JournalReader reader = journal.reader()) {
            reader.after(0);
            while (reader.next() && labels.size() < 3) {
                if (reader.type() == EntryType.LABEL) {
                    labels.add(reader);
                }
            }
            last = journal.lastIndex();
        }
        assertEquals(3, labels.size(), "the run journaled labels");
        new BronzeCommitter(kernel).commit(data.resolve("lake").toAbsolutePath() + "/bronze/labels", labels,
            last + 1);

        final List<String> failures = new ArrayList<>();
        TailerSimulation.check(kernel, data, failures);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("bronze/labels: 3 journal entries loaded twice"), failures.get(0));
    }
}
