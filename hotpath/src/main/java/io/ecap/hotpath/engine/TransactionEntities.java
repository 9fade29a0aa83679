package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityStore;
import io.ecap.hotpath.state.EntityUpdater;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.Outcome;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.AsciiSequenceView;

/**
 * The entities one transaction touches (its card, customer, merchant, and device and ip when given), opened together
 * for a live decision or brought up to date one by one during recovery.
 */
final class TransactionEntities {
    private final EntityStore[] stores = new EntityStore[EntityKind.COUNT];
    private final AsciiSequenceView[] keys = new AsciiSequenceView[EntityKind.COUNT];
    private final EntityState[] before = new EntityState[EntityKind.COUNT];
    private final EntityState[] after = new EntityState[EntityKind.COUNT];
    private final long[] counterpartHashes = new long[EntityKind.COUNT];
    private final boolean[] present = new boolean[EntityKind.COUNT];

    TransactionEntities(final FeatureStore store) {
        for (final EntityKind kind : EntityKind.ALL) {
            stores[kind.ordinal()] = store.entities(kind);
            keys[kind.ordinal()] = new AsciiSequenceView();
        }
    }

    /** Finds the transaction's entities and counterpart hashes; nothing is locked yet. */
    void bind(final TransactionFlyweight txn) {
        for (final EntityKind kind : EntityKind.ALL) {
            final int k = kind.ordinal();
            present[k] = txn.stringLength(kind.keyField()) > 0;
            txn.view(kind.keyField(), keys[k]);
            final int cp = kind.counterpartField();
            counterpartHashes[k] = cp < 0 || txn.stringLength(cp) == 0 ? 0
                : DistinctSketch.hash(txn.buffer(), txn.stringOffset(cp), txn.stringLength(cp));
        }
    }

    /** Opens every present entity for a live decision. */
    void openAll() {
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                stores[k].open(keys[k]);
                before[k] = stores[k].active();
                after[k] = stores[k].working();
            } else {
                before[k] = null;
                after[k] = null;
            }
        }
    }

    void applyTransaction(final TransactionFlyweight txn, final double amountCents) {
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                EntityUpdater.applyTransaction(after[k], txn, amountCents, counterpartHashes[k]);
            }
        }
    }

    void applyOutcome(final Outcome outcome) {
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                EntityUpdater.applyOutcome(after[k], outcome);
            }
        }
    }

    void commitAll(final long journalIndex) {
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                stores[k].commit(journalIndex);
            }
        }
    }

    void abandonAll() {
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                stores[k].abandon();
            }
        }
    }

    /**
     * Recovery: applies a journaled transaction and its outcome to each entity that has not seen it yet, one entity
     * at a time. Returns how many entities changed.
     */
    int applyRecorded(final TransactionFlyweight txn, final double amountCents, final Outcome outcome,
        final long journalIndex) {
        int changed = 0;
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (!present[k]) {
                continue;
            }
            final EntityStore s = stores[k];
            s.open(keys[k]);
            if (s.active().lastAppliedIndex() >= journalIndex) {
                s.abandon();
                continue;
            }
            EntityUpdater.applyTransaction(s.working(), txn, amountCents, counterpartHashes[k]);
            EntityUpdater.applyOutcome(s.working(), outcome);
            s.commit(journalIndex);
            changed++;
        }
        return changed;
    }

    EntityState[] before() {
        return before;
    }

    EntityState[] after() {
        return after;
    }

    long[] counterpartHashes() {
        return counterpartHashes;
    }
}
