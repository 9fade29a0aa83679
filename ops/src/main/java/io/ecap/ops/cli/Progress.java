package io.ecap.ops.cli;

import java.io.PrintStream;

/**
 * Shows progress of a long run on stderr: an updating line on a terminal, a line every few seconds otherwise.
 * Reads the clock at most once per call and prints at most once per interval.
 */
final class Progress {
    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private final long intervalNs;
    private final long startNs = System.nanoTime();
    private long nextNs;
    private boolean printed;

    Progress(final PrintStream err) {
        this.err = err;
        this.intervalNs = (terminal ? 500 : 5_000) * 1_000_000L;
        this.nextNs = startNs + intervalNs;
    }

    /** Prints {@code text} if the interval passed; {@code text} is built only then. */
    void update(final java.util.function.Supplier<String> text) {
        final long now = System.nanoTime();
        if (now - nextNs < 0) {
            return;
        }
        nextNs = now + intervalNs;
        if (terminal) {
            err.print("\r" + text.get() + "   ");
        } else {
            err.println(text.get());
        }
        printed = true;
    }

    void done() {
        if (printed && terminal) {
            err.println();
        }
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNs) / 1e9;
    }
}
