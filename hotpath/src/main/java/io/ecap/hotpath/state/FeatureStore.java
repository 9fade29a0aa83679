package io.ecap.hotpath.state;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * All persisted engine state in one folder: one {@link EntityStore} per entity kind, the {@link TxnIndex}, the
 * {@link EngineMeta} progress file and the {@link UndoLog}. Opening it after a kill puts back any entity update that
 * was interrupted, so the maps are consistent before recovery reads the journal.
 */
public final class FeatureStore implements AutoCloseable {
    private final EntityStore[] entities = new EntityStore[EntityKind.COUNT];
    private TxnIndex txnIndex;
    private EngineMeta meta;
    private UndoLog undo;
    private ConfigHistory history;
    private final FolderLock lock;

    private FeatureStore(final Path dir, final long entityEntries, final long txnEntries) throws IOException {
        Files.createDirectories(dir);
        final File folder = dir.toFile();
        lock = FolderLock.acquire(dir);
        try {
            meta = EngineMeta.open(folder);
            final boolean recover = !meta.isFresh() && !meta.wasClean();
            for (final EntityKind kind : EntityKind.ALL) {
                entities[kind.ordinal()] = EntityStore.open(kind, folder, entityEntries, recover);
            }
            txnIndex = TxnIndex.open(folder, txnEntries, meta);
            undo = UndoLog.open(folder);
            history = ConfigHistory.open(folder);
            undoInterruptedUpdate();
        } catch (final IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens the state in {@code dir}, creating it if absent, recovering map files after an unclean stop. Only one
     * process (and one store in it) may have a folder open: a second one is refused.
     */
    public static FeatureStore open(final Path dir, final long entityEntries, final long txnEntries)
        throws IOException {
        return new FeatureStore(dir, entityEntries, txnEntries);
    }

    private void undoInterruptedUpdate() {
        if (!undo.isArmed()) {
            return;
        }
        for (int i = 0; i < undo.records(); i++) {
            entities(undo.kind(i)).restore(undo.key(i), undo.state(i), undo.wasNew(i));
        }
        undo.disarm();
    }

    public EntityStore entities(final EntityKind kind) {
        return entities[kind.ordinal()];
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

    @Override
    public void close() {
        for (final EntityStore s : entities) {
            if (s != null) {
                s.close();
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
