package io.ecap.hotpath.engine;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * Spins, then yields, then parks until a producer wakes it (or {@code maxParkNs} passes). A parked writer costs no
 * CPU, which matters when the writer shares a few cores with the event loops, and a producer that finds it parked
 * unparks it at once instead of leaving its command to wait out a backoff period.
 *
 * <p>No lost wake-ups: the writer announces itself as parked and then checks for work once more before parking; a
 * producer commits its command and then looks for a parked writer. One of the two always sees the other.
 */
final class WakeableIdleStrategy implements IdleStrategy {
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNs;
    private final BooleanSupplier hasWork;
    private volatile Thread parked;
    private int spins;
    private int yields;

    WakeableIdleStrategy(final int maxSpins, final int maxYields, final long maxParkNs, final BooleanSupplier hasWork) {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxParkNs = maxParkNs;
        this.hasWork = hasWork;
    }

    /**
     * Called by a producer after it committed work: unparks the writer if it is parked. Any thread. The ring's commit
     * is a release store, which a later load may overtake; the full fence keeps the read of {@code parked} after it,
     * so a writer that checked the ring just before announcing itself cannot be left parked.
     */
    void wake() {
        VarHandle.fullFence();
        final Thread writer = parked;
        if (writer != null) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    public void idle(final int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            parked = Thread.currentThread();
            if (!hasWork.getAsBoolean()) {
                LockSupport.parkNanos(maxParkNs);
            }
            parked = null;
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
    }

    @Override
    public String alias() {
        return "wakeable-backoff";
    }
}
