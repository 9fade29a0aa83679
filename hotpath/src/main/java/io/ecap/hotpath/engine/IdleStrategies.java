package io.ecap.hotpath.engine;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** The writer's idle strategies by name. */
public final class IdleStrategies {
    /**
     * Spin, then yield, then park until a producer wakes the writer (at most 1 ms): low latency without burning a
     * core when idle.
     */
    public static final String BACKOFF = "backoff";
    /** Never sleeps: lowest latency, one core at 100%. For latency runs. */
    public static final String BUSY_SPIN = "busy-spin";
    public static final String YIELDING = "yielding";
    public static final String SLEEPING = "sleeping";

    private IdleStrategies() {
    }

    public static void check(final String name) {
        of(name, () -> false);
    }

    /** The strategy called {@code name}; {@code hasWork} tells a parking writer whether work arrived meanwhile. */
    static IdleStrategy of(final String name, final BooleanSupplier hasWork) {
        return switch (name) {
            case BACKOFF -> new WakeableIdleStrategy(100, 10, TimeUnit.MILLISECONDS.toNanos(1), hasWork);
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELDING -> new YieldingIdleStrategy();
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            default -> throw new IllegalArgumentException("unknown idle strategy '" + name
                + "' (expected backoff, busy-spin, yielding or sleeping)");
        };
    }
}
