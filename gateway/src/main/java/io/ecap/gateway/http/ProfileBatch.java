package io.ecap.gateway.http;

import io.ecap.hotpath.engine.Commands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Sends the customer profiles of one {@code POST /v1/admin/profiles} to the engine and answers once each is
 * journaled or refused: 202 with how many were accepted and their journal indexes; 400 listing the profiles the
 * engine refused (another shard's customers) beside the accepted count; 503 when the engine fills up part way. A
 * profile replaces the customer's one before it, so sending a batch again is safe.
 */
final class ProfileBatch extends BatchSender {
    private final JsonArray refused = new JsonArray();
    private long firstIndex;
    private long lastIndex;
    private int accepted;
    private boolean failed;

    ProfileBatch(final Gate gate, final RoutingContext ctx, final int count) {
        super(gate, ctx, count);
    }

    /** Sends every profile ({@code offsets[i]} to {@code offsets[i + 1]} of {@code encoded}). */
    void send(final MutableDirectBuffer encoded, final int[] offsets) {
        send(Commands.CUSTOMER_PROFILE, encoded, offsets);
    }

    @Override
    void answered(final int item, final int type, final long journalIndex, final DirectBuffer buffer,
        final int offset, final int length) {
        if (type == Commands.RESPONSE_ACCEPTED) {
            accepted++;
            firstIndex = firstIndex == 0 ? journalIndex : Math.min(firstIndex, journalIndex);
            lastIndex = Math.max(lastIndex, journalIndex);
            RequestIds.journaled(ctx, item, journalIndex, "journaled");
        } else if (type == Commands.RESPONSE_REJECTED) {
            refused.add(new JsonObject().put("item", item).put("message",
                buffer.getStringWithoutLengthAscii(offset, length)));
        } else {
            failed = true;
        }
    }

    @Override
    void finish() {
        final JsonObject summary = new JsonObject().put("accepted", accepted);
        if (accepted > 0) {
            summary.put("firstJournalIndex", firstIndex).put("lastJournalIndex", lastIndex);
        }
        if (saturated()) {
            Replies.partWay(ctx, gate.diskFull(), accepted + " of " + count + " profiles were taken", summary);
        } else if (failed) {
            Replies.json(ctx, 500, Replies.error("engine_error", "the engine could not take every profile of the "
                + "batch; send it again").mergeIn(summary));
        } else if (!refused.isEmpty()) {
            Replies.json(ctx, 400, Replies.error("rejected", refused.size() + " of " + count
                + " profiles were refused (see refused); the others were taken").mergeIn(summary)
                .put("refused", refused));
        } else {
            Replies.json(ctx, 202, summary);
        }
    }
}
