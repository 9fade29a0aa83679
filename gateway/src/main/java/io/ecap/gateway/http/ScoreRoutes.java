package io.ecap.gateway.http;

import io.ecap.hotpath.engine.Commands;
import io.ecap.model.ValidationException;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.json.CustomerProfileJson;
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
    private final CustomerProfileJson profiles = new CustomerProfileJson();
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
        final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(1024);
        final int[] offsets = parseItems(ctx, encoded, (json, offset, length, out, at) -> {
            final int size = transactions.parse(json, offset, length, out, at);
            gate.checkTime(out.getLong(at + TransactionFlyweight.TS_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN));
            return size;
        });
        if (offsets != null) {
            new BatchAnswer(gate, ctx, startNs, offsets.length - 1).send(encoded, offsets);
        }
    }

    /** Reads one element of a batch into {@code out} at {@code at}; returns its encoded length. */
    private interface ItemParser {
        int parse(UnsafeBuffer json, int offset, int length, ExpandableArrayBuffer out, int at);
    }

    /**
     * Checks and encodes every element of a JSON array body, one after the other into {@code encoded}; returns where
     * each starts (and, last, where the last ends), or null once it has answered 400 naming the element's field.
     */
    private int[] parseItems(final RoutingContext ctx, final ExpandableArrayBuffer encoded, final ItemParser parser) {
        final UnsafeBuffer body = Bodies.of(ctx);
        try {
            final int count = arrays.split(body, 0, body.capacity(), starts, lengths);
            final int[] offsets = new int[count + 1];
            for (int i = 0; i < count; i++) {
                try {
                    offsets[i + 1] = offsets[i] + parser.parse(body, starts[i], lengths[i], encoded, offsets[i]);
                } catch (final ValidationException e) {
                    throw new ValidationException("[" + i + "]." + e.field(), e.problem());
                }
            }
            return offsets;
        } catch (final ValidationException e) {
            Replies.invalid(ctx, e);
            return null;
        }
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

    /**
     * {@code POST /v1/admin/profiles}: a JSON array of customer profiles from the lake, each journaled and made its
     * customer's. Every element is checked before any is sent.
     */
    public void profiles(final RoutingContext ctx) {
        final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(1024);
        final int[] offsets = parseItems(ctx, encoded, (json, offset, length, out, at) -> {
            final int size = profiles.parse(json, offset, length, out, at);
            gate.checkTime(out.getLong(at + CustomerProfileFlyweight.TS_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN));
            return size;
        });
        if (offsets != null) {
            new ProfileBatch(gate, ctx, offsets.length - 1).send(encoded, offsets);
        }
    }

    private void accept(final RoutingContext ctx, final int command, final int length, final boolean withMatch) {
        if (!gate.submit(command, message, 0, length, (type, journalIndex, buffer, offset, size) -> {
            if (type == Commands.RESPONSE_ACCEPTED) {
                final JsonObject body = new JsonObject().put("journalIndex", journalIndex);
                if (withMatch) {
                    body.put("matched", buffer.getInt(offset) == 1);
                }
                Replies.json(ctx, 202, body);
                RequestIds.journaled(ctx, -1, journalIndex, "journaled");
            } else {
                gate.engineRefused(ctx, type, journalIndex, buffer, offset, size);
            }
        })) {
            gate.notSent(ctx);
        }
    }
}
