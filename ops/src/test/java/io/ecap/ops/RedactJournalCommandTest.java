package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.journal.JournalRedaction;
import io.ecap.hotpath.journal.JournalSwap;
import io.ecap.hotpath.state.FolderLock;
import io.ecap.testing.Bytes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ecap redact-journal: after an erasure, the journal without the id, checked by a replay, and a replay after it. */
class RedactJournalCommandTest {
    @TempDir
    Path dir;

    private static Object[] run(final String... args) {
        return Cli.run(args);
    }

    @Test
    void rewritesTheJournalWithoutTheErasedIdAndAReplayStillVerifies() throws Exception {
        final Path data = dir.resolve("data");
        final String folder = data.toString();
        assertEquals(0, run("score", "--sample", "300", "--entities", "1000", "--data", folder)[0]);
        final JsonObject first = new JsonObject(((String) run("journal", "--data", folder, "--type", "scored",
            "--limit", "1")[1]).strip()).getJsonObject("transaction");
        final String customer = first.getString("customerId");
        final String card = first.getString("cardId");
        assertTrue(Bytes.anyFileContains(data.resolve("journal"), customer), "the journal holds the customer before");
        final Path kept = dir.resolve("backup-kept");
        final Path removed = dir.resolve("backup-removed");
        assertEquals(0, run("backup", "--data", folder, "--to", kept.toString())[0]);
        assertEquals(0, run("backup", "--data", folder, "--to", removed.toString())[0]);
        try (java.util.stream.Stream<Path> files = Files.walk(removed)) {
            for (final Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
        final Object[] erased = run("erase", "--customer", customer, "--card", card, "--reason", "ticket 9", "--data",
            folder);
        assertEquals(0, erased[0], (String) erased[1]);
        assertTrue(((String) erased[1]).contains("so do the backups of this folder still there (their journal, and "
            + "their state): " + kept.toAbsolutePath() + " (taken "), (String) erased[1]);
        assertFalse(((String) erased[1]).contains(removed.toString()), "a backup removed since is not named");
        assertTrue(Bytes.anyFileContains(data.resolve("journal"), customer), "an erasure alone leaves the journal's "
            + "entries as they were");

        try (FolderLock tailer = FolderLock.acquire(Files.createDirectories(data.resolve("lake-tailer")))) {
            final Object[] refused = run("redact-journal", "--data", folder);
            assertEquals(1, refused[0], "refused while a lake tailer runs");
        }
        final Object[] redacted = run("redact-journal", "--data", folder);
        assertEquals(0, redacted[0], (String) redacted[1]);
        assertTrue(((String) redacted[1]).contains("; 2 erasures; "), (String) redacted[1]);
        assertTrue(((String) redacted[1]).contains("replaced the journal"), (String) redacted[1]);
        assertTrue(((String) redacted[1]).contains("backups (of this folder, still there: " + kept.toAbsolutePath()
            + " (taken "), (String) redacted[1]);
        assertFalse(Bytes.anyFileContains(data.resolve("journal"), customer), "no byte of the journal holds it");
        assertFalse(Bytes.anyFileContains(data.resolve("journal"), card), "nor its card");
        assertFalse(Bytes.anyFileContains(data.resolve("maps"), customer), "nor of the state");
        assertFalse(Files.exists(data.resolve("journal.old")) || Files.exists(data.resolve("journal.redacted")),
            "no copy left behind");

        final Object[] replay = run("replay", "--data", folder);
        assertEquals(0, replay[0], (String) replay[1]);
        assertTrue(((String) replay[1]).contains("Every decision is reproduced exactly."), (String) replay[1]);
        final Object[] again = run("redact-journal", "--data", folder);
        assertEquals(0, again[0], (String) again[1]);
        assertTrue(((String) again[1]).contains("nothing to rewrite"), (String) again[1]);
        assertEquals(0, run("score", "--sample", "20", "--seed", "7", "--entities", "1000", "--data", folder)[0],
            "the engine goes on");
        assertEquals(2, run("redact-journal", "--data", dir.resolve("nowhere").toString())[0]);

        // a rewrite stopped half-way, the original renamed and the checked copy not in place yet: any command completes
        // the swap, not only a start of the engine
        final String other = ((String) run("journal", "--data", folder, "--type", "scored", "--limit", "50")[1])
            .lines().map(line -> new JsonObject(line).getJsonObject("transaction").getString("customerId"))
            .filter(id -> !id.startsWith("~") && !id.equals(customer)).findFirst().orElseThrow();
        assertEquals(0, run("erase", "--customer", other, "--data", folder)[0]);
        final Path journal = data.resolve("journal");
        JournalRedaction.rewrite(journal.toFile(), JournalSwap.redactedOf(journal).toFile());
        Files.move(journal, data.resolve("journal.old"));
        assertEquals(0, run("journal", "--data", folder, "--limit", "1")[0]);
        assertFalse(Files.exists(data.resolve("journal.old")), "the original deleted once the copy is in place");
        assertFalse(Bytes.anyFileContains(journal, other), "the copy is the journal");
    }
}
