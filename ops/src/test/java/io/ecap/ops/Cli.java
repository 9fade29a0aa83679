package io.ecap.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code ecap} command lines in the test's JVM. */
final class Cli {
    private Cli() {
    }

    /** Runs the command line; returns the exit code and its standard output. */
    static Object[] run(final String... args) {
        final PrintStream out = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {Ecap.run(args), captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
        }
    }
}
