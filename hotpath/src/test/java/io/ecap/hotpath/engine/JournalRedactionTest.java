package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.JournalRedaction;
import io.ecap.hotpath.journal.JournalSwap;
import io.ecap.hotpath.replay.Replay;
import io.ecap.hotpath.replay.StateDiff;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.field.IdHash;
import io.ecap.model.field.Pseudonym;
import io.ecap.testing.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal rewritten after erasures holds none of the erased ids, keeps every entry at its index, and replays into the
 * very state the engine has; the engine goes on with it, and the same id coming back later is kept as it is.
 */
class JournalRedactionTest {
    private static final long T0 = Txns.T0;
    private static final String ERASED = "c-erased-7f3";
    private static final String KEPT = "c-kept-2b1";
    private static final String ERASED_IP = "10.9.8.77";
    /** The e-mail address's hash a merchant sends with the erased customer's payments. */
    private static final String ERASED_EMAIL = "e-hash-77aa01";

    @TempDir
    Path dir;

    private static void score(final Harness h, final int from, final int count) {
        for (int i = from; i < from + count; i++) {
            final boolean erased = i % 2 == 0;
            h.score(txn("t-" + i, T0 + i * 60_000L, erased ? ERASED : KEPT, "k-" + i % 3, "12.00",
                "\"deviceId\":\"d-" + i % 2 + "\",\"ip\":\"" + (erased ? ERASED_IP : "10.1.2.3") + "\",\"email\":\""
                    + (erased ? ERASED_EMAIL : "e-kept-1") + "\""));
        }
    }

    private static Erasure erasure(final EntityKind kind, final String id) {
        return Erasure.of(kind, id, "id", "dpo-key", "ticket 4711", T0);
    }

    @Test
    void rewritesTheErasedIdsAsPseudonymsAndReplaysIntoTheSameState() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            h.event("{\"eventId\":\"e-1\",\"ts\":" + (T0 - 60_000) + ",\"type\":\"page_view\",\"sessionId\":\"s-1\","
                + "\"customerId\":\"" + ERASED + "\"}");
            h.profile("{\"customerId\":\"" + ERASED + "\",\"ts\":\"2026-11-30T00:00:00Z\",\"segment\":\"Lost\"}");
            score(h, 0, 20);
            h.engine.erase(erasure(EntityKind.CUSTOMER, ERASED)).get();
            h.engine.erase(erasure(EntityKind.IP, ERASED_IP)).get();
            // a device: the cards it was used with count it among their devices, by its hash, in the replay too
            h.engine.erase(erasure(EntityKind.DEVICE, "d-0")).get();
            h.label("t-0", "FRAUD"); // a late label for a payment of the erased customer
            score(h, 21, 1); // the other customer
        }
        assertTrue(Bytes.anyFileContains(data.resolve("journal"), ERASED), "the journal holds the id before");
        final Path redacted = dir.resolve("journal.redacted");
        final JournalRedaction.Result result = JournalRedaction.rewrite(data.resolve("journal").toFile(),
            redacted.toFile());
        assertEquals(new JournalRedaction.Result(29, 12, 42, 3), result,
            "29 entries (2 the configuration at start); the event, the profile and 10 payments changed: 12 customer "
                + "ids, 10 IP addresses, 10 device ids and the 10 payments' e-mail hashes");
        assertFalse(Bytes.anyFileContains(redacted, ERASED), "no byte of the rewritten journal holds the customer");
        assertFalse(Bytes.anyFileContains(redacted, ERASED_IP), "nor the IP address");
        assertFalse(Bytes.anyFileContains(redacted, ERASED_EMAIL), "nor the customer's e-mail hash");
        assertTrue(Bytes.anyFileContains(redacted, Pseudonym.of(IdHash.of(ERASED), 0).substring(0, 17)),
            "the pseudonym, with the id's hash, in its place");
        assertTrue(Bytes.anyFileContains(redacted, KEPT), "the other customer is kept");

        final Replay.Result replay = Replay.run(redacted, dir.resolve("replay"), 10_000, 50_000, n -> { });
        assertTrue(replay.identical(), "every decision replays as journaled: " + replay.examples());
        try (FeatureStore live = FeatureStore.open(data.resolve("maps"), 10_000, 50_000);
             FeatureStore replayed = FeatureStore.open(dir.resolve("replay"), 10_000, 50_000)) {
            assertEquals(List.of(), StateDiff.compare(live, replayed), "the same state, byte for byte");
        }

        // the engine goes on with the rewritten journal; the customer comes back, under its id
        Files.move(data.resolve("journal"), dir.resolve("journal.old"));
        Files.move(redacted, data.resolve("journal"));
        try (Harness h = Harness.start(data)) {
            score(h, 22, 4);
        }
        assertTrue(Bytes.anyFileContains(data.resolve("journal"), ERASED), "a payment after the erasure keeps its id");
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay-after"));
        final JournalRedaction.Result again = JournalRedaction.rewrite(data.resolve("journal").toFile(),
            dir.resolve("again").toFile());
        assertEquals(0, again.changed(), "nothing left to rewrite: " + again);
        assertThrows(IllegalArgumentException.class, () -> JournalRedaction.rewrite(data.resolve("journal").toFile(),
            dir.resolve("again").toFile()), "a redaction writes a new folder");
    }

    @Test
    void aSwapStoppedHalfWayIsCompletedByTheNextWriterAndAnUncheckedCopyIsNeverTaken() throws Exception {
        final Path data = dir.resolve("data");
        final Path journal = data.resolve("journal");
        try (Harness h = Harness.start(data)) {
            score(h, 0, 10);
            h.engine.erase(erasure(EntityKind.CUSTOMER, ERASED)).get();
        }
        // a copy left by a rewrite that did not finish its check: the engine keeps its own journal
        JournalRedaction.rewrite(journal.toFile(), JournalSwap.redactedOf(journal).toFile());
        try (Harness h = Harness.start(data)) {
            score(h, 11, 1);
        }
        assertTrue(Bytes.anyFileContains(journal, ERASED), "the original journal, still");
        assertFalse(Files.exists(JournalSwap.redactedOf(journal)), "the copy, stale once the engine appended, deleted");
        // killed right after the original was renamed: the next engine takes the copy and removes the original
        JournalRedaction.rewrite(journal.toFile(), JournalSwap.redactedOf(journal).toFile());
        Files.move(journal, data.resolve("journal.old"));
        try (Harness h = Harness.start(data)) {
            score(h, 13, 1);
        }
        assertFalse(Bytes.anyFileContains(journal, ERASED), "the rewritten journal took the original's place");
        assertFalse(Files.exists(data.resolve("journal.old")) || Files.exists(JournalSwap.redactedOf(journal)));
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
    }
}
