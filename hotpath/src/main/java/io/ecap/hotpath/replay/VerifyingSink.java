package io.ecap.hotpath.replay;

import io.ecap.hotpath.engine.EntrySink;
import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.ScoredEntryFlyweight;
import io.ecap.model.binary.DecisionFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * The replay's journal: instead of appending, it compares each entry the engine produces with the entry already in
 * the journal, byte for byte, except the decision's engine time (a measurement, not part of the decision).
 */
final class VerifyingSink implements EntrySink {
    static final int MAX_REPORTED = 20;

    private final ExpandableDirectByteBuffer expected = new ExpandableDirectByteBuffer(4096);
    private final TransactionFlyweight txn = new TransactionFlyweight();
    private final DecisionFlyweight journaled = new DecisionFlyweight();
    private final DecisionFlyweight replayed = new DecisionFlyweight();
    private final TransactionFlyweight replayedTxn = new TransactionFlyweight();
    private final ScoredEntryFlyweight scored = new ScoredEntryFlyweight();
    private final List<String> reported = new ArrayList<>();
    private long expectedIndex;
    private int expectedLength;
    private boolean consumed = true;
    private long mismatches;

    void expect(final long index, final DirectBuffer entry, final int length) {
        if (!consumed) {
            report("entry " + Long.toHexString(expectedIndex) + " was not reproduced");
        }
        expectedIndex = index;
        expectedLength = length;
        expected.putBytes(0, entry, 0, length);
        consumed = false;
    }

    @Override
    public long append(final DirectBuffer entry, final int offset, final int length) {
        if (consumed) {
            report("the replay wrote an entry the journal does not have");
            return expectedIndex;
        }
        consumed = true;
        if (!same(entry, offset, length)) {
            report(describe(entry, offset, length));
        }
        return expectedIndex;
    }

    private boolean same(final DirectBuffer entry, final int offset, final int length) {
        if (length != expectedLength) {
            return false;
        }
        int skipFrom = length;
        if (expected.getShort(0, java.nio.ByteOrder.LITTLE_ENDIAN) == EntryType.SCORED) {
            scored.wrapForDecode(expected, 0, expectedLength, txn, journaled);
            skipFrom = journaled.offset() + DecisionFlyweight.ENGINE_NANOS_OFFSET;
        }
        for (int i = 0; i < length; i++) {
            if ((i < skipFrom || i >= skipFrom + 8) && entry.getByte(offset + i) != expected.getByte(i)) {
                return false;
            }
        }
        return true;
    }

    private String describe(final DirectBuffer entry, final int offset, final int length) {
        final String where = "entry " + Long.toHexString(expectedIndex);
        if (expected.getShort(0, java.nio.ByteOrder.LITTLE_ENDIAN) != EntryType.SCORED) {
            return where + " (" + EntryType.name(expected.getShort(0, java.nio.ByteOrder.LITTLE_ENDIAN))
                + ") differs";
        }
        scored.wrapForDecode(expected, 0, expectedLength, txn, journaled);
        final String before = summary(journaled);
        final double[] journaledFeatures = new double[scored.featureCount()];
        scored.features(journaledFeatures);
        scored.wrapForDecode(entry, offset, length, replayedTxn, replayed);
        final String after = summary(replayed);
        final double[] replayedFeatures = new double[scored.featureCount()];
        scored.features(replayedFeatures);
        final String decisions = before.equals(after) ? "the same decision (" + before + ")"
            : "journal " + before + ", replay " + after;
        return where + " txn " + txn.string(TransactionFlyweight.TXN_ID) + ": " + decisions
            + featureDifferences(journaledFeatures, replayedFeatures);
    }

    /** The features that differ, with both values: what to look at when the decisions agree. */
    private static String featureDifferences(final double[] journal, final double[] replay) {
        if (journal.length != replay.length) {
            return "; " + journal.length + " features journaled, " + replay.length + " replayed";
        }
        final StringBuilder sb = new StringBuilder();
        int shown = 0;
        int differing = 0;
        for (int i = 0; i < journal.length; i++) {
            if (Double.doubleToRawLongBits(journal[i]) != Double.doubleToRawLongBits(replay[i])) {
                differing++;
                if (shown++ < MAX_FEATURES_SHOWN) {
                    sb.append(shown == 1 ? "; features differ: " : ", ").append(FeatureCatalog.name(i))
                        .append(" journal ").append(journal[i]).append(" replay ").append(replay[i]);
                }
            }
        }
        if (differing > MAX_FEATURES_SHOWN) {
            sb.append(" and ").append(differing - MAX_FEATURES_SHOWN).append(" more");
        }
        return differing == 0 ? "; the features are equal, other bytes of the entry differ" : sb.toString();
    }

    private static final int MAX_FEATURES_SHOWN = 5;

    private static String summary(final DecisionFlyweight d) {
        final StringBuilder sb = new StringBuilder().append(d.outcome()).append(' ').append(d.score()).append(" [");
        for (int i = 0; i < d.reasonCount(); i++) {
            sb.append(i == 0 ? "" : ",").append(d.reasonCode(i)).append('=').append(d.reasonValue(i));
        }
        return sb.append("] ").append(d.string(DecisionFlyweight.RULE_SET_VERSION)).append(' ')
            .append(d.string(DecisionFlyweight.MODEL_VERSION)).toString();
    }

    private void report(final String problem) {
        mismatches++;
        if (reported.size() < MAX_REPORTED) {
            reported.add(problem);
        }
    }

    void finish() {
        if (!consumed) {
            report("entry " + Long.toHexString(expectedIndex) + " was not reproduced");
            consumed = true;
        }
    }

    long mismatches() {
        return mismatches;
    }

    List<String> reported() {
        return reported;
    }
}
