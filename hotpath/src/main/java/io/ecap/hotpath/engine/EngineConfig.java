package io.ecap.hotpath.engine;

import io.ecap.model.shard.Shard;
import java.nio.file.Path;

/**
 * Settings of an engine. Every setting has a default here; the command line and the service configuration resolve
 * overrides in one place ({@code ecap} options and configuration file) and build this record.
 *
 * @param dataDir          where the journal ({@code journal/}), maps ({@code maps/}) and progress file live
 * @param entityEntries    entities per kind a new state folder's indexes are sized for; they grow beyond it as needed
 * @param txnEntries       transactions one generation of the idempotency index holds (the last 1-2x this many are
 *                         recognised when sent again)
 * @param ringBytes        capacity of the command ring buffer (a power of two)
 * @param idleStrategy     backoff (default), busy-spin, yielding or sleeping
 * @param maxInFlight      requests one client may have outstanding before it is back-pressured
 * @param rulesFile        a rule file to go live at start, or null for the journaled one (or the bundled default)
 * @param modelFile        a model file to go live at start, or null for the journaled one (or none)
 * @param settings         engine settings (retention) to go live at start if they differ from the journaled ones
 * @param stateDir         where the state files live, or null for {@code dataDir/maps}; when set, {@code dataDir/maps}
 *                         becomes a link to it (see {@link StateFolder})
 * @param journalSync      when journal entries are forced to the disk ({@link JournalSync}; default: left to the
 *                         operating system)
 * @param minFreeDiskBytes new work is refused while the disk of the data or state folder has less free space than
 *                         this ({@link DiskGuard}; 0: never)
 * @param stateSyncAtStop  a clean stop forces the state's files to the disk before it marks them clean (default), so
 *                         that they are trusted at the next start even after a reboot; when false it leaves them to
 *                         the operating system and marks them clean for this boot only (a start after a reboot
 *                         rebuilds them from the journal, see {@code EngineMeta}). The journal is forced either way.
 * @param shard            which customers this engine owns ({@link Shard#SINGLE}: all of them); it refuses the
 *                         transactions and user events of the others, and its data folder is marked with it
 *                         ({@link ShardMark})
 * @param snapshotIntervalMs how often a state kept in memory is also written to the data folder while the engine
 *                         runs ({@link RunningSnapshots}; 0: only at a clean stop)
 */
public record EngineConfig(Path dataDir, long entityEntries, long txnEntries, int ringBytes, String idleStrategy,
    int maxInFlight, Path rulesFile, Path modelFile, EngineSettings settings, Path stateDir, JournalSync journalSync,
    long minFreeDiskBytes, boolean stateSyncAtStop, Shard shard, long snapshotIntervalMs) {

    public static final long DEFAULT_ENTITY_ENTRIES = 65_536;
    public static final long DEFAULT_TXN_ENTRIES = 1_000_000;
    public static final int DEFAULT_RING_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;
    public static final int MAX_CLIENTS = 64;
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = 512L << 20;
    public static final long DEFAULT_SNAPSHOT_INTERVAL_MS = 15 * 60_000L;

    public EngineConfig {
        if (entityEntries < 1000 || txnEntries < 1000) {
            throw new IllegalArgumentException("entity and transaction entries must be at least 1000");
        }
        if (Integer.bitCount(ringBytes) != 1 || ringBytes < 64 * 1024) {
            throw new IllegalArgumentException("ringBytes must be a power of two of at least 65536, was "
                + ringBytes);
        }
        if (maxInFlight < 1 || maxInFlight > 65_536) {
            throw new IllegalArgumentException("maxInFlight must be 1 to 65536, was " + maxInFlight);
        }
        IdleStrategies.check(idleStrategy);
        if (settings == null) {
            throw new IllegalArgumentException("settings are required (EngineSettings.DEFAULTS)");
        }
        if (journalSync == null) {
            throw new IllegalArgumentException("journalSync is required (JournalSync.NONE)");
        }
        if (shard == null) {
            throw new IllegalArgumentException("shard is required (Shard.SINGLE)");
        }
        if (snapshotIntervalMs < 0) {
            throw new IllegalArgumentException("snapshotIntervalMs must be 0 or more, was " + snapshotIntervalMs);
        }
        if (minFreeDiskBytes < 0) {
            throw new IllegalArgumentException("minFreeDiskBytes must be 0 or more, was " + minFreeDiskBytes);
        }
    }

    /** Defaults, with data under {@code dataDir}. */
    public static EngineConfig defaults(final Path dataDir) {
        return new EngineConfig(dataDir, DEFAULT_ENTITY_ENTRIES, DEFAULT_TXN_ENTRIES, DEFAULT_RING_BYTES,
            IdleStrategies.BACKOFF, DEFAULT_MAX_IN_FLIGHT, null, null, EngineSettings.DEFAULTS, null, JournalSync.NONE,
            DEFAULT_MIN_FREE_DISK_BYTES, true, Shard.SINGLE, DEFAULT_SNAPSHOT_INTERVAL_MS);
    }

    public EngineConfig withRules(final Path file) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, file,
            modelFile, settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withModel(final Path file) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            file, settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withIdleStrategy(final String name) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, name, maxInFlight, rulesFile,
            modelFile, settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withMaxInFlight(final int max) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, max, rulesFile, modelFile,
            settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withEntries(final long entities, final long txns) {
        return new EngineConfig(dataDir, entities, txns, ringBytes, idleStrategy, maxInFlight, rulesFile, modelFile,
            settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withSettings(final EngineSettings next) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, next, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withStateDir(final Path dir) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, settings, dir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withJournalSync(final JournalSync sync) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, settings, stateDir, sync, minFreeDiskBytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withMinFreeDisk(final long bytes) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, settings, stateDir, journalSync, bytes, stateSyncAtStop, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withStateSyncAtStop(final boolean sync) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, settings, stateDir, journalSync, minFreeDiskBytes, sync, shard,
            snapshotIntervalMs);
    }

    public EngineConfig withShard(final Shard which) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, which,
            snapshotIntervalMs);
    }

    public EngineConfig withSnapshotInterval(final long ms) {
        return new EngineConfig(dataDir, entityEntries, txnEntries, ringBytes, idleStrategy, maxInFlight, rulesFile,
            modelFile, settings, stateDir, journalSync, minFreeDiskBytes, stateSyncAtStop, shard, ms);
    }

    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    public Path mapsDir() {
        return dataDir.resolve("maps");
    }
}
