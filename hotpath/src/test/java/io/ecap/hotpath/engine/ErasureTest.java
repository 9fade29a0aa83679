package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ErasureEntryFlyweight;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityTable;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.ValidationException;
import io.ecap.testing.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasing an entity: its record and id leave the state files, the journal keeps the request without the id, a
 * replay reproduces the state, and an erasure journaled but not applied when the engine stopped is applied at start.
 */
class ErasureTest {
    private static final long T0 = Txns.T0;
    private static final String ERASED = "c-erased-7f3";
    private static final String KEPT = "c-kept-2b1";

    @TempDir
    Path dir;

    private static void scoreBoth(final Harness h, final int from, final int count) {
        for (int i = from; i < from + count; i++) {
            h.score(txn("t-" + i, T0 + i * 60_000L, i % 2 == 0 ? ERASED : KEPT, "k-" + i % 2, "12.00",
                "\"deviceId\":\"d-" + i % 2 + "\",\"ip\":\"10.1.2." + i % 2 + "\""));
        }
    }

    private static Erasure customer(final String id) {
        return Erasure.of(EntityKind.CUSTOMER, id, "id", "dpo-key", "ticket 4711", T0);
    }

    @Test
    void takesTheRecordAndItsIdOutOfTheStateAndAReplayDoesTheSame() throws Exception {
        final Path data = dir.resolve("data");
        final long entryIndex;
        try (Harness h = Harness.start(data)) {
            scoreBoth(h, 0, 20);
            final EngineRunner.Erased erased = h.engine.erase(customer(ERASED)).get();
            assertEquals(1, erased.records());
            entryIndex = erased.journalIndex();
            assertEquals(0, h.engine.erase(customer(ERASED)).get().records(), "nothing left to erase");
            assertEquals(1, h.engine.erase(Erasure.of(EntityKind.IP, "::ffff:10.1.2.0", "id", "dpo-key", "", T0))
                .get().records(), "an IP address in any spelling: its canonical form");
        }
        final byte[] records = Files.readAllBytes(data.resolve("maps").resolve("customer.records"));
        assertFalse(Bytes.contains(records, ERASED), "the erased customer's id is nowhere in the customer records");
        assertTrue(Bytes.contains(records, KEPT), "the other customer's is");
        final byte[] undo = Files.readAllBytes(data.resolve("maps").resolve("engine.undo"));
        assertFalse(Bytes.contains(undo, ERASED) || Bytes.contains(undo, "10.1.2.0"),
            "nor in the undo log, which saved each record before zeroing it");
        try (EntityTable customers = EntityTable.openReadOnly(EntityKind.CUSTOMER, data.resolve("maps").toFile())) {
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
            assertFalse(customers.read(ERASED, copy, 0));
            assertTrue(customers.read(KEPT, copy, 0));
            assertEquals(10, new EntityState().wrap(copy, 0).txnCount(), "the other customer untouched");
        }
        try (Journal journal = Journal.openReadOnly(data.resolve("journal").toFile());
             JournalReader reader = journal.reader()) {
            assertTrue(reader.read(entryIndex));
            assertEquals(EntryType.ERASURE, reader.type());
            final byte[] entry = new byte[reader.length()];
            reader.buffer().getBytes(0, entry);
            assertFalse(Bytes.contains(entry, ERASED), "the erasure entry holds the id's hash, not the id");
            assertEquals(customer(ERASED).idHash(),
                ErasureEntryFlyweight.decode(reader.buffer(), reader.length()).idHash());
        }
        try (Harness h = Harness.start(data)) {
            scoreBoth(h, 20, 4); // the customer comes back: a new entity, with nothing of before
        }
        try (EntityTable customers = EntityTable.openReadOnly(EntityKind.CUSTOMER, data.resolve("maps").toFile())) {
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
            assertTrue(customers.read(ERASED, copy, 0));
            assertEquals(2, new EntityState().wrap(copy, 0).txnCount());
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
    }

    @Test
    void aLateFraudLabelCountsOnlyAgainstTheEntitiesThatMadeThePayment() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            scoreBoth(h, 0, 4); // t-0 and t-2: the erased customer on card k-0; t-1 and t-3: the other on k-1
            h.engine.erase(customer(ERASED)).get();
            h.label("t-0", "FRAUD"); // a chargeback for a payment made before the erasure
            assertEquals(-1, fraudLabels(h, EntityKind.CUSTOMER, ERASED), "the erased customer is not brought back");
            assertEquals(1, fraudLabels(h, EntityKind.CARD, "k-0"), "its card was not erased: the label counts");
            scoreBoth(h, 4, 1); // t-4: the customer comes back, a new entity
            h.label("t-2", "FRAUD");
            assertEquals(0, fraudLabels(h, EntityKind.CUSTOMER, ERASED), "the new entity does not take on a label of "
                + "a payment made before it");
            assertEquals(2, fraudLabels(h, EntityKind.CARD, "k-0"));
            h.label("t-3", "FRAUD");
            assertEquals(1, fraudLabels(h, EntityKind.CUSTOMER, KEPT), "the other customer's label counts");
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
    }

