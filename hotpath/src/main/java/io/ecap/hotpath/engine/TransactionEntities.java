package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityLayout;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.EntityTable;
import io.ecap.hotpath.state.EntityUpdater;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.model.field.IdHash;
import io.ecap.hotpath.state.UndoLog;
import io.ecap.hotpath.state.WindowSpec;
import io.ecap.model.Outcome;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import org.agrona.AsciiSequenceView;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The entities one change touches, changed all-or-nothing: each is found (or created) in its {@link EntityTable},
 * saved in the {@link UndoLog}, changed in place, and after the journal write stamped with the entry's index. The
 * change ends with {@link FeatureStore#complete()}, or {@link #rollback()} puts everything back.
 */
final class TransactionEntities {
    /** Every entity kind. */
    static final int ALL_KINDS = (1 << EntityKind.COUNT) - 1;

    private final FeatureStore store;
    private final EntityTable[] tables = new EntityTable[EntityKind.COUNT];
    private final UndoLog undo;
    private final AsciiSequenceView[] keys = new AsciiSequenceView[EntityKind.COUNT];
    private final EntityState[] before = new EntityState[EntityKind.COUNT];
    private final EntityState[] after = new EntityState[EntityKind.COUNT];
    private final EntityState[] beforeViews = new EntityState[EntityKind.COUNT];
    private final EntityState[] afterViews = new EntityState[EntityKind.COUNT];
    private final EntityState empty = new EntityState();
    /** The memory {@link #empty} reads (the state holds it too; see {@code EntityStateTest}). */
    private final UnsafeBuffer emptyBytes = new UnsafeBuffer(BufferUtil.allocateDirectAligned(EntityLayout.LENGTH, 64));
    private final long[] records = new long[EntityKind.COUNT];
    private final int[] counterpartHashes = new int[EntityKind.COUNT];
    private final boolean[] present = new boolean[EntityKind.COUNT];
    private final int[] locked = new int[EntityKind.COUNT];
    private final int[] retentionDays = new int[EntityKind.COUNT];
    private final long[] hashes = new long[EntityKind.COUNT];
    private final long[] buckets = new long[WindowSpec.TRANSACTION_WINDOWS.length];
    private boolean hashed;
    private int lockedCount;

    TransactionEntities(final FeatureStore store) {
        this.store = store;
        this.undo = store.undo();
        for (final EntityKind kind : EntityKind.ALL) {
            final int k = kind.ordinal();
            tables[k] = store.entities(kind);
            keys[k] = new AsciiSequenceView();
            beforeViews[k] = new EntityState();
            afterViews[k] = new EntityState();
        }
        empty.wrap(emptyBytes, 0).clear();
    }

    static int kinds(final EntityKind a, final EntityKind b) {
        return 1 << a.ordinal() | 1 << b.ordinal();
    }

    /** The retention the sweeps use from now on. */
    void settings(final EngineSettings settings) {
        for (final EntityKind kind : EntityKind.ALL) {
            retentionDays[kind.ordinal()] = settings.retentionDays(kind);
        }
    }

    /** Finds a transaction's entities of the kinds in {@code kindMask}, and counterpart hashes; changes nothing. */
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
        hashed = false;
    }

    /**
     * Brings the index slots and records of the bound entities into cache, all kinds at once, so that their misses
     * overlap; the lookups that follow then hit. Changes nothing.
     *
     * @return a value that depends on every load.
     */
    long prefetch() {
        hashed = true;
        long sink = 0;
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                final AsciiSequenceView key = keys[k];
                hashes[k] = IdHash.hash(key.buffer(), key.offset(), key.length());
                sink += tables[k].touchSlot(hashes[k]);
            }
        }
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (present[k]) {
                sink += tables[k].touchRecord(hashes[k]);
            }
        }
        return sink;
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
        hashed = false;
    }

    /**
     * Finds or creates the bound entities not yet at {@code journalIndex} (all of them for a new entry), saves them
     * in the undo log and opens them for change. Each lookup counts towards its kind's retention sweep, which uses
     * {@code eventMs}, the event's own time. Returns how many entities are open.
     */
    int lockUpTo(final long journalIndex, final long eventMs) {
        return lock(journalIndex, eventMs, false, 0);
    }

    /**
     * As {@link #lockUpTo}, but only the bound entities that exist and were first seen at or before {@code sinceMs}
     * (the time of a past transaction a late fact is about, such as a fraud label); none is created. So an entity
     * erased or retired by retention since that transaction is not brought back by it, and a new one under the same
     * id since then does not take it on.
     */
    int lockExistingSince(final long journalIndex, final long eventMs, final long sinceMs) {
        return lock(journalIndex, eventMs, true, sinceMs);
    }

    private int lock(final long journalIndex, final long eventMs, final boolean existingOnly, final long sinceMs) {
        lockedCount = 0;
        for (int k = 0; k < EntityKind.COUNT; k++) {
            if (!present[k]) {
                continue;
            }
            final EntityTable table = tables[k];
            final AsciiSequenceView key = keys[k];
            table.countLookupAndSweep(eventMs, retentionDays[k], undo);
            final long hash = hashed ? hashes[k] : IdHash.hash(key.buffer(), key.offset(), key.length());
            long record = table.find(key.buffer(), key.offset(), key.length(), hash);
            if (record >= 0) {
                final EntityState current = afterViews[k].wrap(table.stateAddress(record));
                if (journalIndex != 0 && current.lastAppliedIndex() >= journalIndex
                    || existingOnly && (current.firstSeenMs() == 0 || current.firstSeenMs() > sinceMs)) {
                    present[k] = false;
                    continue;
                }
                before[k] = beforeViews[k].wrap(table.save(record, undo));
            } else if (existingOnly) {
                present[k] = false;
                continue;
            } else {
                record = table.insert(key.buffer(), key.offset(), key.length(), hash, undo);
                before[k] = empty;
            }
            table.beginChange(record);
            after[k] = afterViews[k].wrap(table.stateAddress(record));
            records[k] = record;
            locked[lockedCount++] = k;
        }
        return lockedCount;
    }

    void applyTransaction(final TransactionFlyweight txn, final double amountCents) {
        WindowSpec.transactionBuckets(txn.tsMs(), buckets);
        for (int i = 0; i < lockedCount; i++) {
            final int k = locked[i];
            EntityUpdater.applyTransaction(after[k], txn, amountCents, counterpartHashes[k], buckets);
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

    void applyProfile(final CustomerProfileFlyweight profile) {
        for (int i = 0; i < lockedCount; i++) {
            EntityUpdater.applyProfile(after[locked[i]], profile);
        }
    }

    void applyClick(final long tsMs) {
        for (int i = 0; i < lockedCount; i++) {
            EntityUpdater.applyClick(after[locked[i]], tsMs);
        }
    }

    /** Stamps the changed entities with the journal index of their entry and closes them; the change goes on. */
    void commit(final long journalIndex, final long eventMs) {
        for (int i = 0; i < lockedCount; i++) {
            final int k = locked[i];
            after[k].lastAppliedIndex(journalIndex);
            tables[k].endChange(records[k], eventMs, undo);
        }
        lockedCount = 0;
    }

    /** Puts back everything the change wrote so far. */
    /** Erases the entities of {@code kind} whose id has this hash ({@link EntityTable#erase}); returns how many. */
    int erase(final EntityKind kind, final long idHash) {
        return tables[kind.ordinal()].erase(idHash, undo);
    }

    void rollback() {
        lockedCount = 0;
        store.abort();
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
