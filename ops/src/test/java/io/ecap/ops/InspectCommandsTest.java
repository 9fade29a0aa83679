package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspection commands on a journal written by the score command. */
class InspectCommandsTest {
    @TempDir
    Path dir;

    /** Runs the command line; returns the exit code and its standard output. */
    private static Object[] run(final String... args) {
        final PrintStream out = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Ecap.run(args), captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void shouldPrintScoredEntriesWithTheirJournalIndex() {
        final String data = dir.resolve("data").toString();
        assertEquals(0, run("score", "--sample", "300", "--entities", "1000", "--data", data)[0]);
        final Object[] printed = run("journal", "--data", data, "--type", "scored", "--limit", "3", "--features");
        assertEquals(0, printed[0], (String) printed[1]);
        final List<String> lines = Arrays.stream(((String) printed[1]).split("\n")).filter(l -> !l.isBlank())
            .toList();
        assertEquals(3, lines.size(), (String) printed[1]);
        for (final String line : lines) {
            final JsonObject entry = new JsonObject(line);
            assertEquals("scored", entry.getString("type"));
            assertEquals(entry.getLong("index"), entry.getJsonObject("decision").getLong("journalIndex"));
            assertEquals(entry.getJsonObject("transaction").getString("txnId"),
                entry.getJsonObject("decision").getString("txnId"));
            assertTrue(entry.getJsonObject("features").size() > 50);
        }
    }
}