    /** The entity's fraud labels, or -1 if the state has no such entity. */
    private static int fraudLabels(final Harness h, final EntityKind kind, final String id) {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
        return h.engine.store().entities(kind).read(id, copy, 0) ? new EntityState().wrap(copy, 0).fraudLabels() : -1;
    }

    @Test
    void anErasureJournaledButNotAppliedBeforeTheEngineStoppedIsAppliedAtStart() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            scoreBoth(h, 0, 10);
        }
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader lookup = journal.reader();
             FeatureStore store = FeatureStore.open(data.resolve("maps"), 10_000, 50_000)) {
            final Engine engine = RecoveryTest.failingAfterTheJournalWrite(journal, lookup, store);
            assertThrows(IllegalStateException.class, () -> engine.erase(customer(ERASED)));
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
            assertTrue(store.entities(EntityKind.CUSTOMER).read(ERASED, copy, 0), "rolled back: not erased yet");
        }
        try (Harness h = Harness.start(data)) {
            assertEquals(1, h.engine.recoveredEntries(), "the journaled erasure is applied at start");
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[EntityLayout.LENGTH]);
            assertFalse(h.engine.store().entities(EntityKind.CUSTOMER).read(ERASED, copy, 0));
            assertEquals(0, h.engine.erase(customer(ERASED)).get().records());
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
    }

    @Test
    void refusesWhatIsNotAnIdNamingTheField() {
        assertEquals("id", assertThrows(ValidationException.class, () -> customer("")).field());
        assertEquals("id", assertThrows(ValidationException.class, () -> customer("two words")).field());
        assertEquals("id", assertThrows(ValidationException.class, () -> customer("x".repeat(65))).field());
        assertEquals("--ip", assertThrows(ValidationException.class,
            () -> Erasure.of(EntityKind.IP, "10.0.0.256", "--ip", "cli", "", T0)).field());
        assertEquals("actor", assertThrows(ValidationException.class,
            () -> Erasure.of(EntityKind.CARD, "k-1", "id", "", "", T0)).field());
        assertEquals("reason", assertThrows(ValidationException.class,
            () -> Erasure.of(EntityKind.CARD, "k-1", "id", "a", "r".repeat(513), T0)).field());
        // the reason is kept for good: it names neither the id nor anyone
        final ValidationException naming = assertThrows(ValidationException.class,
            () -> Erasure.of(EntityKind.CUSTOMER, "C-5", "--customer", "cli", "erase c-5 per ticket 12", T0));
        assertEquals("--reason", naming.field());
        assertTrue(naming.problem().startsWith("names the id it erases"), naming.problem());
        assertEquals("reason", assertThrows(ValidationException.class, () -> Erasure.of(EntityKind.IP,
            "::ffff:10.0.0.1", "id", "a", "abuse from 10.0.0.1", T0)).field(), "nor in its canonical spelling");
        assertTrue(assertThrows(ValidationException.class, () -> Erasure.of(EntityKind.CUSTOMER, "c-5", "id", "a",
            "per mail from jane.doe@example.com", T0)).problem().contains("e-mail address"));
        assertEquals("ticket 4711", Erasure.of(EntityKind.CUSTOMER, "7", "id", "a", "ticket 4711", T0).reason(),
            "an id inside another word is not named");
    }
}
