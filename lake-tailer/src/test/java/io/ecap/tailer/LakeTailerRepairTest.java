package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.sim.PowerLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tailer that opened the journal while its newest file's end was torn (a power loss; the tailer started before the
 * engine) notices when the engine's start repairs the file (a new file under the same name) and reads the journal
 * again: it loads what the engine appends afterwards, which it would otherwise never see.
 */
class LakeTailerRepairTest {
    @TempDir
    Path dir;

    @Test
    void aFollowingTailerReadsTheRepairedFileAndWhatCameAfter() throws Exception {
        final Path data = dir.resolve("data");
        ScoredJournal.write(data, 300);
        final Path journalDir = data.resolve("journal");
        PowerLoss.zeroEnd(journalDir.resolve(Journal.newestFileIdentity(journalDir.toFile()).name()), 0, 8 << 10);
        deleteTree(data.resolve("maps").toRealPath()); // the state went with the machine, as its journal's end did
        final long readable = lastReadable(journalDir);

        final AtomicBoolean stop = new AtomicBoolean();
        try (LakeTailer tailer = new LakeTailer(journalDir, dir.resolve("lake").toString(), dir.resolve("state"), 1000,
            new BronzeCommitter(DefaultEngine.create(new Configuration())), (t, v) -> { })) {
            final Thread follower = ScoredJournal.follow(tailer, stop);
            waitFor(() -> tailer.mark() == readable, "the tailer to load what the torn file still holds");

            ScoredJournal.write(data, 300, 100); // the engine's start repairs the file, then journals 100 payments
            final long last;
            try (Journal journal = Journal.openReadOnly(journalDir.toFile())) {
                last = journal.lastIndex();
            }
            assertTrue(last > readable + 100, "the lost entries' indices are not used again");
            waitFor(() -> tailer.mark() == last, "the tailer to load the payments journaled after the repair");
            stop.set(true);
            follower.join(10_000);
        }
    }

    private static long lastReadable(final Path journalDir) {
        long last = 0;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader().hoppingGaps()) {
            while (reader.next()) {
                last = reader.index();
            }
        }
        return last;
    }

    private static void deleteTree(final Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void waitFor(final BooleanSupplier done, final String what) throws InterruptedException {
        final long until = System.currentTimeMillis() + 60_000;
        while (!done.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, "waited a minute for " + what);
            Thread.sleep(20);
        }
    }
}
