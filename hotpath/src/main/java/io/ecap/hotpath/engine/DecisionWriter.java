package io.ecap.hotpath.engine;

import io.ecap.hotpath.lists.EntityLists;
import io.ecap.hotpath.scoring.Scorer;
import io.ecap.model.Outcome;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes a decision, the live one or the challenger's, from the scorer that made it: score, outcome, versions and
 * reasons, a block or allow list's reason first when a list decided. Engine time and journal index are left 0 for the
 * engine to set.
 */
public final class DecisionWriter {
    private final EntityLists lists;

    public DecisionWriter(final EntityLists lists) {
        this.lists = lists;
    }

    /** Writes the decision {@code by} made on {@code txn} at {@code at} in {@code target}; returns its length. */
    public int write(final DecisionFlyweight into, final MutableDirectBuffer target, final int at,
        final TransactionFlyweight txn, final Scorer by, final Outcome decided, final int listMatch) {
        final DecisionFlyweight d = into.wrapForEncode(target, at)
            .score(by.score()).outcome(decided).journalIndex(0)
            .putString(DecisionFlyweight.TXN_ID, txn.buffer(), txn.stringOffset(TransactionFlyweight.TXN_ID),
                txn.stringLength(TransactionFlyweight.TXN_ID))
            .putString(DecisionFlyweight.RULE_SET_VERSION, by.ruleSetLabel())
            .putString(DecisionFlyweight.MODEL_VERSION, by.modelLabel());
        int reasons = by.reasonCount();
        if (listMatch != EntityLists.NONE) {
            d.addReason(lists.reasonCode(listMatch), lists.reasonDetail(listMatch), Double.NaN);
            reasons = Math.min(reasons, Scorer.MAX_REASONS - 1);
        }
        for (int i = 0; i < reasons; i++) {
            d.addReason(by.reasonCode(i), by.reasonDetail(i), by.reasonValue(i));
        }
        d.engineNanos(0);
        return d.encodedLength();
    }
}
