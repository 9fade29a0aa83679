package io.ecap.gateway;

import io.ecap.hotpath.engine.EngineRunner;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityTable;
import io.ecap.hotpath.engine.DiskFill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the engine's state from a timer, off the writer: logs when an entity index doubles (the state grew past its
 * size, which needs nothing from the operator) and warns once when the disk that holds the data folder, or the one
 * that holds the state folder (a tmpfs, for a state in memory), is 80% full (the one limit the state has: it grows
 * until that is full), again only after it fell below 75%.
 */
final class StateWatch {
    static final double WARN_AT = 0.80;
    private static final double CLEAR_AT = 0.75;
    private static final Logger LOG = LoggerFactory.getLogger(StateWatch.class);

    private final EngineRunner engine;
    private final long[] slots = new long[EntityKind.COUNT];
    private final Path[] folders;
    private final boolean[] warned;

    StateWatch(final EngineRunner engine) {
        this.engine = engine;
        final Path data = engine.config().dataDir().toAbsolutePath();
        Path state;
        try {
            state = engine.store().dir().toRealPath();
        } catch (final IOException e) {
            state = data;
        }
        this.folders = sameFileSystem(data, state) ? new Path[] {data} : new Path[] {data, state};
        this.warned = new boolean[folders.length];
        for (final EntityKind kind : EntityKind.ALL) {
            slots[kind.ordinal()] = engine.store().entities(kind).indexSlots();
        }
    }

    /** Share of the data folder's disk in use, 0 to 1, as df counts it (NaN if it cannot be read). */
    static double diskUsed(final Path dir) {
        try {
            return DiskFill.of(dir);
        } catch (final IOException e) {
            return Double.NaN;
        }
    }

    private String syncFailure;
    private String diskRefusal;
    private long snapshot = -1;
    private String snapshotFailure;

    void check() {
        checkSnapshots();
        final String failure = engine.journalSyncFailure();
        if (failure != null && !failure.equals(syncFailure)) {
            LOG.error("the journal could not be forced to the disk ({}): decisions since index {} would not survive a "
                + "power loss; the next interval tries again", failure, engine.journalSyncedIndex());
        } else if (failure == null && syncFailure != null) {
            LOG.info("the journal is forced to the disk again (through index {})", engine.journalSyncedIndex());
        }
        syncFailure = failure;
        final String refusal = engine.diskRefusal();
        if (refusal != null && diskRefusal == null) {
            LOG.error("refusing new work (HTTP 503 disk_full; WebSocket messages and Kafka input wait): {}; free space "
                + "or move the data folder, work resumes by itself", refusal);
        } else if (refusal == null && diskRefusal != null) {
            LOG.info("taking new work again: the disks of the data and state folders have at least twice "
                + "engine.min-free-disk-mb free");
        }
        diskRefusal = refusal;
        for (final EntityKind kind : EntityKind.ALL) {
            final EntityTable table = engine.store().entities(kind);
            final long now = table.indexSlots();
            if (now != slots[kind.ordinal()]) {
                LOG.info("{} index grew from {} to {} slots ({} entities)", kind.prefix(), slots[kind.ordinal()], now,
                    table.live());
                slots[kind.ordinal()] = now;
            }
        }
        for (int i = 0; i < folders.length; i++) {
            final double used = diskUsed(folders[i]);
            if (!warned[i] && used >= WARN_AT) {
                warned[i] = true;
                final String advice = i > 0 && io.ecap.hotpath.engine.StatePlacement.isInMemory(folders[i])
                    ? "the state in memory will outgrow it: stop the engine and run ecap state --move-to-disk --data "
                        + engine.config().dataDir().toAbsolutePath() + " (its disk keeps it from then on)"
                    : "free space or move the data folder";
                LOG.warn("the {} holding {} is {}% full: the engine's state and journal grow until it is full; {} "
                    + "(ecap state shows what the state takes; docs/OPERATIONS.md, \"The data folder\")",
                    DiskFill.holder(folders[i]), folders[i], Math.round(used * 100), advice);
            } else if (warned[i] && used < CLEAR_AT) {
                warned[i] = false;
            }
        }
    }

    /** Says when a snapshot of the state in memory was taken while running, or why one failed (once each). */
    private void checkSnapshots() {
        final long taken = engine.lastRunningSnapshot();
        if (taken != snapshot) {
            snapshot = taken;
            LOG.info("state snapshot at journal index {} taken while running ({} s): a power loss now replays only the "
                + "journal after it", taken,
                String.format("%.1f", engine.lastRunningSnapshotNanos() / 1e9));
        }
        final String failure = engine.runningSnapshotFailure();
        if (failure != null && !failure.equals(snapshotFailure)) {
            LOG.error("the state snapshot taken while running failed ({}): a power loss would replay the journal from "
                + "the last snapshot; the next interval tries again", failure);
        }
        snapshotFailure = failure;
    }

    private static boolean sameFileSystem(final Path a, final Path b) {
        try {
            return Files.getFileStore(a).equals(Files.getFileStore(b));
        } catch (final IOException e) {
            return true;
        }
    }
}
