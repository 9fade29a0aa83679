package io.ecap.hotpath.engine;

import io.ecap.model.Outcome;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the engine counts instead of logging. Written only by the writer thread with ordered stores; read by anyone
 * (metrics, tools).
 */
public final class EngineCounters {
    /** The counters, in order. */
    public enum Counter {
        SCORED("transactions scored"),
        DUPLICATES("transactions sent again (answered with the first decision)"),
        CONFLICTS("transaction ids sent again with other content (refused)"),
        APPROVED("APPROVE decisions"),
        REVIEWED("REVIEW decisions"),
        DECLINED("DECLINE decisions"),
        LABELS("labels journaled"),
        LABELS_UNMATCHED("labels for transactions this engine never scored"),
        USER_EVENTS("user events journaled"),
        PRODUCT_UPDATES("product updates journaled"),
        CUSTOMER_PROFILES("customer profiles from the lake journaled and applied"),
        RULE_SETS_LOADED("rule sets loaded"),
        MODELS_LOADED("models loaded"),
        LIST_CHANGES("block and allow list changes applied"),
        ERASURES("entity erasures journaled (docs/RELIABILITY.md, Erasure)"),
        SHADOW_APPROVED("APPROVE decisions of the challenger in the shadow"),
        SHADOW_REVIEWED("REVIEW decisions of the challenger in the shadow"),
        SHADOW_DECLINED("DECLINE decisions of the challenger in the shadow"),
        SHADOW_DIFFERENT("transactions on which the challenger's outcome differed from the decision"),
        COMMANDS_REJECTED("commands rejected (invalid rule set or model)"),
        ERRORS("commands that failed inside the engine"),
        RECOVERED_ENTRIES("journal entries applied during recovery"),
        SHADOWS_COMPLETED("challenger decisions journaled by recovery: the process stopped between a transaction's "
            + "answer and its challenger's decision"),
        DAMAGED_ENTRIES("journal entries skipped during recovery: their checksum did not match or they were lost in a "
            + "torn end (a power loss)"),
        JOURNAL_INDEX("index of the last journal entry written");

        public static final Counter[] ALL = values();
        private final String description;

        Counter(final String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    // 16 slots of padding between counters keep them on separate cache lines
    private static final int STRIDE = 16;
    private final AtomicLongArray values = new AtomicLongArray(Counter.ALL.length * STRIDE);

    public long get(final Counter c) {
        return values.get(c.ordinal() * STRIDE);
    }

    void increment(final Counter c) {
        final int i = c.ordinal() * STRIDE;
        values.lazySet(i, values.get(i) + 1);
    }

    void set(final Counter c, final long value) {
        values.lazySet(c.ordinal() * STRIDE, value);
    }

    /** Counts a transaction decided, and the journal index its entry got. */
    void decided(final Outcome outcome, final long journalIndex) {
        increment(Counter.SCORED);
        increment(outcome == Outcome.APPROVE ? Counter.APPROVED
            : outcome == Outcome.REVIEW ? Counter.REVIEWED : Counter.DECLINED);
        set(Counter.JOURNAL_INDEX, journalIndex);
    }

    /** Counts the challenger's outcome, and whether it differs from the decision. */
    void shadowDecided(final Outcome challenger, final Outcome decided) {
        increment(challenger == Outcome.APPROVE ? Counter.SHADOW_APPROVED
            : challenger == Outcome.REVIEW ? Counter.SHADOW_REVIEWED : Counter.SHADOW_DECLINED);
        if (challenger != decided) {
            increment(Counter.SHADOW_DIFFERENT);
        }
    }
}
