package io.ecap.gateway.admin;

import io.ecap.hotpath.state.ConfigHistory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A version label ({@code name@version}) names one content for good: decisions, the journal and the lake record only
 * the label, so two different rule sets (or models) under one label could never be told apart afterwards. This looks
 * an upload's label up in the history of what went live. The labels of journaled versions are parsed once and kept
 * (a version's text never changes). One instance per event loop; not thread-safe.
 *
 * <p>The check runs in the gateway, before the engine is asked: two different uploads under the same new label at the
 * same moment, on two event loops, could both pass it. Only the engine's writer could make it atomic.
 */
final class VersionLabels {
    /** What the history holds under an upload's label. */
    enum Verdict {
        /** Nothing went live under this label: load it. */
        NEW,
        /** This very text is the live version: nothing to do. */
        LIVE,
        /** This very text went live before and another has since: load it again (it becomes live). */
        EARLIER,
        /** A different text went live under this label: refuse. */
        TAKEN
    }

    /** The verdict, and the journal index of the version it is about (0 for {@link Verdict#NEW}). */
    record Found(Verdict verdict, long journalIndex) {
    }

    /** Nothing went live under the label (or it has none). */
    static final Found NOTHING = new Found(Verdict.NEW, 0);

    private final Function<String, String> parseLabel;
    private final Map<Long, String> labels = new HashMap<>();

    /** @param parseLabel the label of a text ({@code name@version}) */
    VersionLabels(final Function<String, String> parseLabel) {
        this.parseLabel = parseLabel;
    }

    /** The label of the version journaled at {@code journalIndex}, whose text is {@code text}. */
    String labelOf(final long journalIndex, final String text) {
        return labels.computeIfAbsent(journalIndex, ignored -> parseLabel.apply(text));
    }

    /**
     * Looks {@code label} up among {@code changes} (oldest first; the last is live), reading journaled texts with
     * {@code textAt} (null when an entry cannot be read).
     */
    Found find(final List<ConfigHistory.Change> changes, final String text, final String label,
        final LongFunction<String> textAt) {
        long taken = 0;
        for (int i = changes.size() - 1; i >= 0; i--) {
            final long index = changes.get(i).journalIndex();
            final String journaled = textAt.apply(index);
            if (journaled == null || !label.equals(labelOf(index, journaled))) {
                continue;
            }
            if (io.ecap.model.scoring.ConfigText.same(journaled, text)) {
                return new Found(i == changes.size() - 1 ? Verdict.LIVE : Verdict.EARLIER, index);
            }
            taken = taken == 0 ? index : taken;
        }
        return taken == 0 ? NOTHING : new Found(Verdict.TAKEN, taken);
    }
}
