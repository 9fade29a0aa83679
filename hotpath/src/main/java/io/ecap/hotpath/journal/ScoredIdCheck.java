package io.ecap.hotpath.journal;

import io.ecap.hotpath.state.TxnIndex;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.DirectBuffer;

/** Confirms a transaction index match by reading the scored entry from the journal and comparing its id. */
public final class ScoredIdCheck implements TxnIndex.IdCheck {
    private final JournalReader reader;
    private final ScoredEntryFlyweight entry = new ScoredEntryFlyweight();
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();

    /** @param reader a reader owned by the calling thread */
    public ScoredIdCheck(final JournalReader reader) {
        this.reader = reader;
    }

    @Override
    public boolean isScored(final long journalIndex, final DirectBuffer id, final int offset, final int length) {
        if (!reader.read(journalIndex) || reader.type() != EntryType.SCORED) {
            return false;
        }
        entry.wrapForDecode(reader.buffer(), 0, reader.length(), txn, decision);
        final int at = txn.stringOffset(TransactionFlyweight.TXN_ID);
        if (txn.stringLength(TransactionFlyweight.TXN_ID) != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (reader.buffer().getByte(at + i) != id.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }
}
