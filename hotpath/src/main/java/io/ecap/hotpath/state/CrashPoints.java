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
 * transaction index generation exists, the progress file does not name it yet). The lake tailer's:
 * {@code bronze-files} (a table's Parquet files written, not committed), {@code bronze-table} (one table committed,
 * the next not yet) and {@code bronze-mark} (every table committed, the new mark written beside the old one, not yet
 * in its place).
 *
 * <p>With {@code -Decap.crash.at=simulation} nothing halts: a deterministic simulation ({@code io.ecap.hotpath.sim})
 * decides at every point whether the process "dies" there, and if so the point throws {@link Crash}, an error no
 * code of the write path catches, so the files are left exactly as a kill at that step would leave them.
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
    private static final boolean SIMULATION = ENABLED && "simulation".equals(POINT);
    private static long reached;
    private static Plan plan;

    /** Decides, in a simulation, whether the process dies at a point it has reached. */
    public interface Plan {
        boolean crashAt(String point);
    }

    /** A simulated death at a crash point: thrown through the write path, caught only by the simulation. */
    public static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
        private final String point;

        public Crash(final String point) {
            super("simulated crash at " + point, null, false, false);
            this.point = point;
        }

        public String point() {
            return point;
        }
    }

    private CrashPoints() {
    }

    /** Halts the process if this is the configured point and the configured time it is reached. */
    public static void reached(final String point) {
        if (ENABLED) {
            if (SIMULATION) {
                final Plan p = plan;
                if (p != null && p.crashAt(point)) {
                    throw new Crash(point);
                }
            } else if (POINT.equals(point) && ++reached == AT) {
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
        }
    }

    /** Whether this JVM was started for a simulation ({@code -Decap.crash.at=simulation}). */
    public static boolean simulating() {
        return SIMULATION;
    }

    /**
     * The simulation's plan (null: no crashes); the simulation's one thread only. Returns the plan it replaces, so that
     * a simulation of another process (a tailer's) can put the engine's back.
     */
    public static Plan simulate(final Plan next) {
        if (!SIMULATION) {
            throw new IllegalStateException("a simulation needs the JVM started with -Decap.crash.at=simulation");
        }
        final Plan before = plan;
        plan = next;
        return before;
    }
}
