package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.Outcome;
import io.ecap.model.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListsTest {
    private static final long T0 = Txns.T0;

    @TempDir
    Path dir;

    private long seq;

    private ListChange change(final ListType list, final ListKind kind, final boolean add, final String value) {
        seq++;
        return new ListChange(list, kind, add, kind.canonical(value, "value"), "test", "analyst-1", T0, 1000, seq);
    }

    private static long apply(final Harness h, final ListChange change) throws Exception {
        return h.engine.listChange(change).get();
    }

    private static Harness.Answer score(final Harness h, final int i, final String customer, final String card,
        final String extra) {
        return h.score(txn("t-" + i, T0 + i * 60_000L, customer, card, "12.00", extra));
    }

    @Test
    void shouldDeclineABlockedEntityAndApproveAnAllowedOne() throws Exception {
        try (Harness h = Harness.start(dir.resolve("data"))) {
            assertEquals(List.of(), score(h, 1, "c-1", "k-1", "").reasons().stream()
                .filter(r -> r.contains("LIST")).toList());
            apply(h, change(ListType.BLOCK, ListKind.CARD, true, "k-1"));
            final Harness.Answer blocked = score(h, 2, "c-1", "k-1", "");
            assertEquals(Outcome.DECLINE, blocked.outcome());
            assertEquals("BLOCKLIST_CARD", blocked.reasons().get(0));

            apply(h, change(ListType.ALLOW, ListKind.CUSTOMER, true, "c-2"));
            final Harness.Answer allowed = score(h, 3, "c-2", "k-2", "");
            assertEquals(Outcome.APPROVE, allowed.outcome());
            assertEquals("ALLOWLIST_CUSTOMER", allowed.reasons().get(0));
            assertEquals(Outcome.DECLINE, score(h, 4, "c-2", "k-1", "").outcome(), "a block wins over an allow");

            apply(h, change(ListType.BLOCK, ListKind.IP, true, "::ffff:10.0.0.7"));
            apply(h, change(ListType.BLOCK, ListKind.EMAIL, true, "e3b0c44298fc1c14"));
            apply(h, change(ListType.BLOCK, ListKind.DEVICE, true, "d-9"));
            assertEquals("BLOCKLIST_IP", score(h, 5, "c-5", "k-5", "\"ip\":\"10.0.0.7\"").reasons().get(0));
            assertEquals("BLOCKLIST_EMAIL", score(h, 6, "c-6", "k-6", "\"email\":\"e3b0c44298fc1c14\"")
                .reasons().get(0));
            assertEquals("BLOCKLIST_DEVICE", score(h, 7, "c-7", "k-7", "\"deviceId\":\"d-9\"").reasons().get(0));

            apply(h, change(ListType.BLOCK, ListKind.CARD, false, "k-1"));
            assertNotEquals("BLOCKLIST_CARD", score(h, 8, "c-1", "k-1", "").reasons().stream().findFirst()
                .orElse(""));
            assertEquals("1000-" + seq, h.engine.lastListStreamId());
        }
    }

    @Test
    void shouldApplyAChangeReadTwiceFromTheStreamOnce() throws Exception {
        try (Harness h = Harness.start(dir.resolve("data"))) {
            final ListChange block = change(ListType.BLOCK, ListKind.CARD, true, "k-1");
            assertTrue(apply(h, block) > 0);
            final ListChange unblock = change(ListType.BLOCK, ListKind.CARD, false, "k-1");
            assertTrue(apply(h, unblock) > 0);
            assertEquals(0, apply(h, block), "an older stream id changes nothing");
            assertEquals(0, apply(h, unblock), "the same stream id changes nothing");
            assertNotEquals(Outcome.DECLINE, score(h, 1, "c-1", "k-1", "").outcome());
            assertEquals(2, h.engine.counters().get(EngineCounters.Counter.LIST_CHANGES));
        }
    }

    @Test
    void shouldStartWithTheListsFromTheirOwnEntriesAndReplayEveryDecision() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            for (int i = 0; i < 40; i++) {
                score(h, i, "c-" + i % 7, "k-" + i % 5, "");
                if (i % 10 == 3) {
                    apply(h, change(ListType.BLOCK, ListKind.CARD, true, "k-" + i / 10));
                }
                if (i % 10 == 8) {
                    apply(h, change(ListType.ALLOW, ListKind.CUSTOMER, true, "c-" + i % 7));
                }
                if (i == 25) {
                    apply(h, change(ListType.BLOCK, ListKind.CARD, false, "k-1"));
                }
            }
        }
        try (Harness h = Harness.start(data)) {
            assertEquals(0, h.engine.recoveredEntries(), "a clean start applies no journal entry");
            assertEquals("1000-" + seq, h.engine.lastListStreamId());
            assertEquals("BLOCKLIST_CARD", score(h, 100, "c-100", "k-2", "").reasons().get(0));
            assertEquals("ALLOWLIST_CUSTOMER", score(h, 101, "c-1", "k-101", "").reasons().get(0));
            assertNotEquals(Outcome.DECLINE, score(h, 102, "c-102", "k-1", "").outcome(), "k-1 was unblocked");
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
        try (FeatureStore a = FeatureStore.open(data.resolve("maps"), 10_000, 50_000);
             FeatureStore b = FeatureStore.open(dir.resolve("replay"), 10_000, 50_000)) {
            assertEquals(a.meta().listIndex(), b.meta().listIndex());
        }
        // without the maps the whole journal is applied, list changes among the rest
        try (Stream<Path> files = Files.walk(data.resolve("maps"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Harness h = Harness.start(data)) {
            assertEquals("BLOCKLIST_CARD", score(h, 200, "c-200", "k-2", "").reasons().get(0));
            assertEquals("1000-" + seq, h.engine.lastListStreamId());
            long listEntries = 0;
            try (JournalReader reader = h.engine.journal().reader()) {
                reader.hoppingGaps().after(0);
                while (reader.next()) {
                    listEntries += reader.type() == EntryType.LIST_CHANGE ? 1 : 0;
                }
            }
            assertEquals(seq, listEntries);
        }
    }

    @Test
    void shouldRefuseValuesTheTransactionsCouldNotCarry() {
        assertEquals("2001:db8::1", ListKind.IP.canonical("2001:DB8:0:0::1", "value"));
        assertThrows(ValidationException.class, () -> ListKind.IP.canonical("10.0.0.300", "value"));
        assertThrows(ValidationException.class, () -> ListKind.EMAIL.canonical("a@b.example", "value"));
        assertThrows(ValidationException.class, () -> ListKind.CARD.canonical("4111111111111111", "value"));
        assertThrows(ValidationException.class, () -> ListKind.CUSTOMER.canonical("with space", "value"));
        assertThrows(ValidationException.class, () -> ListKind.parse("iban", "kind"));
        assertEquals(ListKind.BIN, ListKind.parse("bin", "kind"));
        assertEquals("400000-409999", ListKind.BIN.canonical("400000-409999", "value"));
        for (final String bad : new String[] {"41111", "4111111", "41111a", "409999-400000", "400000-40999999",
            "400000-", "-400000", "4111111111111111", ""}) {
            final ValidationException e = assertThrows(ValidationException.class,
                () -> ListKind.BIN.canonical(bad, "value"), bad);
            assertEquals("value", e.field());
            assertTrue(e.problem().contains("a BIN of 6 or 8 digits"), e.getMessage());
        }
    }

    /**
     * BIN entries are ranges: an 8-digit BIN lies in the 6-digit entry it starts with and in a range that holds it; a
     * 6-digit BIN matches only an entry that holds all hundred 8-digit BINs it can stand for.
     */
    @Test
    void shouldMatchABinAgainstRangesOfBins() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            apply(h, change(ListType.BLOCK, ListKind.BIN, true, "411111"));
            apply(h, change(ListType.BLOCK, ListKind.BIN, true, "52000000-52009999"));
            apply(h, change(ListType.BLOCK, ListKind.BIN, true, "37000000"));
            apply(h, change(ListType.ALLOW, ListKind.BIN, true, "540000-549999"));
            assertEquals("BLOCKLIST_BIN", score(h, 1, "c-1", "k-1", "\"bin\":\"41111122\"").reasons().get(0));
            assertEquals("BLOCKLIST_BIN", score(h, 2, "c-2", "k-2", "\"bin\":\"411111\"").reasons().get(0));
            assertEquals("BLOCKLIST_BIN", score(h, 3, "c-3", "k-3", "\"bin\":\"52005000\"").reasons().get(0));
            assertEquals("BLOCKLIST_BIN", score(h, 4, "c-4", "k-4", "\"bin\":\"520000\"").reasons().get(0),
                "520000 stands for 52000000-52000099, all blocked");
            assertNotEquals("BLOCKLIST_BIN", first(score(h, 5, "c-5", "k-5", "\"bin\":\"370000\"")),
                "370000 may be another BIN than 37000000");
            assertNotEquals("BLOCKLIST_BIN", first(score(h, 6, "c-6", "k-6", "\"bin\":\"41111200\"")));
            assertNotEquals("BLOCKLIST_BIN", first(score(h, 7, "c-7", "k-7", "")), "no BIN, no BIN list");
            final Harness.Answer allowed = score(h, 8, "c-8", "k-8", "\"bin\":\"54500012\"");
            assertEquals(Outcome.APPROVE, allowed.outcome());
            assertEquals("ALLOWLIST_BIN", allowed.reasons().get(0));

            apply(h, change(ListType.BLOCK, ListKind.BIN, false, "411111"));
            assertNotEquals("BLOCKLIST_BIN", first(score(h, 9, "c-9", "k-9", "\"bin\":\"41111122\"")),
                "removed");
            assertEquals("BLOCKLIST_BIN", score(h, 10, "c-10", "k-10", "\"bin\":\"52009999\"").reasons().get(0),
                "the other entries stay");
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
        try (Harness h = Harness.start(data)) {
            assertEquals("BLOCKLIST_BIN", score(h, 11, "c-11", "k-11", "\"bin\":\"37000000\"").reasons().get(0),
                "the BIN entries after a restart");
        }
    }

    private static String first(final Harness.Answer answer) {
        return answer.reasons().isEmpty() ? "" : answer.reasons().get(0);
    }
}
