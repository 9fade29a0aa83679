package io.ecap.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.ops.Ecap;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap simulate}'s options and its refusal outside the launcher (the simulation itself: SimulationTest). */
class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesBadOptionsNamingThemAndRunsOnlyWhereTheCrashPointsCanThrow() throws Exception {
        final Path file = Files.writeString(dir.resolve("file"), "x");
        assertError(2, "--steps: expected 1 or more, got 0", "simulate", "--steps", "0");
        assertError(2, "--crash-rate: expected 0 to 0.01, got 0.5", "simulate", "--crash-rate", "0.5");
        assertError(2, "--minutes: expected more than 0 and at most 100000 (about 70 days), got -1.0", "simulate",
            "--minutes", "-1");
        assertError(2, "--minutes: expected more than 0 and at most 100000", "simulate", "--minutes", "1e12");
        assertError(2, "--power-losses: expected 0 to 100 (at most one a command, and 1000), got 101", "simulate",
            "--steps", "100", "--power-losses", "101");
        assertError(2, "--work: cannot make the folder " + file.resolve("sub"), "simulate", "--work",
            file.resolve("sub").toString());
        assertError(2, "--work: " + file + " is a file, not a folder", "simulate", "--work", file.toString());
        assertError(2, "Invalid value for option '--seed'", "simulate", "--seed", "x");
        assertError(2, "--seed: expected 0 to 1000000000000000000, got 9223372036854775807", "simulate", "--seed",
            "9223372036854775807");
        assertError(2, "--seed: expected 0 to", "simulate", "--seed", "-1");
        // this JVM was not started with -Decap.crash.at=simulation, as ./ecap simulate starts it
        assertError(1, "start through ./ecap simulate", "simulate", "--steps", "10", "--work", dir.toString());
    }

    @Test
    void aSubcommandsVersionIsEcaps() {
        final PrintStream before = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, Ecap.run("simulate", "-V"));
        } finally {
            System.setOut(before);
        }
        assertEquals("ecap 0.1.0", captured.toString(StandardCharsets.UTF_8).strip());
    }

    private static void assertError(final int status, final String message, final String... args) {
        final PrintStream before = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final int got;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            got = Ecap.run(args);
        } finally {
            System.setErr(before);
        }
        final String err = captured.toString(StandardCharsets.UTF_8);
        assertEquals(status, got, err);
        assertTrue(err.contains(message), err);
    }
}
