package io.ecap.hotpath.sim;

import io.ecap.hotpath.engine.Engine;
import io.ecap.hotpath.engine.EngineCounters;
import io.ecap.hotpath.engine.EntrySink;
import io.ecap.hotpath.engine.Recovery;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.state.CrashPoints;
import io.ecap.hotpath.state.FeatureStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;

/**
 * One life of the simulated engine process: the journal and the state opened as {@code EngineRunner} opens them
 * (without its threads: the simulation's one thread is the writer), recovery run, and a journal whose appends fail
 * now and then (an I/O error before anything is written: the engine must put the change back) and whose daily files
 * roll by the simulation's clock. {@link #abandon()} ends the life as a kill would: nothing is marked as stopped
 * cleanly, and the files stay as they are.
 */
final class SimEngine {
    /** The point reached just before an entry is handed to the journal. */
    static final String APPEND = "append";

    final Journal journal;
    final FeatureStore store;
    final Engine engine;
    final EngineCounters counters = new EngineCounters();
    final long recovered;
    private final JournalReader lookup;

    /** An I/O error the journal's append met (the disk, say): the change is refused and nothing is journaled. */
    static final class JournalFailure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        JournalFailure() {
            super(new IOException("simulated journal write failure"));
        }
    }

    /**
     * Opens and recovers. A crash the plan decides during recovery leaves everything opened so far to be abandoned
     * and is thrown.
     */
    SimEngine(final Path data, final long entities, final long txns, final long clockMs,
        final SplittableRandom faults, final double journalFailureRate) throws IOException {
        journal = Journal.open(data.resolve("journal").toFile());
        journal.clockAt(clockMs);
        FeatureStore opened = null;
        JournalReader reader = null;
        try {
            opened = FeatureStore.openQuiet(data.resolve("maps"), entities, txns);
            opened.meta().markRunning();
            reader = journal.reader();
            final EntrySink sink = failing(EntrySink.of(journal), faults, journalFailureRate);
            final Engine e = new Engine(opened, sink, reader, DefaultRules.ruleSet(), counters);
            try (JournalReader source = journal.reader()) {
                recovered = Recovery.run(e, source, opened.meta(), counters);
            }
            engine = e;
            store = opened;
            lookup = reader;
        } catch (final IOException | RuntimeException | CrashPoints.Crash e) {
            closeQuietly(reader, opened, journal);
            throw e;
        }
    }

    private static EntrySink failing(final EntrySink journal, final SplittableRandom faults, final double rate) {
        return new EntrySink() {
            @Override
            public long append(final DirectBuffer entry, final int offset, final int length) {
                CrashPoints.reached(APPEND);
                if (rate > 0 && faults.nextDouble() < rate) {
                    throw new JournalFailure();
                }
                return journal.append(entry, offset, length);
            }

            @Override
            public long prefetchNext() {
                return journal.prefetchNext();
            }
        };
    }

    /**
     * Ends this life as a kill does: the state is not marked as stopped cleanly and no file is written; the mappings
     * are let go (a process that died keeps nothing either).
     */
    void abandon() {
        closeQuietly(lookup, store, journal);
    }

    /** A clean stop, as {@code EngineRunner} makes one. */
    void stop() {
        store.meta().markCleanInThisBoot();
        closeQuietly(lookup, store, journal);
    }

    private static void closeQuietly(final AutoCloseable... all) {
        for (final AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (final Exception ignored) {
                    // the process "died": what it held is let go as well as can be
                }
            }
        }
    }
}
