package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.Journal;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal sync policies: what they accept, and how far each says the journal is on the disk. */
class JournalSyncTest {
    private static final long T0 = 1_795_500_000_000L;

    @TempDir
    Path dir;

    @Test
    void readsThePolicyAndRefusesAnythingElseSayingWhatIsExpected() {
        assertEquals(JournalSync.NONE, JournalSync.parse("none"));
        assertEquals(JournalSync.ENTRY, JournalSync.parse(" Entry "));
        assertEquals(JournalSync.every(100), JournalSync.parse("100"));
        assertEquals(JournalSync.every(250), JournalSync.parse("250ms"));
        for (final String bad : new String[] {"", "0", "60001", "1s", "-5", "always", "100 ms", "9999999"}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalSync.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("expected none, entry, or a sync interval of 1 to 60000 ms"),
                e.getMessage());
        }
        assertEquals("100ms", JournalSync.every(100).toString());
    }

    @Test
    void syncingEveryEntryCoversEachEntryBeforeItsAnswer() throws Exception {
        try (Harness h = new Harness(EngineConfig.defaults(dir).withEntries(10_000, 50_000)
            .withJournalSync(JournalSync.ENTRY))) {
            for (int i = 0; i < 50; i++) {
                final Harness.Answer answer = h.score(txn("t-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9,
                    "12.00", ""));
                assertEquals(h.engine.journal().lastIndex(), h.engine.journalSyncedIndex(),
                    "answered after its entry was forced");
                assertTrue(answer.journalIndex() <= h.engine.journalSyncedIndex());
            }
        }
    }

    @Test
    void aPeriodicSyncNamesTheIndexItForcedAndCoversEverythingOnceTheEngineStops() throws Exception {
        try (Journal journal = Journal.open(dir.resolve("journal-direct").toFile())) {
            final JournalSyncer syncer = new JournalSyncer(journal.dir(), 60_000, journal::lastIndex);
            final UnsafeBuffer entry = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < 10; i++) {
                journal.append(entry, 0, entry.capacity());
            }
            assertEquals(0, syncer.syncedIndex(), "nothing claimed before a sync ran");
            syncer.close(); // the interval has not passed: only the sync at close ran
            assertEquals(journal.lastIndex(), syncer.syncedIndex());
            assertEquals(null, syncer.failure());
        }
        final long last;
        final Harness h = new Harness(EngineConfig.defaults(dir.resolve("engine")).withEntries(10_000, 50_000)
            .withJournalSync(JournalSync.every(60_000)));
        try (h) {
            for (int i = 0; i < 200; i++) {
                h.score(txn("t-" + i, T0 + i * 1000L, "c-" + i % 7, "k-" + i % 9, "12.00", ""));
            }
            last = h.engine.journal().lastIndex();
        }
        assertEquals(last, h.engine.journalSyncedIndex(), "a clean stop leaves every entry synced");
        try (Harness none = Harness.start(dir.resolve("none"))) {
            assertEquals(0, none.engine.journalSyncedIndex(), "left to the operating system: nothing is claimed");
        }
    }
}
