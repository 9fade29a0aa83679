package io.ecap.gateway.http;

import io.ecap.gateway.EngineLink;
import io.ecap.gateway.GatewayContext;
import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.field.Timestamps;
import io.ecap.model.json.DecisionJson;
import io.ecap.model.json.JsonWriter;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.agrona.DirectBuffer;

/**
 * One event loop's way to the engine for the HTTP and WebSocket handlers: the engine link (made once the engine is
 * ready), the checks the gateway adds to the contract, and the translation of the engine's answers into replies.
 */
public final class Gate {
    private final GatewayContext gateway;
    private final Context context;
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final DecisionJson decisionJson = new DecisionJson();
    private final JsonWriter writer = new JsonWriter();
    private EngineLink link;

    public Gate(final GatewayContext gateway, final Context context) {
        this.gateway = gateway;
        this.context = context;
    }

    public GatewayContext gateway() {
        return gateway;
    }

    /**
     * Sends a command to the engine; false when it is saturated or refuses new work (see {@link #diskFull}): nothing
     * was sent. The gateway must be ready.
     */
    public boolean submit(final int type, final DirectBuffer message, final int offset, final int length,
        final EngineLink.Answer answer) {
        if (diskFull()) {
            return false;
        }
        if (link == null) {
            link = new EngineLink(context, gateway.engine());
        }
        return link.submit(type, message, offset, length, answer);
    }

    /** True while the engine refuses new work because its disk is nearly full ({@code DiskGuard}). */
    public boolean diskFull() {
        return gateway.engine().diskRefusal() != null;
    }

    /** The 503 for a command {@link #submit} did not send: the disk is nearly full, or the engine is busy. */
    public void notSent(final RoutingContext ctx) {
        if (diskFull()) {
            Replies.diskFull(ctx);
        } else {
            Replies.unavailable(ctx, "saturated", "the engine is busy; try again");
        }
    }

    /** Commands of this event loop the engine has not answered yet. */
    public int outstanding() {
        return link == null ? 0 : link.outstanding();
    }

    /** Rejects transaction times too far ahead of the gateway's clock (the only check that needs a clock). */
    public void checkTime(final long tsMs) {
        final long limit = System.currentTimeMillis() + gateway.config().maxFutureSkewMs();
        if (tsMs > limit) {
            throw new ValidationException("ts", "is " + Timestamps.formatIso(tsMs) + ", more than "
                + gateway.config().maxFutureSkewMs() / 60_000 + " minutes ahead of now");
        }
    }

    /** The decision as JSON, with its journal index. */
    public Buffer decisionJson(final DirectBuffer buffer, final int offset, final int length) {
        decision.wrapForDecode(buffer, offset, length);
        gateway.metrics().engineTime(decision.engineNanos());
        writer.reset();
        decisionJson.write(decision, writer);
        return Buffer.buffer().appendBytes(writer.buffer().byteArray(), 0, writer.length());
    }

    /** Answers a scoring request with the engine's answer. */
    public void decision(final RoutingContext ctx, final long startNs, final int type, final long journalIndex,
        final DirectBuffer buffer, final int offset, final int length) {
        if (type == Commands.RESPONSE_DECISION || type == Commands.RESPONSE_DUPLICATE) {
            Replies.json(ctx, 200, decisionJson(buffer, offset, length));
            gateway.metrics().requestTime(System.nanoTime() - startNs);
            logDecision(ctx, -1, type);
        } else {
            engineRefused(ctx, type, journalIndex, buffer, offset, length);
        }
    }

    /**
     * With {@code log.requests}: the line for the decision {@link #decisionJson} read last, a new one or a repeat's
     * first one.
     */
    public void logDecision(final RoutingContext ctx, final int item, final int type) {
        RequestIds.journaled(ctx, item, decision.journalIndex(), type == Commands.RESPONSE_DUPLICATE
            ? "a repeat, answered with its first decision " + decision.outcome() : decision.outcome().name());
    }

    /** The engine refused (400), found an idempotency conflict (409) or failed (500). */
    public void engineRefused(final RoutingContext ctx, final int type, final long journalIndex,
        final DirectBuffer buffer, final int offset, final int length) {
        if (type == Commands.RESPONSE_CONFLICT) {
            RequestIds.journaled(ctx, -1, journalIndex, "idempotency conflict, nothing journaled; the first entry");
            Replies.json(ctx, 409, Replies.conflict(journalIndex));
        } else if (type == Commands.RESPONSE_REJECTED) {
            Replies.fail(ctx, 400, "rejected", buffer.getStringWithoutLengthAscii(offset, length));
        } else {
            Replies.fail(ctx, 500, "engine_error", "the engine could not process this request");
        }
    }
}
