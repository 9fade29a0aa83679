package io.ecap.hotpath.engine;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.journal.ConfigEntryFlyweight;
import io.ecap.hotpath.journal.EntryType;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.hotpath.journal.TornTail;
import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.rules.DefaultRules;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.hotpath.state.Erasure;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.FolderSync;
import io.ecap.model.scoring.ConfigText;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A running engine: opens the journal and the maps, recovers, puts the configured rule set and model live, and runs
 * the {@link WriterAgent} on its own thread. Producers talk to it through {@link #newClient()}.
 */
public final class EngineRunner implements AutoCloseable {
    private final EngineConfig config;
    private final Journal journal;
    private final FeatureStore store;
    private final EngineCounters counters = new EngineCounters();
    private final Engine engine;
    private final ManyToOneRingBuffer commands;
    private final AtomicReferenceArray<EngineClient> clients = new AtomicReferenceArray<>(EngineConfig.MAX_CLIENTS);
    private final AtomicInteger clientCount = new AtomicInteger();
    private final ManyToOneConcurrentArrayQueue<AdminCommand> adminQueue = new ManyToOneConcurrentArrayQueue<>(64);
    private final long recoveredEntries;
    /** The journal index of the snapshot the state was restored from at start, or -1. */
    private final long restoredSnapshot;
    /** The data folder's snapshots newer than the one restored (or any) that could not be used, with why. */
    private final List<String> unusableSnapshots;
    private final AgentRunner runner;
    private final Runnable writerWake;
    private final JournalSyncer syncer;
    private final DiskGuard diskGuard;
    /** Snapshots of a state in memory while running, or null ({@link EngineConfig#snapshotIntervalMs()}). */
    private final RunningSnapshots snapshots;
    private volatile long entrySyncedIndex;
    private boolean closed;

    private EngineRunner(final EngineConfig config, final ErrorHandler errorHandler)
        throws IOException, RuleSetException, ModelException {
        this.config = config;
        final String stateDirProblem = StateFolder.problem(config.stateDir(), config.dataDir());
        if (stateDirProblem != null) {
            throw new IllegalArgumentException("engine.state-dir: " + stateDirProblem);
        }
        final Path maps = StateFolder.prepare(config); // first: a state folder that cannot be made leaves no journal
        Files.createDirectories(config.journalDir());
        this.journal = Journal.open(config.journalDir().toFile());
        FeatureStore opened = null;
        DiskGuard guard = null;
        try {
            ShardMark.check(config.dataDir(), config.shard(), journal.lastIndex() == 0);
            // before the state opens: its page toucher must not fill a disk that is nearly full already
            guard = config.minFreeDiskBytes() > 0
                ? DiskGuard.start(java.util.List.of(config.dataDir(), maps), config.minFreeDiskBytes()) : null;
            this.diskGuard = guard;
            final boolean snapshotted = config.stateDir() != null || Files.isSymbolicLink(maps);
            this.restoredSnapshot = !snapshotted ? -1
                : StateSnapshot.restoreIfEmpty(maps, config.dataDir(), index -> entryDigest(journal, index));
            this.unusableSnapshots = !snapshotted ? List.of() : StateSnapshot.unusableNewerThan(config.dataDir(),
                index -> entryDigest(journal, index), restoredSnapshot);
            opened = FeatureStore.open(maps, config.entityEntries(), config.txnEntries());
            opened.pauseTouchingWhile(this::diskFull);
            this.store = opened;
            store.meta().markRunning();
            final JournalReader lookup = journal.reader();
            this.engine = new Engine(store, EntrySink.of(journal), lookup, DefaultRules.ruleSet(), counters);
            engine.shard(config.shard());
            this.recoveredEntries = Recovery.run(engine, journal.reader(), store.meta(), counters);
            // a stop in the middle of an erasure or of a snapshot can leave copies of the state the erasure must not
            // leave behind, or half a copy
            StateSnapshot.removeOlderThan(config.dataDir(), store.meta().erasureIndex());
            counters.set(EngineCounters.Counter.JOURNAL_INDEX, journal.lastIndex());
            goLive(lookup);
        } catch (final IOException | RuleSetException | ModelException | RuntimeException e) {
            if (guard != null) {
                guard.close();
            }
            if (opened != null) {
                opened.close();
            }
            journal.close();
            throw e;
        }
        this.commands = new ManyToOneRingBuffer(new UnsafeBuffer(
            org.agrona.BufferUtil.allocateDirectAligned(config.ringBytes() + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        // the sync that covers every entry is a group commit: one journal sync per batch the writer takes from the
        // ring, its answers held until then (WriterAgent)
        final Runnable forceJournal = config.journalSync().mode() == JournalSync.Mode.ENTRY ? () -> {
            final long index = counters.get(EngineCounters.Counter.JOURNAL_INDEX);
            journal.force();
            entrySyncedIndex = index;
        } : null;
        final WriterAgent agent = new WriterAgent(engine, commands, clients, adminQueue, counters, errorHandler,
            journal::handOverToCurrentThread, forceJournal);
        final IdleStrategy idle = IdleStrategies.of(config.idleStrategy(),
            () -> commands.size() > 0 || !adminQueue.isEmpty());
        this.writerWake = idle instanceof WakeableIdleStrategy wakeable ? wakeable::wake : () -> { };
        this.runner = new AgentRunner(idle, errorHandler, null, agent);
        journal.touchAhead(this::diskFull);
        AgentRunner.startOnThread(runner);
        this.snapshots = config.snapshotIntervalMs() > 0 && copiesStateAtStop()
            ? new RunningSnapshots(config, store.dir(), journal, () -> store.meta().appliedThrough(),
                () -> store.meta().erasureIndex(), index -> entryDigest(journal, index))
            : null;
        if (snapshots != null) {
            snapshots.start();
        }
        this.syncer = config.journalSync().mode() == JournalSync.Mode.INTERVAL
            ? new JournalSyncer(config.journalDir().toFile(), config.journalSync().intervalMs(),
                () -> counters.get(EngineCounters.Counter.JOURNAL_INDEX))
            : null;
    }

    /**
     * Why new work is refused now (too little free disk space for the journal or the state, see {@link DiskGuard}),
     * or null. Clients check it before they send a command; work already accepted is finished.
     */
    public String diskRefusal() {
        return diskGuard == null ? null : diskGuard.refusal();
    }

    private boolean diskFull() {
        return diskRefusal() != null;
    }

    /** Why the last periodic journal sync failed, or null (no failure, or no periodic sync). */
    public String journalSyncFailure() {
        return syncer == null ? null : syncer.failure();
    }

    /**
     * The newest journal index known to be forced to the disk: every journaled entry with the policy that syncs
     * each entry, the last periodic sync's with an interval, and 0 when syncing is left to the operating system.
     */
    public long journalSyncedIndex() {
        return switch (config.journalSync().mode()) {
            case ENTRY -> entrySyncedIndex;
            case INTERVAL -> syncer.syncedIndex();
            case NONE -> 0;
        };
    }

    /** Starts an engine; returns once recovery is done and it accepts commands. */
    public static EngineRunner start(final EngineConfig config, final ErrorHandler errorHandler)
        throws IOException, RuleSetException, ModelException {
        return new EngineRunner(config, errorHandler);
    }

    /**
     * The configured settings, rule set and model go live if they differ from the journaled ones (or nothing is live
     * yet).
     */
    private void goLive(final JournalReader lookup) throws IOException, RuleSetException, ModelException {
        if (store.meta().settingsIndex() == 0 || !config.settings().equals(engine.settings())) {
            engine.loadSettings(config.settings(), "config", System.currentTimeMillis());
        }
        final String rules = config.rulesFile() != null ? ConfigText.read(config.rulesFile())
            : store.meta().ruleSetIndex() == 0 ? DefaultRules.text() : null;
        if (rules != null && !rules.equals(journaledText(lookup, store.meta().ruleSetIndex()))) {
            RuleParser.parse(rules);
            engine.loadRuleSet(rules, actor(config.rulesFile(), "bundled default"), System.currentTimeMillis());
        }
        if (config.modelFile() != null) {
            final String model = ConfigText.read(config.modelFile());
            if (!model.equals(journaledText(lookup, store.meta().modelIndex()))) {
                ModelParser.parse(model, FeatureCatalog.forModels());
                engine.loadModel(model, actor(config.modelFile(), null), System.currentTimeMillis());
            }
        }
    }

    private static String actor(final Path file, final String fallback) {
        final String name = file == null ? fallback : "config " + file.getFileName();
        return name.length() > ConfigEntryFlyweight.MAX_ACTOR ? name.substring(0, ConfigEntryFlyweight.MAX_ACTOR)
            : name.replaceAll("[^ -~]", "?");
    }

    private static String journaledText(final JournalReader reader, final long index) {
        if (index == 0 || !reader.read(index)) {
            return null;
        }
        return new ConfigEntryFlyweight().wrapForDecode(reader.buffer(), 0, reader.length()).text();
    }

    /** A new producer handle, for one thread. At most {@link EngineConfig#MAX_CLIENTS}. */
    public EngineClient newClient() {
        final int id = clientCount.getAndIncrement();
        if (id >= EngineConfig.MAX_CLIENTS) {
            throw new IllegalStateException("at most " + EngineConfig.MAX_CLIENTS + " engine clients");
        }
        final int capacity = BitUtil.findNextPositivePowerOfTwo(
            config.maxInFlight() * (Commands.RESPONSE_BODY_OFFSET + Commands.MAX_RESPONSE_BODY + 16));
        final OneToOneRingBuffer responses = new OneToOneRingBuffer(new UnsafeBuffer(
            org.agrona.BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final EngineClient client = new EngineClient(id, commands, responses, config.maxInFlight(), writerWake);
        clients.set(id, client);
        return client;
    }

    /** Puts a rule set live (validated and journaled by the writer); completes with its journal index. */
    public CompletableFuture<Long> loadRuleSet(final String text, final String actor, final long tsMs) {
        return loadConfig(EntryType.RULE_SET, text, actor, tsMs);
    }

    /** Puts a model live (validated and journaled by the writer); completes with its journal index. */
    public CompletableFuture<Long> loadModel(final String text, final String actor, final long tsMs) {
        return loadConfig(EntryType.MODEL, text, actor, tsMs);
    }

    /**
     * Puts a rule set, a model or a part of the challenger live by entry type ({@code EntryType.RULE_SET},
     * {@code MODEL}, {@code SHADOW_RULE_SET}, {@code SHADOW_MODEL}; validated and journaled by the writer);
     * completes with its journal index.
     */
    public CompletableFuture<Long> loadConfig(final int entryType, final String text, final String actor,
        final long tsMs) {
        return admin(new AdminCommand(entryType, text, actor, tsMs, null, null, null, new CompletableFuture<>()));
    }

    /**
     * Applies a block or allow list change (journaled by the writer); completes with its journal index, or 0 if a
     * change with this or a later stream id was applied before.
     */
    public CompletableFuture<Long> listChange(final ListChange change) {
        return admin(new AdminCommand(0, null, change.actor(), change.tsMs(), change, null, null,
            new CompletableFuture<>()));
    }

    /** What an erasure did: its journal index, and the records it erased (0: the state held no such entity). */
    public record Erased(long journalIndex, int records) {
    }

    /**
     * Erases an entity from the state (journaled by the writer, the journal synced after it as after every
     * configuration change); completes once it is done, and once the data folder's state snapshots, copies of the
     * state made before the erasure, are removed (off the writer's thread).
     */
    public CompletableFuture<Erased> erase(final Erasure erasure) {
        final CompletableFuture<Integer> erased = new CompletableFuture<>();
        return admin(new AdminCommand(0, null, erasure.actor(), erasure.tsMs(), null, erasure, erased,
            new CompletableFuture<>())).thenApplyAsync(index -> {
                try {
                    StateSnapshot.removeAll(config.dataDir());
                } catch (final IOException e) {
                    throw new UncheckedIOException("the erasure is done and journaled, but the state snapshots in "
                        + config.dataDir() + " (copies of the state from before it) could not be removed: "
                        + e.getMessage() + "; delete the state-snapshot-* folders there", e);
                }
                return new Erased(index, erased.join());
            });
    }

    /** The stream id of the last list change the engine applied ({@code 0-0}: none). Any thread. */
    public String lastListStreamId() {
        return engine.lists().lastStreamId();
    }

    private CompletableFuture<Long> admin(final AdminCommand command) {
        final CompletableFuture<Long> result = command.result();
        if (!adminQueue.offer(command)) {
            result.completeExceptionally(new IllegalStateException("too many configuration changes queued"));
        }
        writerWake.run();
        return result;
    }

    /** How full the command ring is, from 0 to 1. Any thread. */
    public double commandRingOccupancy() {
        return (double) commands.size() / commands.capacity();
    }

    public EngineCounters counters() {
        return counters;
    }

    public EngineConfig config() {
        return config;
    }

    /** Journal entries applied by recovery at start. */
    public long recoveredEntries() {
        return recoveredEntries;
    }

    /**
     * One line on what start found and did: a new data folder, a clean restart, or a recovery after an unclean stop
     * (an interrupted change put back, journal entries applied, where the journal stands).
     */
    public String startupReport() {
        final FeatureStore.Opening o = store.opening();
        final long damaged = counters.get(EngineCounters.Counter.DAMAGED_ENTRIES);
        final String where = String.format("journal at index %d (%,d entries)", journal.lastIndex(),
            journal.entriesAfter(0)) + (journal.repair() == null ? keptDamaged() : "; " + journal.repair().describe())
            + (damaged == 0 ? "" : String.format("; %,d damaged journal entries skipped (their checksum did not "
                + "match, or lost in a torn end and marked so: a power loss)", damaged))
            + (counters.get(EngineCounters.Counter.SHADOWS_COMPLETED) == 0 ? "" : "; the challenger's decision on the "
                + "last transaction, answered just before the stop, journaled now")
            + (config.stateDir() == null ? "" : "; state in " + stateLocation())
            + (snapshots == null ? "" : String.format(", copied to the data folder every %,d min",
                config.snapshotIntervalMs() / 60_000))
            + (unusableSnapshots.isEmpty() ? "" : "; snapshots of the state left unused: "
                + String.join("; ", unusableSnapshots));
        if (restoredSnapshot >= 0) {
            return String.format("state: restored from the snapshot in the data folder (journal index %d), then "
                + "%,d journal entries applied; %s", restoredSnapshot, recoveredEntries, where);
        }
        if (o.rebuiltBecause() != null) {
            return String.format("state: rebuilt from the journal (%s): %,d entries applied; %s", o.rebuiltBecause(),
                recoveredEntries, where);
        }
        if (o.fresh()) {
            return recoveredEntries == 0 ? "state: new data folder" + (journal.repair() == null ? keptDamaged()
                : "; " + journal.repair().describe()) + (config.stateDir() == null ? ""
                : "; state in " + stateLocation())
                : String.format("state: rebuilt from the journal: %,d entries applied; %s", recoveredEntries, where);
        }
        if (o.wasClean()) {
            return String.format("state: clean restart; %s", where);
        }
        return String.format("state: recovered after an unclean stop: %s, %,d journal entries applied; %s",
            o.undoneRanges() > 0 ? "an interrupted change put back (" + o.undoneRanges() + " ranges)"
                : "no change was in progress", recoveredEntries, where);
    }

    /** Where the state files are: their folder, and whether it is in memory (tmpfs). */
    public String stateLocation() {
        try {
            final Path real = store.dir().toRealPath();
            return real + (StateSnapshot.isInMemory(real) ? " (in memory)" : "");
        } catch (final IOException e) {
            return store.dir().toAbsolutePath().toString();
        }
    }

    public Journal journal() {
        return journal;
    }

    public FeatureStore store() {
        return store;
    }

    /**
     * Takes a snapshot of a state kept in memory now, as the interval would ({@link RunningSnapshots}), on the calling
     * thread; returns its journal index, or -1 if none was needed or kept.
     *
     * @throws IllegalStateException if this engine takes no snapshots while running.
     */
    public long snapshotNow() throws IOException {
        if (snapshots == null) {
            throw new IllegalStateException("no snapshots while running: the state is not in memory, or "
                + "engine.snapshot-minutes is 0");
        }
        return snapshots.takeOne();
    }

    /** The journal index of the last snapshot taken while running, or -1 (none yet, or none are taken). */
    public long lastRunningSnapshot() {
        return snapshots == null ? -1 : snapshots.lastIndex();
    }

    /** The damaged journal files earlier repairs kept ("" if none), for the start line. */
    private String keptDamaged() {
        final List<String> kept = TornTail.keptDamaged(config.journalDir());
        return kept.isEmpty() ? "" : "; damaged journal files kept by earlier repairs of a torn end, in "
            + TornTail.damagedFolder(config.journalDir()) + ": " + String.join(", ", kept)
            + " (docs/RELIABILITY.md: look, then remove them)";
    }

    /**
     * Seconds since the newest complete copy of the state in the data folder was made ({@link StateSnapshot}: at a
     * clean stop or while running), 0 when it holds everything the writer has applied, NaN when there is none (a power
     * loss now would rebuild the state from the whole journal).
     */
    public double snapshotAgeSeconds() {
        try {
            final Path newest = StateSnapshot.newest(config.dataDir(), null);
            if (newest == null) {
                return Double.NaN;
            }
            if (StateSnapshot.indexOf(newest) >= store.meta().appliedThrough()) {
                return 0;
            }
            return (System.currentTimeMillis()
                - Files.getLastModifiedTime(newest.resolve(StateSnapshot.COMPLETE)).toMillis()) / 1000.0;
        } catch (final IOException e) {
            return Double.NaN;
        }
    }

    /** How long the last snapshot taken while running took, in nanoseconds (0: none yet). */
    public long lastRunningSnapshotNanos() {
        return snapshots == null ? 0 : snapshots.lastNanos();
    }

    /** Why the last snapshot attempt while running failed, or null. */
    public String runningSnapshotFailure() {
        return snapshots == null ? null : snapshots.failure();
    }

    /** Stops the writer after it answered everything already in the ring, then closes journal and maps cleanly. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (snapshots != null) {
            snapshots.close(); // first: the stop's own snapshot below replaces the older ones
        }
        if (diskGuard != null) {
            diskGuard.close();
        }
        runner.close();
        if (syncer != null) {
            syncer.close();
        }
        final long appliedThrough = store.meta().appliedThrough();
        final long digest = entryDigest(journal, appliedThrough);
        journal.close();
        // the journal always reaches the disk; by default the state too, before the stop says so, so that it is
        // trusted at the next start even if the machine loses power right after. Without that (ecap score) it is
        // trusted in this boot only: a start after a reboot rebuilds it from the journal (EngineMeta)
        FolderSync.sync(config.journalDir());
        if (config.stateSyncAtStop()) {
            FolderSync.sync(store.dir());
            store.meta().markClean();
            FolderSync.sync(store.dir());
        } else {
            store.meta().markCleanInThisBoot();
        }
        try {
            if (config.stateSyncAtStop()) { // without it a reboot rebuilds the state (from an older snapshot if any)
                snapshotIfInMemory(appliedThrough, digest);
            }
        } finally {
            store.close();
        }
    }

    /** The checksum of the journal's entry at {@code index} (what a snapshot records of its journal), or -1. */
    private static long entryDigest(final Journal journal, final long index) {
        if (index <= 0) {
            return -1;
        }
        try (JournalReader reader = journal.reader()) {
            return reader.read(index) ? reader.checksum() : -1;
        }
    }

    /**
     * Whether a clean stop copies the state to the data folder ({@code state-snapshot-INDEX}): the state is in memory
     * and the data folder is not.
     */
    public boolean copiesStateAtStop() {
        try {
            return config.stateSyncAtStop() && stateInMemoryOnly();
        } catch (final IOException e) {
            return false;
        }
    }

    private boolean stateInMemoryOnly() throws IOException {
        return StateSnapshot.isInMemory(store.dir().toRealPath())
            && !StateSnapshot.isInMemory(config.dataDir().toRealPath());
    }

    /**
     * A state folder in memory (tmpfs) is copied to the data folder, so that a reboot does not lose it; not when the
     * data folder is in memory too (the copy would not outlive a reboot either).
     */
    private void snapshotIfInMemory(final long appliedThrough, final long digest) {
        if (digest < 0) {
            return;
        }
        try {
            if (stateInMemoryOnly()) {
                StateSnapshot.take(store.dir(), config.dataDir(), config.journalDir(), appliedThrough, digest);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("the state folder is in memory and could not be copied to "
                + config.dataDir() + " (the next start after a reboot rebuilds it from the journal): " + e.getMessage(),
                e);
        }
    }
}
