package io.ecap.gateway.http;

import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.hotpath.journal.ScoredIdCheck;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Ids;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code GET /v1/decisions/{txnId}}: finds a decision through the transaction index and reads it back from the
 * journal (memory-mapped, so it does not block the event loop). One instance per event loop.
 */
public final class DecisionLookup {
    private final Gate gate;
    private JournalReader reader;
    private ScoredIdCheck check;
    private final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();

    public DecisionLookup(final Gate gate) {
        this.gate = gate;
    }

    public void find(final RoutingContext ctx) {
        final String id = ctx.pathParam("txnId");
        final byte[] bytes = id == null ? new byte[0] : id.getBytes(StandardCharsets.US_ASCII);
        try {
            Ids.refuseCardNumber(new UnsafeBuffer(bytes), 0, bytes.length, "txnId");
            Ids.check(new UnsafeBuffer(bytes), 0, bytes.length, Ids.MAX_LENGTH, "txnId");
        } catch (final io.ecap.model.ValidationException e) {
            Replies.invalid(ctx, e);
            return;
        }
        final EngineRunner engine = gate.gateway().engine();
        if (reader == null) {
            reader = engine.journal().reader();
            check = new ScoredIdCheck(reader);
        }
        final long index = engine.store().txnIndex().lookup(new UnsafeBuffer(bytes), 0, bytes.length, check);
        if (index == 0 || !reader.read(index) || reader.type() != EntryType.SCORED) {
            Replies.fail(ctx, 404, "not_found", "no decision for this transaction id");
            return;
        }
        entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
        reader.buffer().putLong(decision.offset() + DecisionFlyweight.JOURNAL_INDEX_OFFSET, index,
            MessageHeader.ORDER);
        Replies.json(ctx, 200, gate.decisionJson(reader.buffer(), decision.offset(), decision.encodedLength()));
    }
}
