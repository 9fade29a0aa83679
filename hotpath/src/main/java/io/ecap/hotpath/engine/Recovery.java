package io.ecap.hotpath.engine;

import io.ecap.hotpath.engine.EngineCounters.Counter;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.ListEntryFlyweight;
import io.ecap.hotpath.lists.EntityLists;
import io.ecap.hotpath.state.EngineMeta;
import java.util.function.BooleanSupplier;
import org.agrona.collections.LongArrayList;

/**
 * Brings the maps level with the journal at start: activates the journaled rule sets and models (live and the
 * challenger's), restores the block and allow lists from their own chain of journal entries (not a scan of the
 * journal), then applies every entry after the last one known to be fully applied. Entities record the last entry
 * applied to them, so an entry whose effects were half written when the process died is completed and never applied
 * twice. With empty maps this rebuilds the whole state from the journal. A damaged entry (its checksum does not match:
 * torn by a power loss) is skipped, as every reader of the journal skips it, and counted. Last, a transaction whose
 * challenger's decision was still to come when the process stopped gets it, as the entry right after it.
 */
public final class Recovery {
    private Recovery() {
    }

    /** Returns the number of entries applied. */
    public static long run(final Engine engine, final JournalReader reader, final EngineMeta meta,
        final EngineCounters counters) {
        prepare(engine, reader, meta);
        reader.hoppingGaps().after(meta.appliedThrough());
        long applied = 0;
        long lastGood = meta.appliedThrough();
        while (reader.next()) {
            engine.applyJournaled(reader);
            applied++;
            lastGood = reader.index();
        }
        // the last whole entry (any after it are damaged): a transaction still waiting for its challenger's decision?
        if (lastGood != 0 && reader.read(lastGood) && engine.completeShadow(reader)) {
            counters.increment(Counter.SHADOWS_COMPLETED);
        }
        counters.set(Counter.RECOVERED_ENTRIES, applied);
        counters.set(Counter.DAMAGED_ENTRIES, reader.damaged());
        return applied;
    }

    /**
     * For a copy of the state beside a running writer ({@link RunningSnapshots}): as {@link #run}, but applies only
     * the entries up to {@code limit} (ones the writer has applied) and journals nothing; stops early, between two
     * entries, once {@code stop} says so. Returns the index of the last entry applied (the meta's, if none was).
     */
    static long runUpTo(final Engine engine, final JournalReader reader, final EngineMeta meta, final long limit,
        final BooleanSupplier stop) {
        prepare(engine, reader, meta);
        reader.hoppingGaps().after(meta.appliedThrough());
        long last = meta.appliedThrough();
        while (!stop.getAsBoolean() && reader.next() && reader.index() <= limit) {
            engine.applyJournaled(reader);
            last = reader.index();
        }
        return last;
    }

    /** Activates the journaled settings, rule sets and models, and restores the lists, as of the meta's entry. */
    private static void prepare(final Engine engine, final JournalReader reader, final EngineMeta meta) {
        if (meta.settingsIndex() != 0) {
            activate(engine, reader, meta.settingsIndex());
        }
        if (meta.ruleSetIndex() != 0) {
            activate(engine, reader, meta.ruleSetIndex());
        }
        if (meta.modelIndex() != 0) {
            activate(engine, reader, meta.modelIndex());
        }
        if (meta.shadowRuleSetIndex() != 0) {
            activate(engine, reader, meta.shadowRuleSetIndex());
        }
        if (meta.shadowModelIndex() != 0) {
            activate(engine, reader, meta.shadowModelIndex());
        }
        restoreLists(engine.lists(), meta.listIndex(), reader);
        engine.completeChange();
    }

    /**
     * The lists as the journal has them up to the newest list change the engine meta names, walking back through the
     * list change entries only (each names the one before), then applying them oldest first.
     */
    private static void restoreLists(final EntityLists lists, final long newest, final JournalReader reader) {
        final LongArrayList chain = new LongArrayList();
        for (long at = newest; at != 0; at = ListEntryFlyweight.previousIndex(reader.buffer())) {
            if (!reader.read(at)) {
                throw new IllegalStateException("list change entry " + Long.toHexString(at) + " is missing from "
                    + "the journal");
            }
            chain.addLong(at);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            reader.read(chain.getLong(i));
            lists.apply(ListEntryFlyweight.decode(reader.buffer(), reader.length()));
        }
    }

    private static void activate(final Engine engine, final JournalReader reader, final long journalIndex) {
        if (!reader.read(journalIndex)) {
            throw new IllegalStateException("journal entry " + Long.toHexString(journalIndex)
                + " named by the progress file is missing");
        }
        engine.activateJournaled(reader, journalIndex);
    }
}
