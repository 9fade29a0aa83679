package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityStore;
import io.ecap.hotpath.state.EntityUpdater;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.UndoLog;
import io.ecap.model.Outcome;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.AsciiSequenceView;

/**
 * The entities one update touches, locked together and changed all-or-nothing: each is saved in the {@link UndoLog},
 * the log is armed, the entities are changed in place, and after the journal write they are stamped with the entry's
 * index, unlocked, and the log disarmed.
 */
final class TransactionEntities {
    private final EntityStore[] stores = new EntityStore[EntityKind.COUNT];
    private final UndoLog undo;
    private final AsciiSequenceView[] keys = new AsciiSequenceView[EntityKind.COUNT];
    private final EntityState[] before = new EntityState[EntityKind.COUNT];
    private final EntityState[] after = new EntityState[EntityKind.COUNT];
    private final int[] counterpartHashes = new int[EntityKind.COUNT];
    private final boolean[] present = new boolean[EntityKind.COUNT];
    private final int[] locked = new int[EntityKind.COUNT];
    private int lockedCount;

    TransactionEntities(final FeatureStore store) {
        this.undo = store.undo();
        for (final EntityKind kind : EntityKind.ALL) {
            stores[kind.ordinal()] = store.entities(kind);
            keys[kind.ordinal()] = new AsciiSequenceView();
        }
    }

    /** Every entity kind. */
    static final int ALL_KINDS = (1 << EntityKind.COUNT) - 1;

    static int kinds(final EntityKind a, final EntityKind b) {
        return 1 << a.ordinal() | 1 << b.ordinal();
    }

    /** Finds a transaction's entities of the kinds in {@code kindMask}, and counterpart hashes; locks nothing. */
    void bind(final TransactionFlyweight txn, final int kindMask) {
        for (final EntityKind kind : EntityKind.ALL) {
            final int k = kind.ordinal();
            present[k] = (kindMask & 1 << k) != 0 && txn.stringLength(kind.keyField()) > 0;
            txn.view(kind.keyField(), keys[k]);
            final int cp = kind.counterpartField();
            counterpartHashes[k] = cp < 0 || txn.stringLength(cp) == 0 ? 0
                : DistinctSketch.hash(txn.buffer(), txn.stringOffset(cp), txn.stringLength(cp));
            before[k] = null;
            after[k] = null;
        }
    }

    /** Binds a single entity by key. */
    void bindOne(final EntityKind kind, final AsciiSequenceView key) {
        for (int k = 0; k < EntityKind.COUNT; k++) {
            present[k] = false;
            before[k] = null;
            after[k] = null;
        }
        present[kind.ordinal()] = true;
        keys[kind.ordinal()].wrap(key.buffer(), key.offset(), key.length());
    }

    /**
     * Locks the bound entities not yet at {@code journalIndex} (all of them for a new entry), saves them and arms the
     * undo log. Returns how many were locked.
     */
    int lockUpTo(final long journalIndex) {
        lockedCount = 0;
        try {
            for (int k = 0; k < EntityKind.COUNT; k++) {
                if (!present[k]) {
                    continue;
                }
                final EntityState state = stores[k].lock(keys[k]);
                if (journalIndex != 0 && state.lastAppliedIndex() >= journalIndex) {
                    stores[k].unlock();
                    present[k] = false;
                    continue;
                }
                before[k] = undo.save(lockedCount, EntityKind.ALL[k], keys[k], state, stores[k].lockedWasNew());
                after[k] = state;
                locked[lockedCount++] = k;
            }
        } catch (final RuntimeException e) {
            rollback(); // unlocks the entities locked so far; none was changed yet
            throw e;
        }
        if (lockedCount > 0) {
            undo.arm(lockedCount);
        }
        return lockedCount;
    }

    void applyTransaction(final TransactionFlyweight txn, final double amountCents) {
        for (int i = 0; i < lockedCount; i++) {
            final int k = locked[i];
            EntityUpdater.applyTransaction(after[k], txn, amountCents, counterpartHashes[k]);
        }
    }

    void applyOutcome(final Outcome outcome) {
        for (int i = 0; i < lockedCount; i++) {
            EntityUpdater.applyOutcome(after[locked[i]], outcome);
        }
    }

    void applyFraudLabel() {
        for (int i = 0; i < lockedCount; i++) {
            EntityUpdater.applyFraudLabel(after[locked[i]]);
        }
    }

    void applyClick(final long tsMs) {
        for (int i = 0; i < lockedCount; i++) {
            EntityUpdater.applyClick(after[locked[i]], tsMs);
        }
    }

    /** Stamps the changed entities with the journal index of their entry, unlocks them and disarms the log. */
    void commit(final long journalIndex) {
        for (int i = 0; i < lockedCount; i++) {
            final int k = locked[i];
            after[k].lastAppliedIndex(journalIndex);
            stores[k].unlock();
        }
        if (lockedCount > 0) {
            undo.disarm();
        }
        lockedCount = 0;
    }

    /** Puts the locked entities back as they were, unlocks them and disarms the log. */
    void rollback() {
        for (int i = 0; i < lockedCount; i++) {
            final int k = locked[i];
            before[k].copyTo(after[k]);
            stores[k].unlock();
        }
        if (lockedCount > 0) {
            undo.disarm();
        }
        lockedCount = 0;
    }

    EntityState[] before() {
        return before;
    }

    EntityState[] after() {
        return after;
    }

    int[] counterpartHashes() {
        return counterpartHashes;
    }
}
