package io.ecap.hotpath.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnIndexTest {
    @TempDir
    Path dir;

    /** Stands in for the journal: which id each journal index scored. */
    private final Map<Long, String> journal = new HashMap<>();
    private final TxnIndex.IdCheck check = (index, id, offset, length) ->
        id.getStringWithoutLengthAscii(offset, length).equals(journal.get(index));

    private static AsciiSequenceView view(final String id) {
        final DirectBuffer b = new UnsafeBuffer(id.getBytes(StandardCharsets.US_ASCII));
        return new AsciiSequenceView(b, 0, b.capacity());
    }

    private void score(final TxnIndex index, final String id, final long journalIndex) {
        assertEquals(0, index.lookupAndReserve(view(id), check));
        journal.put(journalIndex, id);
        index.record(journalIndex);
        undo.clear();
        index.maintain();
    }

    private UndoLog undo;

    private TxnIndex open(final EngineMeta meta) throws java.io.IOException {
        if (undo == null) {
            undo = UndoLog.open(dir.toFile());
        }
        return TxnIndex.open(dir.toFile(), 1000, meta, undo);
    }

    @Test
    void shouldRememberScoredTransactionsAcrossAReopen() throws Exception {
        try (EngineMeta meta = EngineMeta.open(dir.toFile())) {
            try (TxnIndex index = open(meta)) {
                for (int i = 1; i <= 500; i++) {
                    score(index, "t-" + i, 100 + i);
                }
                assertEquals(101, index.lookupAndReserve(view("t-1"), check));
                assertEquals(500, index.size());
            }
            try (TxnIndex index = open(meta)) {
                assertEquals(600, index.lookup("t-500", check));
                assertEquals(0, index.lookup("t-501", check));
            }
        }
    }

    @Test
    void shouldKeepAtLeastTheWindowAndForgetOlderGenerations() throws Exception {
        try (EngineMeta meta = EngineMeta.open(dir.toFile());
             TxnIndex index = open(meta)) {
            for (int i = 1; i <= 2500; i++) {
                score(index, "t-" + i, i);
            }
            assertEquals(2, meta.txnGeneration(), "rotated at 1000 and 2000");
            assertEquals(1500, index.size());
            assertEquals(0, index.lookup("t-1000", check), "two generations ago: forgotten");
            for (int i = 1001; i <= 2500; i++) {
                assertEquals(i, index.lookup("t-" + i, check), "t-" + i);
            }
            assertFalse(new File(dir.toFile(), "txn-0.index").exists(), "the oldest generation is deleted");
        }
    }

    /**
     * A rotation killed after it created the next generation's file and before it wrote that file's header (the
     * progress mark still names the old generation) left a file without a header: the rotation, done again at the next
     * start, makes the file anew instead of refusing it (found by CrashTest, seed 18365556739550).
     */
    @Test
    void shouldRotateOverTheFileOfARotationKilledBeforeItsHeader() throws Exception {
        try (EngineMeta meta = EngineMeta.open(dir.toFile());
             TxnIndex index = open(meta)) {
            java.nio.file.Files.write(dir.resolve("txn-1.index"), new byte[64 * 1024]);
            for (int i = 1; i <= 1200; i++) {
                score(index, "t-" + i, i);
            }
            assertEquals(1, meta.txnGeneration(), "rotated at 1000");
            assertEquals(1000, index.lookup("t-1000", check));
            assertEquals(1200, index.lookup("t-1200", check));
        }
    }

    @Test
    void shouldTellApartIdsWhoseHashMatchesByAskingTheJournal() throws Exception {
        try (EngineMeta meta = EngineMeta.open(dir.toFile());
             TxnIndex index = open(meta)) {
            score(index, "t-1", 7);
            // a journal that disagrees about index 7 makes the hash match a different transaction
            journal.put(7L, "someone-else");
            assertEquals(0, index.lookupAndReserve(view("t-1"), check));
            journal.put(8L, "t-1");
            index.record(8);
            assertEquals(8, index.lookup("t-1", check), "both slots kept; the journal decides");
        }
    }

    @Test
    void shouldMarkAFraudLabelOnce() throws Exception {
        try (EngineMeta meta = EngineMeta.open(dir.toFile());
             TxnIndex index = open(meta)) {
            score(index, "t-1", 5);
            assertFalse(index.isFraudLabelled(view("t-1"), check));
            index.markFraudLabelled(view("t-1"), check);
            assertTrue(index.isFraudLabelled(view("t-1"), check));
            assertEquals(5, index.lookup("t-1", check), "the label bit does not change the index");
        }
    }
}
