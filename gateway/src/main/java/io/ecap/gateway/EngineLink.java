package io.ecap.gateway;

import io.ecap.hotpath.engine.EngineClient;
import io.ecap.hotpath.engine.EngineRunner;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * One event loop's connection to the engine: offers commands on its own {@link EngineClient} and delivers each answer
 * back on the event loop. While answers are outstanding the link polls on every turn of the event loop (between I/O
 * events), and stops polling when none are.
 */
public final class EngineLink implements EngineClient.ResponseHandler {
    /** Receives the engine's answer to one command, on the event loop. */
    @FunctionalInterface
    public interface Answer {
        void onAnswer(int type, long journalIndex, DirectBuffer buffer, int offset, int length);
    }

    private final Context context;
    private final EngineClient client;
    private final Long2ObjectHashMap<Answer> pending = new Long2ObjectHashMap<>();
    private final Handler<Void> pollTask = ignored -> poll();
    private boolean polling;

    public EngineLink(final Context context, final EngineRunner engine) {
        this.context = context;
        this.client = engine.newClient();
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
            context.runOnContext(pollTask);
        }
        return true;
    }

    /** Commands sent and not answered yet. */
    public int outstanding() {
        return pending.size();
    }

    private void poll() {
        client.poll(this, 256);
        if (pending.isEmpty()) {
            polling = false;
        } else {
            context.runOnContext(pollTask);
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
