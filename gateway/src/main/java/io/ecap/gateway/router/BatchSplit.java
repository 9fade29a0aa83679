package io.ecap.gateway.router;

import io.ecap.gateway.http.Replies;
import io.ecap.gateway.router.ShardClient.Answer;
import io.ecap.model.ValidationException;
import io.ecap.model.json.JsonArrays;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code POST /v1/score/batch} through the router: every transaction is read first (a batch with one that does not
 * read goes whole to the first shard, which refuses it naming the item and scores none of it), the batch is split by
 * shard, the parts are sent at once,
 * and the decisions are put back in the batch's order, each as its shard wrote it. A part a shard refused as a whole
 * answers for the batch, its item indexes turned back into the batch's; the other parts may have been scored, and
 * sending the batch again is safe (a repeat gets its first decision).
 */
final class BatchSplit {
    private final ShardClient shards;
    private final JsonArrays arrays = new JsonArrays();
    private final int[] starts;
    private final int[] lengths;

    /** The shard of the transaction in {@code body[offset, offset + length)}, read as a shard would read it. */
    interface Owner {
        int of(UnsafeBuffer body, int offset, int length);
    }

    /** Puts the shards' answers to the parts of a batch together into the batch's answer. */
    private interface Merge {
        void merge(RoutingContext ctx, int count, List<int[]> members, List<Answer> answers);
    }

    private final Owner owner;
    private final Owner profileOwner;

    BatchSplit(final ShardClient shards, final int maxBatch, final Owner owner, final Owner profileOwner) {
        this.shards = shards;
        this.owner = owner;
        this.profileOwner = profileOwner;
        this.starts = new int[maxBatch];
        this.lengths = new int[maxBatch];
    }

    /** {@code POST /v1/score/batch}: the decisions in the batch's order. */
    void route(final RoutingContext ctx, final UnsafeBuffer body) {
        route(ctx, body, owner, this::merge);
    }

    /**
     * {@code POST /v1/admin/profiles}: each customer's profile to the customer's shard; the answer adds up what the
     * shards took ({@code accepted}) and lists each shard's summary under {@code shards} (their journal indexes are
     * each its own journal's).
     */
    void routeProfiles(final RoutingContext ctx, final UnsafeBuffer body) {
        route(ctx, body, profileOwner, this::mergeProfiles);
    }

    private void route(final RoutingContext ctx, final UnsafeBuffer body, final Owner owner, final Merge merge) {
        final int count;
        final int[] owners;
        try {
            count = arrays.split(body, 0, body.capacity(), starts, lengths);
            owners = new int[count];
            for (int i = 0; i < count; i++) {
                try {
                    owners[i] = owner.of(body, starts[i], lengths[i]);
                } catch (final ValidationException e) {
                    throw new ValidationException("[" + i + "]." + e.field(), e.problem());
                }
            }
        } catch (final ValidationException e) {
            // the first shard checks the whole batch before it scores any of it, and names the bad item
            shards.send(0, ctx, ctx.body().buffer()).onSuccess(a -> shards.relay(ctx, a));
            return;
        }
        final List<int[]> members = new ArrayList<>();
        final List<Future<Answer>> answers = new ArrayList<>();
        for (int shard = 0; shard < shards.shards(); shard++) {
            final int[] items = itemsOf(owners, shard);
            if (items.length > 0) {
                members.add(items);
                answers.add(shards.send(shard, ctx, part(body, items)));
            }
        }
        if (answers.isEmpty()) { // an empty batch: the first shard answers it, its key checked
            shards.send(0, ctx, ctx.body().buffer()).onSuccess(a -> shards.relay(ctx, a));
            return;
        }
        Future.all(answers).onSuccess(all -> merge.merge(ctx, count, members, all.list()));
    }

    private void mergeProfiles(final RoutingContext ctx, final int count, final List<int[]> members,
        final List<Answer> answers) {
        if (relayedRefusal(ctx, members, answers, 202) || relayedMismatch(ctx, answers)) {
            return;
        }
        final JsonArray parts = new JsonArray();
        long accepted = 0;
        for (final Answer a : answers) {
            final JsonObject summary = a.body().toJsonObject();
            accepted += summary.getLong("accepted", 0L);
            parts.add(summary.put("shard", a.shard()));
        }
        Replies.json(ctx, 202, new JsonObject().put("accepted", accepted).put("shards", parts));
    }

