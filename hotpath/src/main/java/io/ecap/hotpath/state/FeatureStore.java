package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * All persisted engine state in one folder: one {@link EntityTable} per entity kind, the {@link TxnIndex}, the
 * {@link EngineMeta} progress file and the {@link UndoLog}. Opening it after a kill puts back whatever the interrupted
 * change had written, so the files are consistent before recovery reads the journal.
 *
 * <p>The writer changes state in steps the undo log makes all-or-nothing: it saves what it is about to overwrite
 * (the entity tables and the transaction index do that themselves; the progress mark through this class), and calls
 * {@link #complete()} once the change is journaled and applied, or {@link #abort()} to undo it.
 */
public final class FeatureStore implements AutoCloseable {
    /** Undo region of engine.meta; 1 and 2 are the transaction index's; entity kind k has 8 + 4k to 10 + 4k. */
    static final int REGION_META = 0;
    static final int REGION_FIRST_KIND = 8;

    /** What opening found: a state written by an older layout (rebuilt), and ranges an interrupted change left. */
    /**
     * What opening found. {@code rebuiltBecause}: why the folder was emptied to be rebuilt from the journal (an older
     * layout, or a machine stop that may have torn it), or null if it was not.
     */
    public record Opening(boolean fresh, boolean wasClean, String rebuiltBecause, int undoneRanges) {
    }

    private final EntityTable[] tables = new EntityTable[EntityKind.COUNT];
    private final FolderLock lock;
    private final Path dir;
    private TxnIndex txnIndex;
    private EngineMeta meta;
    private UndoLog undo;
    private ConfigHistory history;
    private Pretoucher pretoucher;
    private Opening opening;

    private FeatureStore(final Path dir, final long entityEntries, final long txnEntries, final boolean pretouch)
        throws IOException {
        Files.createDirectories(dir);
        StateOwner.checkNotACopy(dir);
        this.dir = dir;
        final File folder = dir.toFile();
        lock = FolderLock.acquire(dir);
        try {
            final String rebuiltBecause = clearIfUntrusted(dir);
            meta = EngineMeta.open(folder);
            if (meta.isFresh() || meta.txnWindow() == 0) {
                meta.sizes(entityEntries, txnEntries);
            }
            // a folder keeps the idempotency window it was made with: it decides which repeats are recognised,
            // so a replay of its journal must rotate at the same transactions
            final long window = meta.txnWindow();
            undo = UndoLog.open(folder);
            for (final EntityKind kind : EntityKind.ALL) {
                tables[kind.ordinal()] = EntityTable.open(kind, folder, entityEntries,
                    REGION_FIRST_KIND + 4 * kind.ordinal());
            }
            txnIndex = TxnIndex.open(folder, window, meta, undo);
            history = ConfigHistory.open(folder);
            final int undone = undo.isArmed() ? undo.restore(this::regionAddress) : 0;
            opening = new Opening(meta.isFresh(), meta.wasClean(), rebuiltBecause, undone);
            if (pretouch) {
                pretoucher = new Pretoucher(tables);
                txnIndex.pageToucher(pretoucher);
                for (final EntityTable t : tables) {
                    t.pageToucher(pretoucher);
                }
            }
        } catch (final IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens the state in {@code dir} for the writer, creating it if absent and putting back an interrupted change.
     * Only one process (and one store in it) may have a folder open: a second one is refused. A folder written by an
     * older state layout is emptied: recovery rebuilds it from the journal.
     *
     * @param entityEntries entities per kind a new index is sized for (it grows beyond)
     * @param txnEntries    transactions one transaction index generation holds (the idempotency window), for a new
     *                      folder; an existing one keeps its own
     */
    /**
     * Whether an engine or a tool has the state folder {@code dir} open now (it holds the folder's lock). A folder
     * nobody holds can be removed; the lock of a killed process is released by the operating system.
     */
    public static boolean inUse(final Path dir) throws IOException {
        try (FolderLock ignored = FolderLock.acquire(dir)) {
            return false;
        } catch (final IllegalStateException e) {
            return true;
        }
    }

    public static FeatureStore open(final Path dir, final long entityEntries, final long txnEntries)
        throws IOException {
        return new FeatureStore(dir, entityEntries, txnEntries, true);
    }

    /**
     * Pauses the background page toucher while {@code condition} holds (a disk nearly full: touching pages ahead
     * would fill it). Without a toucher ({@link #openQuiet}) it does nothing.
     */
    public void pauseTouchingWhile(final java.util.function.BooleanSupplier condition) {
        if (pretoucher != null) {
            pretoucher.pauseWhile(condition);
        }
    }

    /** {@link #open} without the background page toucher: for replays, tests and tools. */
    public static FeatureStore openQuiet(final Path dir, final long entityEntries, final long txnEntries)
        throws IOException {
        return new FeatureStore(dir, entityEntries, txnEntries, false);
    }

    /**
     * Empties a folder whose state cannot be trusted, so that recovery rebuilds it from the journal: one written by
     * layout 1 (Chronicle Map files), or one an engine was writing when the machine stopped
     * ({@link EngineMeta#untrustedAfterReboot}).
     *
     * @return why it was emptied, or null if it was not.
     */
    private static String clearIfUntrusted(final Path dir) throws IOException {
        final String reason = Files.exists(dir.resolve("card.cm3"))
            || EngineMeta.layoutOf(dir.toFile()) != 0 && EngineMeta.layoutOf(dir.toFile()) != EngineMeta.LAYOUT
            ? "the folder held an older layout"
            : EngineMeta.untrustedAfterReboot(dir.toFile());
        if (reason != null) {
            try (Stream<Path> files = Files.list(dir)) {
                for (final Path p : (Iterable<Path>) files::iterator) {
                    if (!p.getFileName().toString().equals("engine.lock")) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        return reason;
    }

    private long regionAddress(final int region, final long offset, final int length) {
        if (region == REGION_META) {
            if (offset + length > EngineMeta.LENGTH) {
                throw new IllegalStateException("the undo log names a range outside engine.meta");
            }
            return meta.address() + offset;
        }
        if (region == TxnIndex.REGION_CURRENT || region == TxnIndex.REGION_PREVIOUS) {
            return txnIndex.regionAddress(region, offset, length);
        }
        final int kind = (region - REGION_FIRST_KIND) / 4;
        if (kind < 0 || kind >= EntityKind.COUNT) {
            throw new IllegalStateException("the undo log names an unknown region " + region);
        }
        return tables[kind].regionAddress(region, offset, length);
    }

    /** What opening the folder found. */
    /** The folder of the state files. */
    public Path dir() {
        return dir;
    }

    public Opening opening() {
        return opening;
    }

    public EntityTable entities(final EntityKind kind) {
        return tables[kind.ordinal()];
    }

    public TxnIndex txnIndex() {
        return txnIndex;
    }

    public EngineMeta meta() {
        return meta;
    }

    public UndoLog undo() {
        return undo;
    }

    /** Rule sets and models that went live. */
    public ConfigHistory history() {
        return history;
    }

    /** Writer: the entry at {@code journalIndex} is applied (part of the current change). */
    public void appliedThrough(final long journalIndex) {
        saveMeta(EngineMeta.APPLIED_THROUGH);
        meta.appliedThrough(journalIndex);
    }

    /** Writer: the rule set journaled at {@code journalIndex} is live (part of the current change). */
    public void ruleSetIndex(final long journalIndex) {
        saveMeta(EngineMeta.RULE_SET_INDEX);
        meta.ruleSetIndex(journalIndex);
    }

    /** Writer: the model journaled at {@code journalIndex} is live (0: none; part of the current change). */
    public void modelIndex(final long journalIndex) {
        saveMeta(EngineMeta.MODEL_INDEX);
        meta.modelIndex(journalIndex);
    }

    /** Writer: the shadow's rule set is the one journaled at {@code journalIndex} (part of the current change). */
    public void shadowRuleSetIndex(final long journalIndex) {
        saveMeta(EngineMeta.SHADOW_RULE_SET_INDEX);
        meta.shadowRuleSetIndex(journalIndex);
    }

    /** Writer: the shadow's model is the one journaled at {@code journalIndex} (part of the current change). */
    public void shadowModelIndex(final long journalIndex) {
        saveMeta(EngineMeta.SHADOW_MODEL_INDEX);
        meta.shadowModelIndex(journalIndex);
    }

    /** Writer: the engine settings journaled at {@code journalIndex} are active (part of the current change). */
    public void settingsIndex(final long journalIndex) {
        saveMeta(EngineMeta.SETTINGS_INDEX);
        meta.settingsIndex(journalIndex);
    }

    /** Writer: the list change journaled at {@code journalIndex} is the newest applied (part of the current change). */
    public void listIndex(final long journalIndex) {
        saveMeta(EngineMeta.LIST_INDEX);
        meta.listIndex(journalIndex);
    }

    /** Writer: the erasure journaled at {@code journalIndex} is the newest applied (part of the current change). */
    public void erasureIndex(final long journalIndex) {
        saveMeta(EngineMeta.ERASURE_INDEX);
        meta.erasureIndex(journalIndex);
    }

    private void saveMeta(final int field) {
        undo.save(REGION_META, field, meta.address() + field, 8);
    }

    /**
     * Writer: the current change is complete (nothing to undo any more); then the upkeep that happens between
     * changes: a new transaction index generation when one is full, index growth and copying.
     */
    public void complete() {
        undo.clear();
        txnIndex.maintain();
        for (final EntityTable t : tables) {
            t.maintain();
        }
    }

    /** Writer: puts back everything the current change wrote (a change that failed before it was journaled). */
    public void abort() {
        if (undo.isArmed()) {
            undo.restore(this::regionAddress);
        } else {
            undo.clear();
        }
    }

    @Override
    public void close() {
        if (pretoucher != null) {
            pretoucher.close();
        }
        for (final EntityTable t : tables) {
            if (t != null) {
                t.close();
            }
        }
        if (txnIndex != null) {
            txnIndex.close();
        }
        if (undo != null) {
            undo.close();
        }
        if (history != null) {
            history.close();
        }
        if (meta != null) {
            meta.close();
        }
        lock.close();
    }
}
