package io.ecap.gateway;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway and the engine log while a piece of a test runs: the test logger (slf4j-simple, the gateway's
 * loggers at debug; see simplelogger.properties) and the engine's error handler in {@link GatewayFixture} both write
 * to standard error, which is captured here (and still shown).
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
        return until(step, null, 0);
    }

    /**
     * Runs the step, then waits (at most {@code seconds}) until standard error has shown {@code expected} (when not
     * null); returns everything written meanwhile. Waiting is on the writes themselves, not on a clock.
     */
    static String until(final Step step, final String expected, final int seconds) throws Exception {
        final PrintStream err = System.err;
        final Sink sink = new Sink();
        System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            step.run();
            if (expected != null) {
                sink.await(expected, TimeUnit.SECONDS.toNanos(seconds));
            }
        } finally {
            System.setErr(err);
            err.print(sink.text());
        }
        return sink.text();
    }

    /** Collects what is written and wakes a waiter at every write. */
    private static final class Sink extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(final int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized void await(final String expected, final long timeoutNs) throws InterruptedException {
            final long deadline = System.nanoTime() + timeoutNs;
            while (!text().contains(expected)) {
                final long leftNs = deadline - System.nanoTime();
                if (leftNs <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            }
        }
    }
}
