package io.ecap.ops.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.ops.Ecap;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI profile of {@code ecap chaos}: a few SIGKILLs of a real service under load, then the audit; and the audit
 * itself catches a lost, a changed and a twice-journaled decision.
 */
class ChaosCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassAfterKillsOfARealService() throws Exception {
        final Path data = dir.resolve("chaos");
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream out = System.out;
        final int status;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = Ecap.run("chaos", "--kills", "3", "--seed", "7", "--uptime-ms", "500-1500", "--replay-every",
                "2", "--data", data.toString());
        } finally {
            System.setOut(out);
        }
        final String report = captured.toString(StandardCharsets.UTF_8);
        out.print(report);
        assertEquals(0, status, report);
        assertTrue(report.contains("lost 0   changed 0   journaled twice 0"), report);
        assertTrue(report.contains("Every decision is reproduced exactly.")
            && report.contains("The engine's state equals the rebuilt state."), report);
        assertTrue(report.contains("replays along the way: 1, failed 0"), report);
        assertTrue(report.contains("PASS"), report);
    }

    @Test
    void shouldRefuseAFolderThatIsNotEmpty() throws Exception {
        Files.writeString(dir.resolve("something"), "x");
        assertEquals(2, Ecap.run("chaos", "--kills", "1", "--data", dir.toString()), "a folder that holds something");
        assertEquals(2, Ecap.run("chaos", "--data", dir.resolve("something").toString()), "a file");
        assertEquals(2, Ecap.run("chaos", "--uptime-ms", "0-9223372036854775807"), "more than a day");
        assertEquals(2, Ecap.run("chaos", "--uptime-ms", "9-3"), "a window that is not MIN-MAX is a usage error");
        assertEquals(2, Ecap.run("chaos", "--minutes", "-1"), "a negative time budget is a usage error");
    }

    @Test
    void auditShouldFindLostChangedAndDuplicatedDecisions() throws Exception {
        final Path data = dir.resolve("data");
        assertEquals(0, Ecap.run("score", "--data", data.toString(), sample()));
        final Ledger ledger = new Ledger();
        final Ledger.Audit nothingAcknowledged = ledger.audit(data.resolve("journal"));
        assertEquals(0, nothingAcknowledged.duplicated());
        assertTrue(nothingAcknowledged.scoredEntries() >= 2);

        final Ledger.Ack[] first = firstScored(data.resolve("journal"));
        ledger.acknowledge(first[0]);
        ledger.acknowledge(first[1]);
        assertTrue(ledger.audit(data.resolve("journal")).clean(), "the journal holds what was answered");
        ledger.acknowledge(new Ledger.Ack("s-2", first[1].decision(), first[1].score() + 1, first[1].journalIndex()));
        ledger.acknowledge(new Ledger.Ack("never-sent", "APPROVE", 0, 42));
        final Ledger.Audit audit = ledger.audit(data.resolve("journal"));
        assertEquals(1, audit.lost(), audit.examples().toString());
        assertEquals(1, audit.changed(), audit.examples().toString());

        // a scored entry appended a second time is a transaction journaled twice
        try (Journal journal = Journal.open(data.resolve("journal").toFile());
             JournalReader reader = journal.reader()) {
            assertTrue(reader.read(first[0].journalIndex()));
            final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(reader.length());
            copy.putBytes(0, reader.buffer(), 0, reader.length());
            journal.append(copy, 0, reader.length());
        }
        final Ledger.Audit twice = ledger.audit(data.resolve("journal"));
        assertEquals(1, twice.duplicated(), twice.examples().toString());
        assertFalse(twice.clean());
    }

    private String sample() throws Exception {
        final Path file = dir.resolve("two.jsonl");
        Files.writeString(file, """
            {"txnId":"s-1","ts":1793664000265,"customerId":"c-1","cardId":"k-1","merchantId":"m-1","amount":"43.26",\
            "currency":"USD"}
            {"txnId":"s-2","ts":1793664005908,"customerId":"c-2","cardId":"k-2","merchantId":"m-1","amount":"12.00",\
            "currency":"USD"}
            """);
        return file.toString();
    }

    /** The decisions of the first two scored entries, as the service would have answered them. */
    private static Ledger.Ack[] firstScored(final Path journalDir) {
        final Ledger.Ack[] found = new Ledger.Ack[2];
        final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
        final TransactionFlyweight txn = new TransactionFlyweight();
        final DecisionFlyweight decision = new DecisionFlyweight();
        int n = 0;
        try (Journal journal = Journal.openReadOnly(journalDir.toFile());
             JournalReader reader = journal.reader()) {
            while (n < 2 && reader.next()) {
                if (reader.type() == EntryType.SCORED) {
                    entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
                    found[n++] = new Ledger.Ack(txn.string(TransactionFlyweight.TXN_ID), decision.outcome().name(),
                        decision.score(), reader.index());
                }
            }
        }
        return found;
    }
}
