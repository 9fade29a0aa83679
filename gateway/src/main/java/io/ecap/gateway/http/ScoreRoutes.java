package io.ecap.gateway.http;

import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.JsonArrays;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The scoring API of one event loop: parse and check the JSON, hand the binary command to the engine, answer when
 * the engine does. No scoring logic here. Not thread-safe: one instance per verticle.
 */
public final class ScoreRoutes {
    private final Gate gate;
    private final TransactionJson transactions = new TransactionJson();
    private final LabelJson labels = new LabelJson();
    private final UserEventJson events = new UserEventJson();
    private final ProductUpdateJson products = new ProductUpdateJson();
    private final JsonArrays arrays = new JsonArrays();
    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(1024);
    private final int[] starts;
    private final int[] lengths;

    public ScoreRoutes(final Gate gate, final int maxBatch) {
        this.gate = gate;
        this.starts = new int[maxBatch];
        this.lengths = new int[maxBatch];
    }

    /** {@code POST /v1/score}: one transaction, its decision. */
    public void score(final RoutingContext ctx) {
        final long startNs = System.nanoTime();
        final UnsafeBuffer body = Bodies.of(ctx);
        final int length;
        try {
            length = transactions.parse(body, 0, body.capacity(), message, 0);
            gate.checkTime(message.getLong(TransactionFlyweight.TS_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN));
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        if (!gate.submit(Commands.SCORE, message, 0, length, (type, journalIndex, buffer, offset, size) ->
            gate.decision(ctx, startNs, type, journalIndex, buffer, offset, size))) {
            gate.notSent(ctx);
        }
    }

    /**
     * {@code POST /v1/score/batch}: a JSON array of transactions, their decisions in the same order. Every element is
     * checked before any is sent. If the engine fills up part way, the answer is 503 and the transactions already
     * sent are scored; sending the batch again is safe (repeats get their first decision).
     */
    public void batch(final RoutingContext ctx) {
        final long startNs = System.nanoTime();
        final UnsafeBuffer body = Bodies.of(ctx);
        final int count;
        final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(1024);
        final int[] offsets;
        try {
            count = arrays.split(body, 0, body.capacity(), starts, lengths);
            offsets = new int[count + 1];
            for (int i = 0; i < count; i++) {
                try {
                    final int length = transactions.parse(body, starts[i], lengths[i], encoded, offsets[i]);
                    gate.checkTime(encoded.getLong(offsets[i] + TransactionFlyweight.TS_OFFSET,
                        java.nio.ByteOrder.LITTLE_ENDIAN));
                    offsets[i + 1] = offsets[i] + length;
                } catch (final ValidationException e) {
                    throw new ValidationException("[" + i + "]." + e.field(), e.problem());
                }
            }
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        new BatchAnswer(gate, ctx, startNs, count).send(encoded, offsets);
    }

    /** {@code POST /v1/labels}: a chargeback or an analyst's verdict, journaled. */
    public void label(final RoutingContext ctx) {
        final UnsafeBuffer body = Bodies.of(ctx);
        final int length;
        try {
            length = labels.parse(body, 0, body.capacity(), message, 0);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        accept(ctx, Commands.LABEL, length, true);
    }

    /** {@code POST /v1/events}: a clickstream event, journaled (and counted for the customer). */
    public void event(final RoutingContext ctx) {
        final UnsafeBuffer body = Bodies.of(ctx);
        final int length;
        try {
            length = events.parse(body, 0, body.capacity(), message, 0);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        accept(ctx, Commands.USER_EVENT, length, false);
    }

    /** {@code POST /v1/products}: a product update, journaled. */
    public void product(final RoutingContext ctx) {
        final UnsafeBuffer body = Bodies.of(ctx);
        final int length;
        try {
            length = products.parse(body, 0, body.capacity(), message, 0);
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        accept(ctx, Commands.PRODUCT_UPDATE, length, false);
    }

    private void accept(final RoutingContext ctx, final int command, final int length, final boolean withMatch) {
        if (!gate.submit(command, message, 0, length, (type, journalIndex, buffer, offset, size) -> {
            if (type == Commands.RESPONSE_ACCEPTED) {
                final JsonObject body = new JsonObject().put("journalIndex", journalIndex);
                if (withMatch) {
                    body.put("matched", buffer.getInt(offset) == 1);
                }
                Replies.json(ctx, 202, body);
            } else {
                gate.engineRefused(ctx, type, journalIndex, buffer, offset, size);
            }
        })) {
            gate.notSent(ctx);
        }
    }
}
