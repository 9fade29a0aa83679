package io.ecap.hotpath.state;

/**
 * Named places in the write path where a test can make the process die on purpose, to prove that recovery is exact
 * whatever step a change had reached. Off unless the JVM is started with {@code -Decap.crash.at=POINT:N}, which halts
 * the process (as a kill would: no shutdown hooks, nothing flushed) the N-th time POINT is reached. When off, each
 * call is a test of a constant the compiler removes.
 *
 * <p>Points: {@code undo} (a range was saved, the change it protects not yet made), {@code journaled} (the entry is
 * in the journal, the state not yet changed by it), {@code applied} (the state is changed, the change not yet
 * complete), {@code shadow} (a transaction journaled and answered, its challenger's decision not yet), {@code grow}
 * (a new index generation exists, the header does not name it yet), {@code copy} (slots copied to the new index
 * generation, the copy cursor not yet moved), {@code evict} (an entity half removed) and {@code rotate} (a new
 * transaction index generation exists, the progress file does not name it yet).
 */
public final class CrashPoints {
    private static final String SPEC = System.getProperty("ecap.crash.at");
    private static final boolean ENABLED = SPEC != null && !SPEC.isBlank();
    private static final String POINT = ENABLED ? SPEC.substring(0, SPEC.indexOf(':') < 0 ? SPEC.length()
        : SPEC.indexOf(':')) : "";
    private static final long AT = ENABLED && SPEC.indexOf(':') >= 0 ? Long.parseLong(SPEC.substring(
        SPEC.indexOf(':') + 1)) : 1;
    /** Exit status of a process halted here. */
    public static final int EXIT_STATUS = 137;
    private static long reached;

    private CrashPoints() {
    }

    /** Halts the process if this is the configured point and the configured time it is reached. */
    public static void reached(final String point) {
        if (ENABLED && POINT.equals(point) && ++reached == AT) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
