package io.ecap.gateway;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the gateway and the engine log while a piece of a test runs: the test logger (slf4j-simple) and the engine's
 * error handler in {@link GatewayFixture} both write to standard error, which is captured here (and still shown).
 */
final class LogCapture {
    /** A piece of a test that may throw. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private LogCapture() {
    }

    /** Runs the step and returns what was written to standard error meanwhile. */
    static String of(final Step step) throws Exception {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setErr(err);
            err.print(captured.toString(StandardCharsets.UTF_8));
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
