package io.ecap.hotpath.replay;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityTable;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.FeatureStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two engine states entity by entity (the active slot of every entity with at least one event applied) and
 * the transaction index. Equal states mean equal future decisions.
 */
public final class StateDiff {
    public static final int MAX_REPORTED = 20;

    private StateDiff() {
    }

    /** Returns the differences found (at most {@link #MAX_REPORTED} described; the last line gives the count). */
    public static List<String> compare(final FeatureStore a, final FeatureStore b) {
        final List<String> differences = new ArrayList<>();
        long count = 0;
        // entity by entity, each side looked up in the other: no copy of either state is held (millions of entities)
        final long[] found = new long[1];
        for (final EntityKind kind : EntityKind.ALL) {
            final EntityTable right = b.entities(kind);
            final org.agrona.concurrent.UnsafeBuffer other = new org.agrona.concurrent.UnsafeBuffer(
                new byte[EntityLayout.LENGTH]);
            a.entities(kind).forEach((key, state) -> {
                if (!right.read(key, other, 0)) {
                    found[0] = note(differences, found[0], kind.prefix() + " " + key + " only in the first state");
                } else if (state.buffer().compareTo(other) != 0) {
                    found[0] = note(differences, found[0], kind.prefix() + " " + key + " differs at byte "
                        + mismatch(state, other) + " of the state");
                }
            });
            final EntityTable left = a.entities(kind);
            right.forEach((key, state) -> {
                if (!left.read(key, other, 0)) {
                    found[0] = note(differences, found[0], kind.prefix() + " " + key + " only in the second state");
                }
            });
        }
        count = found[0];
        final Map<String, String> txnLeft = txns(a);
        final Map<String, String> txnRight = txns(b);
        for (final Map.Entry<String, String> e : txnLeft.entrySet()) {
            if (!e.getValue().equals(txnRight.remove(e.getKey()))) {
                count = note(differences, count, "transaction " + e.getKey() + " indexed differently");
            }
        }
        for (final String key : txnRight.keySet()) {
            count = note(differences, count, "transaction " + key + " only in the second state");
        }
        if (count > 0) {
            differences.add(count + " difference(s) in all");
        }
        return differences;
    }

    private static long note(final List<String> differences, final long count, final String text) {
        if (differences.size() < MAX_REPORTED) {
            differences.add(text);
        }
        return count + 1;
    }

    private static int mismatch(final EntityState state, final org.agrona.DirectBuffer other) {
        for (int i = 0; i < EntityLayout.LENGTH; i++) {
            if (state.buffer().getByte(i) != other.getByte(i)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> txns(final FeatureStore store) {
        final Map<String, String> result = new HashMap<>();
        store.txnIndex().forEachEntry((hash, scored, labelled) -> result.put(Long.toHexString(hash),
            scored + (labelled ? " labelled" : "")));
        return result;
    }
}
