package io.ecap.hotpath.replay;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
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
        for (final EntityKind kind : EntityKind.ALL) {
            final Map<String, byte[]> left = snapshot(a, kind);
            final Map<String, byte[]> right = snapshot(b, kind);
            for (final Map.Entry<String, byte[]> e : left.entrySet()) {
                final byte[] other = right.remove(e.getKey());
                if (other == null) {
                    count = note(differences, count, kind.prefix() + " " + e.getKey() + " only in the first state");
                } else if (!java.util.Arrays.equals(e.getValue(), other)) {
                    count = note(differences, count, kind.prefix() + " " + e.getKey() + " differs at byte "
                        + java.util.Arrays.mismatch(e.getValue(), other) + " of the slot");
                }
            }
            for (final String key : right.keySet()) {
                count = note(differences, count, kind.prefix() + " " + key + " only in the second state");
            }
        }
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

    private static Map<String, byte[]> snapshot(final FeatureStore store, final EntityKind kind) {
        final Map<String, byte[]> result = new HashMap<>();
        store.entities(kind).forEach((key, state) -> result.put(key, bytes(state)));
        return result;
    }

    private static byte[] bytes(final EntityState state) {
        final byte[] copy = new byte[EntityLayout.LENGTH];
        state.buffer().getBytes(0, copy);
        return copy;
    }

    private static Map<String, String> txns(final FeatureStore store) {
        final Map<String, String> result = new HashMap<>();
        store.txnIndex().forEachEntry((hash, scored, labelled) -> result.put(Long.toHexString(hash),
            scored + (labelled ? " labelled" : "")));
        return result;
    }
}
