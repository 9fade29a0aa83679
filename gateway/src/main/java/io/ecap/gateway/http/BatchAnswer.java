package io.ecap.gateway.http;

import io.ecap.hotpath.engine.Commands;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Collects the decisions of one batch and answers once all of them are in, in the order they were sent. */
final class BatchAnswer extends BatchSender {
    private final long startNs;
    private final Buffer[] decisions;
    private boolean failed;

    BatchAnswer(final Gate gate, final RoutingContext ctx, final long startNs, final int count) {
        super(gate, ctx, count);
        this.startNs = startNs;
        this.decisions = new Buffer[count];
    }

    /** Sends every transaction ({@code offsets[i]} to {@code offsets[i + 1]} of {@code encoded}). */
    void send(final MutableDirectBuffer encoded, final int[] offsets) {
        send(Commands.SCORE, encoded, offsets);
    }

    @Override
    void answered(final int slot, final int type, final long journalIndex, final DirectBuffer buffer,
        final int offset, final int length) {
        if (type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE) {
            decisions[slot] = gate.decisionJson(buffer, offset, length);
            gate.logDecision(ctx, slot, type);
        } else if (type == Commands.RESPONSE_CONFLICT) {
            RequestIds.journaled(ctx, slot, journalIndex, "idempotency conflict, nothing journaled; the first entry");
            decisions[slot] = Replies.conflict(journalIndex).put("item", slot).toBuffer(); // in its place
        } else {
            failed = true;
        }
    }

    @Override
    void finish() {
        if (saturated()) {
            Replies.partWay(ctx, gate.diskFull(), submitted() + " of " + decisions.length + " were scored",
                new JsonObject().put("scored", submitted()));
        } else if (failed) {
            Replies.fail(ctx, 500, "engine_error", "the engine could not score every transaction of the batch");
        } else {
            final Buffer body = Buffer.buffer().appendByte((byte) '[');
            for (int i = 0; i < decisions.length; i++) {
                body.appendBuffer(decisions[i]).appendString(i + 1 < decisions.length ? "," : "");
            }
            Replies.json(ctx, 200, body.appendByte((byte) ']'));
            gate.gateway().metrics().requestTime(System.nanoTime() - startNs);
        }
    }
}
