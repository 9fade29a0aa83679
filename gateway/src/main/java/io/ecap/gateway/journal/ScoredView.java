package io.ecap.gateway.journal;

import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.MessageHeader;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.IdHash;
import io.ecap.model.json.DecisionJson;
import io.ecap.model.json.JsonWriter;
import io.ecap.model.json.TransactionJson;
import java.util.Arrays;
import org.agrona.MutableDirectBuffer;

/**
 * A scored journal entry as the outside world sees it: {@code {"decision": {..., "journalIndex": N},
 * "transaction": {...}}}, the shape of the WebSocket alert feed and of the {@code decisions} and {@code fraud-alerts}
 * Kafka topics. One instance per thread; reused for every entry.
 */
public final class ScoredView {
    private final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final DecisionFlyweight shadow = new DecisionFlyweight();
    private final TransactionJson txnJson = new TransactionJson();
    private final DecisionJson decisionJson = new DecisionJson();
    private final JsonWriter writer = new JsonWriter();

    /** Reads the reader's current entry, which must be a scored one; valid until the reader moves on. */
    public ScoredView wrap(final JournalReader reader) {
        final MutableDirectBuffer buffer = reader.buffer();
        entry.wrapForDecode(buffer, 0, reader.length(), txn, decision);
        buffer.putLong(decision.offset() + DecisionFlyweight.JOURNAL_INDEX_OFFSET, reader.index(),
            MessageHeader.ORDER);
        return this;
    }

    public Outcome outcome() {
        return decision.outcome();
    }

    /** The decision (the live one). */
    public DecisionFlyweight decision() {
        return decision;
    }

    /**
     * The challenger's decision when the entry carries it (journals written before 2026-12-06), or null; since then it
     * is the next entry ({@code ShadowEntryFlyweight}).
     */
    public DecisionFlyweight shadow() {
        return entry.hasShadow() ? entry.shadow(shadow) : null;
    }

    /** REVIEW or DECLINE. */
    public boolean isAlert() {
        return decision.outcome() != Outcome.APPROVE;
    }

    /** The merchant id (allocates: for the alert feed, not the hot path). */
    public String merchantId() {
        return txn.buffer().getStringWithoutLengthUtf8(txn.stringOffset(TransactionFlyweight.MERCHANT_ID),
            txn.stringLength(TransactionFlyweight.MERCHANT_ID));
    }

    /** The customer id, the key of the entry's Kafka records. */
    public byte[] customerKey() {
        final int length = txn.stringLength(TransactionFlyweight.CUSTOMER_ID);
        final byte[] key = new byte[length];
        txn.buffer().getBytes(txn.stringOffset(TransactionFlyweight.CUSTOMER_ID), key);
        return key;
    }

    /**
     * The hash of the transaction's id in {@code field} ({@code IdHash}: what an erasure entry names), such as
     * {@link TransactionFlyweight#CARD_ID}; 0, which no id hashes to, when the field is empty (no device, no IP).
     */
    public long idHash(final int field) {
        final int length = txn.stringLength(field);
        return length == 0 ? 0 : IdHash.hash(txn.buffer(), txn.stringOffset(field), length);
    }

    /** The JSON as UTF-8 bytes. */
    public byte[] jsonBytes() {
        return Arrays.copyOf(write().buffer().byteArray(), writer.length());
    }

    public String json() {
        return write().toString();
    }

    private JsonWriter write() {
        writer.reset().beginObject().name("decision");
        decisionJson.write(decision, writer);
        writer.name("transaction");
        txnJson.write(txn, writer);
        return writer.endObject();
    }
}