    /** Relays the first part a shard answered otherwise than {@code ok}, its item indexes the batch's; or false. */
    private boolean relayedRefusal(final RoutingContext ctx, final List<int[]> members, final List<Answer> answers,
        final int ok) {
        for (int p = 0; p < answers.size(); p++) {
            final Answer a = answers.get(p);
            if (a.status() != ok) {
                shards.relay(ctx, renumbered(ShardRouter.named(a), members.get(p)));
                return true;
            }
        }
        return false;
    }

    /**
     * Relays the first answer of a gateway that is not the shard its place says; or names the shards that answered in
     * the answer's header and returns false.
     */
    private boolean relayedMismatch(final RoutingContext ctx, final List<Answer> answers) {
        final StringBuilder which = new StringBuilder();
        for (final Answer a : answers) {
            final Answer checked = shards.checked(a);
            if (checked != a) {
                shards.relay(ctx, checked);
                return true;
            }
            which.append(which.length() == 0 ? "" : ",").append(a.shard());
        }
        ctx.response().putHeader(ShardClient.SHARD_HEADER, which.toString());
        return false;
    }

    private static int[] itemsOf(final int[] owners, final int shard) {
        int n = 0;
        for (final int owner : owners) {
            n += owner == shard ? 1 : 0;
        }
        final int[] items = new int[n];
        int at = 0;
        for (int i = 0; i < owners.length; i++) {
            if (owners[i] == shard) {
                items[at++] = i;
            }
        }
        return items;
    }

    /** The items of one shard as a JSON array, each as the client wrote it. */
    private Buffer part(final UnsafeBuffer body, final int[] items) {
        final Buffer part = Buffer.buffer(items.length * 256).appendByte((byte) '[');
        for (int j = 0; j < items.length; j++) {
            if (j > 0) {
                part.appendByte((byte) ',');
            }
            final byte[] bytes = new byte[lengths[items[j]]];
            body.getBytes(starts[items[j]], bytes);
            part.appendBytes(bytes);
        }
        return part.appendByte((byte) ']');
    }

    private void merge(final RoutingContext ctx, final int count, final List<int[]> members,
        final List<Answer> answers) {
        if (relayedRefusal(ctx, members, answers, 200)) {
            return;
        }
        final byte[][] decisions = new byte[count][];
        final int[] at = new int[count];
        final int[] size = new int[count];
        for (int p = 0; p < answers.size(); p++) {
            final int[] items = members.get(p);
            final UnsafeBuffer body = new UnsafeBuffer(answers.get(p).body().getBytes());
            final int n = arrays.split(body, 0, body.capacity(), at, size);
            if (n != items.length) {
                Replies.fail(ctx, 502, "shard_answer", "shard " + answers.get(p).shard() + " answered " + n
                    + " decisions for " + items.length + " transactions");
                return;
            }
            for (int j = 0; j < n; j++) {
                decisions[items[j]] = new byte[size[j]];
                body.getBytes(at[j], decisions[items[j]]);
                if (size[j] > 1 && body.getByte(at[j] + 1) == '"' && body.getByte(at[j] + 2) == 'e') {
                    // an error in an item's place ({"error": ...}) says which item: the batch's, not the part's
                    final JsonObject error = new JsonObject(Buffer.buffer(decisions[items[j]]));
                    if (error.containsKey("item")) {
                        decisions[items[j]] = error.put("item", items[j]).toBuffer().getBytes();
                    }
                }
            }
        }
        if (relayedMismatch(ctx, answers)) {
            return;
        }
        final Buffer merged = Buffer.buffer(count * 512).appendByte((byte) '[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                merged.appendByte((byte) ',');
            }
            merged.appendBytes(decisions[i]);
        }
        Replies.json(ctx, 200, merged.appendByte((byte) ']'));
    }

    /** A shard's error about item {@code [j]} of its part, made to name item {@code [items[j]]} of the batch. */
    private static Answer renumbered(final Answer a, final int[] items) {
        try {
            final JsonObject body = a.body().toJsonObject();
            final String field = body.getString("field");
            if (field != null && field.startsWith("[") && field.indexOf(']') > 1) {
                final int j = Integer.parseInt(field.substring(1, field.indexOf(']')));
                final String batchField = "[" + items[j] + field.substring(field.indexOf(']'));
                body.put("field", batchField);
                final String message = body.getString("message", "");
                if (message.startsWith(field)) {
                    body.put("message", batchField + message.substring(field.length()));
                }
                if (body.containsKey("item")) {
                    body.put("item", items[j]);
                }
                return a.withBody(body.toBuffer());
            }
        } catch (final RuntimeException notOurs) {
            // not JSON, or not an item's error: relayed as it is
        }
        return a;
    }
}
