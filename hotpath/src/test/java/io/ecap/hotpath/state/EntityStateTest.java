package io.ecap.hotpath.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EntityStateTest {
    /**
     * A state wrapped over an off-heap buffer keeps that buffer alive. It once kept only the address, so the
     * collector freed the memory of the engine's empty state and new entities read reused memory as an existing
     * state (rare test failures: a first transaction of a new card scored as if the card had history).
     */
    @Test
    void shouldKeepTheOffHeapBufferItWrapsReachable() {
        final EntityState state = new EntityState();
        final WeakReference<ByteBuffer> memory = wrapFresh(state);
        collect(memory, 20);
        assertNotNull(memory.get(), "the buffer under a wrapped state was collected");
        state.txnCount(7);
        assertEquals(7L, state.txnCount(), "reads and writes the wrapped memory");

        state.wrap(0L);
        collect(memory, 200);
        assertNull(memory.get(), "once the state wraps something else, the old buffer can go (the test sees GC)");
    }

    private static WeakReference<ByteBuffer> wrapFresh(final EntityState state) {
        final ByteBuffer buffer = BufferUtil.allocateDirectAligned(EntityLayout.LENGTH, 64);
        state.wrap(new UnsafeBuffer(buffer), 0).clear();
        return new WeakReference<>(buffer);
    }

    private static void collect(final WeakReference<?> ref, final int attempts) {
        for (int i = 0; i < attempts && ref.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(5);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
