package io.ecap.gateway;

import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineRunner;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * One event loop's connection to the engine: offers commands on its own {@link EngineClient} and delivers each answer
 * back on the event loop.
 *
 * <p>While answers are outstanding the link polls between I/O events for a few turns of the event loop; when those
 * find nothing it asks the engine to wake it and lets the event loop sleep. The writer's wake-up hands one fixed task
 * to the Netty event loop directly: no allocation on the writer thread (Vert.x's {@code runOnContext} would wrap the
 * handler in a new object), which is why this one class uses Vert.x's internal context API.
 */
public final class EngineLink implements EngineClient.ResponseHandler {
    /** Receives the engine's answer to one command, on the event loop. */
    @FunctionalInterface
    public interface Answer {
        void onAnswer(int type, long journalIndex, DirectBuffer buffer, int offset, int length);
    }

    /** Empty polls in a row before the link sleeps until the engine wakes it. */
    private static final int EMPTY_POLLS_BEFORE_SLEEP = 4;

    private final ContextInternal context;
    private final EventLoop eventLoop;
    private final EngineClient client;
    private final Long2ObjectHashMap<Answer> pending = new Long2ObjectHashMap<>();
    private final Handler<Void> pollTask = ignored -> poll();
    private final Runnable wakeTask;
    private boolean polling;
    private int emptyPolls;

    public EngineLink(final Context context, final EngineRunner engine) {
        this.context = (ContextInternal) context;
        this.eventLoop = this.context.nettyEventLoop();
        this.client = engine.newClient();
        this.wakeTask = () -> this.context.emit(pollTask);
        client.waker(() -> eventLoop.execute(wakeTask));
    }

    /** Offers a command. Returns false when the engine is saturated (back-pressure): nothing was sent. */
    public boolean submit(final int type, final DirectBuffer message, final int offset, final int length,
        final Answer answer) {
        final long correlationId = client.offer(type, message, offset, length);
        if (correlationId < 0) {
            return false;
        }
        pending.put(correlationId, answer);
        if (!polling) {
            polling = true;
            emptyPolls = 0;
            context.runOnContext(pollTask);
        }
        return true;
    }

    /** Commands sent and not answered yet. */
    public int outstanding() {
        return pending.size();
    }

    private void poll() {
        if (client.poll(this, 256) > 0) {
            emptyPolls = 0;
        } else {
            emptyPolls++;
        }
        if (pending.isEmpty()) {
            polling = false;
        } else if (emptyPolls < EMPTY_POLLS_BEFORE_SLEEP || !client.awaitAnswers()) {
            context.runOnContext(pollTask);
        } else {
            emptyPolls = 0;
        }
    }

    @Override
    public void onResponse(final int type, final long correlationId, final long journalIndex,
        final DirectBuffer buffer, final int body, final int length) {
        final Answer answer = pending.remove(correlationId);
        if (answer != null) {
            answer.onAnswer(type, journalIndex, buffer, body, length);
        }
    }
}
