package io.ecap.hotpath.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A producer's handle on the engine: offers commands and polls the answers. One per thread (an event loop, a tool);
 * not thread-safe. An offer is refused (returns -1) when the command ring is full or this client already has
 * {@code maxInFlight} commands outstanding: that is back-pressure, for the caller to turn into "try again later".
 */
public final class EngineClient {
    /** Receives answers. */
    @FunctionalInterface
    public interface ResponseHandler {
        /**
         * @param type one of {@code Commands.RESPONSE_*}
         * @param body the decision message, matched flag or error text
         */
        void onResponse(int type, long correlationId, long journalIndex, DirectBuffer buffer, int body, int length);
    }

    /**
     * Told by the writer that answers arrived for a client that was waiting for them ({@link #awaitAnswers}).
     * Called on the writer thread: it must be quick and must not allocate (hand the work to the client's thread).
     */
    @FunctionalInterface
    public interface Waker {
        void wake();
    }

    private static final VarHandle WAITING;

    static {
        try {
            WAITING = MethodHandles.lookup().findVarHandle(EngineClient.class, "waiting", int.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int id;
    private final ManyToOneRingBuffer commands;
    private final OneToOneRingBuffer responses;
    private final int maxInFlight;
    private final ResponseDispatcher dispatcher = new ResponseDispatcher();
    private final Runnable writerWake;
    private volatile Waker waker;
    @SuppressWarnings("unused") // through WAITING
    private volatile int waiting;
    private long nextCorrelationId = 1;
    private int inFlight;

    EngineClient(final int id, final ManyToOneRingBuffer commands, final OneToOneRingBuffer responses,
        final int maxInFlight, final Runnable writerWake) {
        this.id = id;
        this.commands = commands;
        this.responses = responses;
        this.maxInFlight = maxInFlight;
        this.writerWake = writerWake;
    }

    /** Sets who is told when answers arrive after {@link #awaitAnswers()}; set once, before the first offer. */
    public void waker(final Waker waker) {
        this.waker = waker;
    }

    /**
     * Asks to be woken (through the {@link Waker}) when the next answer arrives, instead of polling for it. Returns
     * false when answers are already waiting: poll them now. After true, exactly one wake-up follows.
     */
    public boolean awaitAnswers() {
        WAITING.setVolatile(this, 1);
        if (responses.size() > 0 && WAITING.compareAndSet(this, 1, 0)) {
            return false;
        }
        return true;
    }

    /**
     * Writer thread, after committing an answer: wakes a waiting client. The answer ring's commit is a release store,
     * which a later load may overtake; the full fence keeps the client's "waiting" flag from being read before the
     * answer is visible, so a client that checked the ring just before flagging itself cannot be left asleep.
     */
    void answered() {
        final Waker w = waker;
        if (w == null) {
            return;
        }
        VarHandle.fullFence();
        if ((int) WAITING.getVolatile(this) == 1 && WAITING.compareAndSet(this, 1, 0)) {
            w.wake();
        }
    }

    /** True when answers are in the ring, not yet polled. */
    public boolean answersWaiting() {
        return responses.size() > 0;
    }

    public int id() {
        return id;
    }

    /** Commands offered and not yet answered. */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Offers a command carrying a binary contract message.
     *
     * @param type {@code Commands.SCORE}, {@code LABEL}, {@code USER_EVENT} or {@code PRODUCT_UPDATE}
     * @return the correlation id of the command, or -1 when back-pressured.
     */
    public long offer(final int type, final DirectBuffer message, final int offset, final int length) {
        if (inFlight >= maxInFlight) {
            return -1;
        }
        final int claim = commands.tryClaim(type, Commands.HEADER_LENGTH + length);
        if (claim <= 0) {
            return -1;
        }
        final long correlationId = nextCorrelationId++;
        final var buffer = commands.buffer();
        buffer.putLong(claim + Commands.CORRELATION_OFFSET, correlationId);
        buffer.putInt(claim + Commands.CLIENT_OFFSET, id);
        buffer.putBytes(claim + Commands.HEADER_LENGTH, message, offset, length);
        commands.commit(claim);
        inFlight++;
        writerWake.run();
        return correlationId;
    }

    /**
     * For a caller that offers as fast as it can, when {@link #offer} is refused: sleeps in steps of 100 µs until the
     * engine has answered half of what is outstanding, delivering the answers to {@code handler}, so that the next
     * offers go in one burst. Spinning or yielding for each free slot holds a core the writer, the compilers and the
     * page touchers need (two cores carry all of them here); the writer never runs dry meanwhile, half the
     * outstanding commands being milliseconds of its work.
     */
    public void awaitRoom(final ResponseHandler handler) {
        final long room = inFlight / 2;
        do {
            java.util.concurrent.locks.LockSupport.parkNanos(ROOM_PARK_NS);
            poll(handler, 256);
        } while (inFlight > room);
    }

    private static final long ROOM_PARK_NS = 100_000;

    /** Delivers up to {@code limit} answers to {@code handler}; returns how many. */
    public int poll(final ResponseHandler handler, final int limit) {
        dispatcher.handler = handler;
        final int n = responses.read(dispatcher, limit);
        inFlight -= n;
        return n;
    }

    /** Bytes waiting in the command ring (shared by all clients). */
    public int commandRingBacklog() {
        return commands.size();
    }

    /** Room in the command ring as a fraction from 0 (full) to 1. */
    public double commandRingFree() {
        return 1.0 - (double) commands.size() / commands.capacity();
    }

    RingBuffer responses() {
        return responses;
    }

    private static final class ResponseDispatcher implements org.agrona.concurrent.MessageHandler {
        private ResponseHandler handler;

        @Override
        public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
            final int length) {
            handler.onResponse(msgTypeId, buffer.getLong(index + Commands.CORRELATION_OFFSET),
                buffer.getLong(index + Commands.RESPONSE_INDEX_OFFSET), buffer, index + Commands.RESPONSE_BODY_OFFSET,
                length - Commands.RESPONSE_BODY_OFFSET);
        }
    }
}
