package io.ecap.gateway.http;

import io.vertx.ext.web.RoutingContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Sends the items of one batch request to the engine, one command each, and answers once every item sent is answered:
 * the part shared by the batch routes ({@link BatchAnswer}, {@link ProfileBatch}). If the engine fills up part way,
 * the items before are sent and {@link #saturated()} says so.
 */
abstract class BatchSender {
    final Gate gate;
    final RoutingContext ctx;
    final int count;
    private int submitted;
    private int received;
    private boolean saturated;

    BatchSender(final Gate gate, final RoutingContext ctx, final int count) {
        this.gate = gate;
        this.ctx = ctx;
        this.count = count;
    }

    /** Sends every item ({@code offsets[i]} to {@code offsets[i + 1]} of {@code encoded}) as a {@code command}. */
    final void send(final int command, final MutableDirectBuffer encoded, final int[] offsets) {
        for (int i = 0; i < count; i++) {
            final int item = i;
            if (!gate.submit(command, encoded, offsets[i], offsets[i + 1] - offsets[i],
                (type, journalIndex, buffer, offset, length) -> {
                    received++;
                    answered(item, type, journalIndex, buffer, offset, length);
                    finishIfDone();
                })) {
                saturated = true;
                break;
            }
            submitted++;
        }
        finishIfDone();
    }

    /** The items sent before the engine filled up (all of them unless {@link #saturated()}). */
    final int submitted() {
        return submitted;
    }

    final boolean saturated() {
        return saturated;
    }

    /** The engine's answer to item {@code item}. */
    abstract void answered(int item, int type, long journalIndex, DirectBuffer buffer, int offset, int length);

    /** Every item sent is answered: answer the request. */
    abstract void finish();

    private void finishIfDone() {
        if (received < submitted || ctx.response().ended()) {
            return;
        }
        finish();
    }
}
