package io.ecap.hotpath.engine;

import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.state.EngineMeta;
import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.StateOwner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Where a data folder's state lives, as {@code engine.state-dir} (and {@code ecap score --state-dir}) says:
 * {@value #AUTO} (the default), {@value #DATA} (or empty: {@code data/maps} on the data folder's disk) or a folder.
 *
 * <p>{@value #AUTO} keeps the state of a new data folder in memory when the machine has room for it: in a folder of
 * its own under {@code /dev/shm/ecap-state-USER} (tmpfs), linked from {@code data/maps}. The writer changes its
 * state at random across gigabytes; on a disk the kernel writes those pages back (every 30 s, and without pause once
 * the dirty pages pass a tenth of the memory) and every write to a page written back faults again, which made a
 * three-million-event run three times slower than with the state in memory (docs/PERFORMANCE.md). A data folder whose
 * state is already on its disk keeps it there, one already linked keeps its link, and without a tmpfs with at least
 * {@link #MIN_FREE_BYTES} free the state stays on the disk. A state in memory survives a kill of the process; a clean
 * stop copies it to the data folder ({@link StateSnapshot}), and after a reboot the state comes back from that copy
 * and the journal after it.
 *
 * <p>Before taking a new folder in memory, the state folders there that no data folder leads to any more and that no
 * process has open are removed, so deleted data folders do not keep memory until the next reboot: at once when they
 * name no data folder (a replay's, left by a kill) or one that now keeps its state elsewhere, and after an hour
 * unused when the data folder they name is gone (it may have been moved: its next start within the hour keeps the
 * state; a later one brings it back from the snapshot of its last clean stop, or rebuilds it from the journal). When
 * the tmpfs is more than half full, those waiting out their hour go early too, the least recently used first, until
 * it is half free: runs on many new data folders deleted one after the other would otherwise fill the machine's memory
 * within the hour.
 */
public final class StatePlacement {
    public static final String AUTO = "auto";
    public static final String DATA = "data";
    /** The least free space on the tmpfs for {@value #AUTO} to put a new state there. */
    static final long MIN_FREE_BYTES = 2L << 30;
    /** A state folder this young may be one an engine is creating now: the sweep leaves it. */
    private static final long YOUNG_MS = 60_000;
    /**
     * A state folder whose data folder is not where it was may belong to a data folder moved with {@code mv} (its next
     * start takes the folder over): the sweep leaves it until it has not been used for this long. An hour, or
     * {@code -Decap.state.moved-grace-ms} (the build's tests set 0: they delete hundreds of data folders, each of whose
     * state would otherwise hold tens of megabytes of memory for an hour).
     */
    static final long MOVED_GRACE_MS = Long.getLong("ecap.state.moved-grace-ms", 3_600_000L);

    private StatePlacement() {
    }

    /** What is wrong with a value of {@code engine.state-dir}, or null if nothing is. */
    public static String problem(final String setting, final Path dataDir) {
        if (isDefault(setting) || isData(setting)) {
            return null;
        }
        if (!Path.of(setting.strip()).isAbsolute()) {
            return "'" + setting.strip() + "' is neither auto, data nor an absolute folder";
        }
        return StateFolder.problem(Path.of(setting.strip()), dataDir);
    }

    /**
     * The state folder for {@code dataDir} under {@code setting}: null for {@code data/maps} itself, else the folder
     * {@code data/maps} is to lead to.
     */
    public static Path resolve(final String setting, final Path dataDir) throws IOException {
        StateMove.completeInterrupted(dataDir); // a move to the disk a crash stopped: where the state is now
        if (setting == null || setting.isBlank() || isData(setting)) {
            return null;
        }
        if (!AUTO.equalsIgnoreCase(setting.strip())) {
            return Path.of(setting.strip());
        }
        return auto(dataDir, memoryRoot(), MIN_FREE_BYTES);
    }

    /** Whether the state in {@code stateDir} has applied journal entries past the end of {@code dataDir}'s journal. */
    private static boolean aheadOfJournal(final Path stateDir, final Path dataDir) {
        final long applied = EngineMeta.appliedThroughOf(stateDir.toFile());
        if (applied == 0) {
            return false;
        }
        final Path journal = dataDir.resolve("journal");
        if (!Files.isDirectory(journal)) {
            return true;
        }
        try (Journal j = Journal.openReadOnly(journal.toFile())) {
            return applied > j.lastIndex();
        }
    }

    /** When a file of {@code folder} last changed (the engine writes its progress file while it runs). */
    private static long lastUsedMs(final Path folder) throws IOException {
        long last = Files.getLastModifiedTime(folder).toMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (final Path file : files) {
                last = Math.max(last, Files.getLastModifiedTime(file).toMillis());
            }
        }
        return last;
    }

    static boolean isDefault(final String setting) {
        return setting == null || setting.isBlank() || AUTO.equalsIgnoreCase(setting.strip());
    }

    private static boolean isData(final String setting) {
        return DATA.equalsIgnoreCase(setting.strip());
    }

    /** {@value #AUTO} with the folder of states in memory {@code root} and its least free space. */
    static Path auto(final Path dataDir, final Path root, final long minFree) throws IOException {
        final Path maps = dataDir.resolve("maps");
        if (Files.isSymbolicLink(maps)) {
            final Path target = maps.resolveSibling(Files.readSymbolicLink(maps)).toAbsolutePath().normalize();
            if (!Files.isDirectory(target)) {
                return target; // kept where it was put; a target gone after a reboot is made again
            }
            if (StateOwner.otherOwner(target, dataDir) == null && !(StateOwner.ownerIsGone(target)
                && aheadOfJournal(target, dataDir))) {
                return target;
            }
            // another data folder's, or one whose data folder is gone and which holds entries this journal has not:
            // the state of the original of a copy (moved or deleted since), not this folder's own
        } else if (Files.exists(maps)) {
            return null;
        }
        if (!hasRoom(root, minFree)) {
            return null;
        }
        Files.createDirectories(root);
        sweep(root, MOVED_GRACE_MS);
        final String name = dataDir.toAbsolutePath().normalize().getFileName() + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        return root.resolve(name);
    }

    /**
     * A new empty folder in memory for a state a command builds and removes itself (a replay, a backtest), named
     * {@code prefix} and more, or null when the tmpfs lacks room for {@code bytes} more than {@link #MIN_FREE_BYTES}.
     * One its command left behind (killed) is removed by a later sweep.
     */
    public static Path scratch(final String prefix, final long bytes) throws IOException {
        final Path root = memoryRoot();
        if (!hasRoom(root, MIN_FREE_BYTES + Math.max(0, bytes))) {
            return null;
        }
        Files.createDirectories(root);
        sweep(root, MOVED_GRACE_MS);
        return Files.createTempDirectory(root, prefix);
    }

    /** Whether {@code folder} is on a file system in memory (false if that cannot be told). */
    public static boolean isInMemory(final Path folder) {
        try {
            return StateSnapshot.isInMemory(folder);
        } catch (final IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code /dev/shm/ecap-state-USER}, or the folder {@code -Decap.state.memory-root} names. */
    static Path memoryRoot() {
        final String set = System.getProperty("ecap.state.memory-root");
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        return Path.of("/dev/shm", "ecap-state-" + System.getProperty("user.name", "ecap").replaceAll("[^A-Za-z0-9_.-]",
            "_"));
    }

    /** Whether {@code root} is (or would be made) on a file system in memory with at least {@code minFree} free. */
    static boolean hasRoom(final Path root, final long minFree) {
        Path existing = root.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null || !Files.isWritable(existing) || !StateSnapshot.isInMemory(existing)) {
                return false;
            }
            final FileStore store = Files.getFileStore(existing);
            return store.getUsableSpace() >= minFree;
        } catch (final IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Removes the state folders under {@code root} that no data folder leads to and no process has open; returns how
     * many. Folders changed in the last minute are left (an engine may be linking one now), and so are those whose
     * data folder is gone but that were used in the last {@code movedGraceMs} (see the class comment).
     */
    static int sweep(final Path root, final long movedGraceMs) throws IOException {
        return sweep(root, movedGraceMs, () -> moreThanHalfFull(root));
    }

    /**
     * As {@link #sweep(Path, long)}, with {@code underPressure} saying, before each, whether the states waiting out
     * their grace are to go early.
     */
    static int sweep(final Path root, final long movedGraceMs, final BooleanSupplier underPressure) throws IOException {
        int removed = 0;
        final long now = System.currentTimeMillis();
        final TreeMap<Long, List<Path>> inGrace = new TreeMap<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (final Path folder : folders) {
                if (!Files.isDirectory(folder) || Files.isSymbolicLink(folder)
                    || now - Files.getLastModifiedTime(folder).toMillis() < YOUNG_MS
                    || StateOwner.isOwned(folder)
                    || FeatureStore.inUse(folder)) {
                    continue;
                }
                if (StateOwner.ownerIsGone(folder)) {
                    final long lastUsed = lastUsedMs(folder);
                    if (now - lastUsed < movedGraceMs) {
                        inGrace.computeIfAbsent(lastUsed, t -> new ArrayList<>()).add(folder);
                        continue;
                    }
                }
                StateSnapshot.delete(folder);
                removed++;
            }
            for (final List<Path> sameTime : inGrace.values()) {
                for (final Path folder : sameTime) {
                    if (!underPressure.getAsBoolean()) {
                        return removed;
                    }
                    if (!FeatureStore.inUse(folder)) {
                        StateSnapshot.delete(folder);
                        removed++;
                    }
                }
            }
        } catch (final IOException | RuntimeException e) {
            // another engine sweeping at the same moment, or a folder it is opening: left for the next sweep
            return removed;
        }
        return removed;
    }

    /** Whether the file system of {@code root} has less than half of its space free (false if that cannot be told). */
    private static boolean moreThanHalfFull(final Path root) {
        try {
            final FileStore store = Files.getFileStore(root);
            return store.getUsableSpace() < store.getTotalSpace() / 2;
        } catch (final IOException | SecurityException e) {
            return false;
        }
    }
}
