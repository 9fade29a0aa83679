package io.ecap.tailer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.ecap.hotpath.journal.Journal;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tailer refuses, and what it does with an empty journal. */
class LakeTailerTest {
    @TempDir
    Path dir;

    private final BronzeCommitter committer = new BronzeCommitter(DefaultEngine.create(new Configuration()));

    @Test
    void oneTailerPerStateFolder() throws Exception {
        final Path journal = emptyJournal();
        try (LakeTailer first = new LakeTailer(journal, dir.resolve("lake").toString(), dir.resolve("state"), 10,
            committer, (t, v) -> { })) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> new LakeTailer(journal,
                dir.resolve("lake").toString(), dir.resolve("state"), 10, committer, (t, v) -> { }));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void anEmptyJournalLoadsNothingAndCreatesNoTable() throws Exception {
        try (LakeTailer tailer = new LakeTailer(emptyJournal(), dir.resolve("lake").toString(),
            dir.resolve("state"), 10, committer, (t, v) -> { })) {
            assertEquals(0, tailer.catchUp());
            assertEquals(0, tailer.mark());
        }
        assertTrue(!dir.resolve("lake").resolve("bronze").toFile().exists());
    }

    @Test
    void refusesWhatIsNotAJournalAndAnEmptyBatch() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LakeTailer(dir,
            dir.resolve("lake").toString(), dir.resolve("state"), 10, committer, (t, v) -> { }));
        assertTrue(e.getMessage().contains("no journal in"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LakeTailer(emptyJournal(),
            dir.resolve("lake").toString(), dir.resolve("state"), 0, committer, (t, v) -> { }));
    }

    /**
     * Two data folders' journals have the same indices (the day and a count): a lake loaded from one is refused for the
     * other, rather than taken as already holding its entries; the lake's own journal is still taken.
     */
    @Test
    void refusesALakeLoadedFromAnotherJournal() throws Exception {
        final Path one = dir.resolve("one");
        final Path other = dir.resolve("other");
        ScoredJournal.write(one, 5);
        ScoredJournal.write(other, 5);
        final String lake = dir.resolve("lake").toString();
        final Configuration hadoop = new Configuration();
        LakeJournal.check(lake, hadoop, one.resolve("journal"));
        try (LakeTailer tailer = new LakeTailer(one.resolve("journal"), lake, one.resolve("lake-tailer"), 10,
            committer, (t, v) -> { })) {
            assertTrue(tailer.catchUp() > 5);
        }
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LakeJournal.check(lake, hadoop, other.resolve("journal")));
        assertTrue(e.getMessage().startsWith("--lake: the lake " + lake + " was loaded from another journal")
            && e.getMessage().contains(other.resolve("journal").toString()), e.getMessage());
        LakeJournal.check(lake, hadoop, one.resolve("journal")); // its own: taken
    }

    /** A table whose Delta log is not JSON: one line naming the table and the cause, not Kernel's run-on sentence. */
    @Test
    void namesATableWhoseLogCannotBeRead() throws Exception {
        final Path data = dir.resolve("data");
        ScoredJournal.write(data, 3);
        final Path log = java.nio.file.Files.createDirectories(dir.resolve("lake/bronze/decisions/_delta_log"));
        java.nio.file.Files.writeString(log.resolve("00000000000000000000.json"), "{garbage\n");
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (LakeTailer tailer = new LakeTailer(data.resolve("journal"), dir.resolve("lake").toString(),
                data.resolve("lake-tailer"), 10, committer, (t, v) -> { })) {
                tailer.catchUp();
            }
        });
        assertTrue(e.getMessage().startsWith("the Delta log of " + dir.resolve("lake/bronze/decisions")
            + " cannot be read (") && e.getMessage().lines().count() == 1, e.getMessage());
    }

    private Path emptyJournal() {
        final Path journal = dir.resolve("journal");
        Journal.open(journal.toFile()).close();
        return journal;
    }
}
