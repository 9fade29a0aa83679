package io.ecap.hotpath.engine;

import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.state.FolderLock;
import io.ecap.hotpath.state.FolderSync;
import io.ecap.hotpath.state.StateOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of the state on the disk, for a state folder kept in memory ({@code engine.state-dir} on tmpfs). Such a
 * folder survives a process kill but not a reboot; without a copy the next start would rebuild the state from the
 * whole journal. A clean stop therefore copies the state into the data folder ({@code data/state-snapshot-INDEX},
 * INDEX the journal index it holds), and a start that finds the state folder empty copies the newest complete
 * snapshot back; recovery then applies only the journal entries written after it. The state is a pure function of
 * the journal, so a snapshot plus the entries after it is exactly the state a full replay would give, also after a
 * power loss that lost the state folder.
 *
 * <p>Copies are sparse (blocks of zeros are skipped, as the state files have long runs of untouched space) and
 * forced to the disk before the snapshot is marked complete; older snapshots are removed only after that. A state
 * folder on a disk gets no snapshot: its files are already there.
 */
public final class StateSnapshot {
    static final String PREFIX = "state-snapshot-";
    static final String COMPLETE = "COMPLETE";
    /** The checksum of the journal entry the snapshot holds the state after: it names the journal it belongs to. */
    static final String JOURNAL_ENTRY = "JOURNAL-ENTRY";
    /**
     * The snapshot's files, one "name length digest" a line ({@link SparseFiles#digest}; older snapshots have no
     * digest): a file cut short is not restored, nor one whose content changed since.
     */
    static final String FILES = "FILES";
    /**
     * Written into a snapshot found damaged while copied (a file's content digest differs from its list's), with why:
     * it is never used again, and is kept for a look until a newer snapshot replaces it.
     */
    static final String DAMAGED = "DAMAGED";
    /** Where a snapshot is put together before it gets its name (never taken for one: it has no index). */
    static final String BUILDING = PREFIX + "building";
    private static final String LOCK = "engine.lock";
    static final String META = "engine.meta";
    private static final Logger LOG = LoggerFactory.getLogger(StateSnapshot.class);

    private StateSnapshot() {
    }

    /** True if the folder is on a file system that lives in memory only (tmpfs, ramfs): a reboot empties it. */
    static boolean isInMemory(final Path folder) throws IOException {
        return DiskFill.isInMemory(Files.getFileStore(folder));
    }

    /**
     * After a clean stop: copies the state folder's files into {@code dataDir/state-snapshot-INDEX}, marks it complete
     * once it is on the disk, then removes the older snapshots. Returns the snapshot's folder.
     */
    static Path take(final Path stateFolder, final Path dataDir, final Path journalDir, final long journalIndex,
        final long entryDigest) throws IOException {
        final Path same = dataDir.resolve(PREFIX + journalIndex);
        if (Files.exists(same.resolve(COMPLETE)) && !Files.exists(same.resolve(DAMAGED))) {
            return same; // nothing was applied since: the state is a function of the journal, the same one
        }
        final Path building = building(dataDir);
        final Map<String, Long> digests = copyFiles(stateFolder, building);
        return publish(building, dataDir, journalDir, journalIndex, entryDigest, digests);
    }

    /** An empty folder {@code data/state-snapshot-building} to copy or build a snapshot in (emptied if it exists). */
    static Path building(final Path dataDir) throws IOException {
        final Path building = dataDir.resolve(BUILDING);
        delete(building);
        Files.createDirectories(building);
        return building;
    }

    /**
     * Makes the state in {@code building} (complete, its files' pages written) the snapshot at {@code journalIndex}:
     * forces the journal's newest files to the disk, records the journal entry it belongs to, forces it to the disk,
     * renames it {@code state-snapshot-INDEX}, marks it complete, then removes the older snapshots. Returns the
     * snapshot's folder.
     */
    static Path publish(final Path building, final Path dataDir, final Path journalDir, final long journalIndex,
        final long entryDigest, final Map<String, Long> digests) throws IOException {
        // the journal's entries up to the snapshot's go to the disk first: a power loss must not keep a snapshot that
        // holds entries the journal lost (a start would refuse it: its entry's checksum would not match)
        Journal.syncNewestFiles(journalDir.toFile());
        final Path snapshot = dataDir.resolve(PREFIX + journalIndex);
        final StringBuilder files = new StringBuilder();
        try (Stream<Path> all = Files.list(building)) {
            for (final Path file : (Iterable<Path>) all.sorted()::iterator) {
                if (Files.isRegularFile(file)) {
                    final Long known = digests == null ? null : digests.get(file.getFileName().toString());
                    files.append(file.getFileName()).append(' ').append(Files.size(file)).append(' ')
                        .append(known != null ? known : SparseFiles.settledDigest(file)).append('\n');
                }
            }
        }
        Files.writeString(building.resolve(FILES), files);
        Files.writeString(building.resolve(JOURNAL_ENTRY), Long.toString(entryDigest));
        FolderSync.sync(building);
        delete(snapshot); // an incomplete one, left by a stop half way
        Files.move(building, snapshot, StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(snapshot.resolve(COMPLETE));
        FolderSync.sync(snapshot);
        FolderSync.syncFile(dataDir);
        for (final Path older : snapshots(dataDir)) {
            if (!older.equals(snapshot)) {
                delete(older);
            }
        }
        return snapshot;
    }

    /**
     * Copies the state's files (not its lock, nor the record of its owner) from {@code stateFolder} into the folder
     * {@code to}, sparse, straight to the disk where the file system allows ({@link SparseFiles}).
     */
    static Map<String, Long> copyFiles(final Path stateFolder, final Path to) throws IOException {
        final Map<String, Long> digests = new HashMap<>();
        try (Stream<Path> files = Files.list(stateFolder)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                final String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.equals(LOCK) && !name.startsWith(StateOwner.FILE)
                    && !name.equals(COMPLETE) && !name.equals(JOURNAL_ENTRY) && !name.equals(FILES)
                    && !name.equals(DAMAGED)) {
                    digests.put(name, SparseFiles.copy(file, to.resolve(name)));
                }
            }
        }
        return digests;
    }

    /**
     * Copies a snapshot's state files into {@code to}, its progress file ({@code engine.meta}) last as
     * {@code metaName}, each checked against the digest the snapshot's list recorded when it was taken; returns the
     * bytes copied. A file whose digest differs is read again ({@link SparseFiles#settledDigest}): when the snapshot's
     * file does hold what was recorded (the first read was wrong, see there) it is copied again and that copy checked;
     * when it does not (its content damaged on the disk since) it throws {@link DamagedSnapshot} after marking the
     * snapshot so ({@link #DAMAGED}); what was copied is left to the caller.
     */
    static long copyChecked(final Path snapshot, final Path to, final String metaName) throws IOException {
        final Map<String, Long> recorded = recordedDigests(snapshot);
        long bytes = 0;
        try (Stream<Path> files = Files.list(snapshot)) {
            for (final Path file : (Iterable<Path>) files.sorted()::iterator) {
                final String name = file.getFileName().toString();
                if (!name.equals(COMPLETE) && !name.equals(META) && !name.equals(JOURNAL_ENTRY) && !name.equals(FILES)
                    && !name.equals(LOCK) && !name.equals(DAMAGED) && !name.startsWith(StateOwner.FILE)) {
                    copyChecked(snapshot, name, to.resolve(name), recorded);
                    bytes += Files.size(file);
                }
            }
        }
        copyChecked(snapshot, META, to.resolve(metaName), recorded);
        return bytes + Files.size(to.resolve(metaName));
    }

    private static void copyChecked(final Path snapshot, final String name, final Path to,
        final Map<String, Long> recorded) throws IOException {
        final Path file = snapshot.resolve(name);
        final Long expected = recorded.get(name);
        final long copied = SparseFiles.copy(file, to);
        if (expected == null || expected == copied) {
            return;
        }
        final long onDisk = SparseFiles.settledDigest(file);
        if (onDisk == expected && SparseFiles.copy(file, to) == expected) {
            LOG.warn("{}: a first read of {} disagreed with the digest it was taken with; read again, it agreed, and "
                + "was copied again", snapshot.getFileName(), name);
            return;
        }
        final String why = String.format("its file %s does not hold what it was taken with (content digest %x, "
            + "recorded %x: damaged on the disk since)", name, onDisk, expected);
        Files.writeString(snapshot.resolve(DAMAGED), why);
        throw new DamagedSnapshot(snapshot.getFileName() + ": " + why);
    }

    /** A snapshot whose content was found damaged while it was copied (named, with why, in the message). */
    public static final class DamagedSnapshot extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedSnapshot(final String message) {
            super(message);
        }
    }

    /** The content digests the snapshot's list records, by file name (none for one taken before they were kept). */
    private static Map<String, Long> recordedDigests(final Path snapshot) throws IOException {
        final Map<String, Long> digests = new HashMap<>();
        for (final Listed file : listed(snapshot)) {
            if (file.digest() != null) {
                digests.put(file.name(), file.digest());
            }
        }
        return digests;
    }

    /** One line of a snapshot's list: a file, its length and its content digest (null in older snapshots). */
    private record Listed(String name, long length, Long digest) {
    }

    /** The snapshot's list of files ({@link #FILES}; none for one taken before the list existed). */
    private static List<Listed> listed(final Path snapshot) throws IOException {
        final Path list = snapshot.resolve(FILES);
        if (!Files.exists(list)) {
            return List.of();
        }
        final List<Listed> files = new java.util.ArrayList<>();
        for (final String line : Files.readAllLines(list)) {
            final String[] fields = line.split(" ");
            files.add(new Listed(fields[0], Long.parseLong(fields[1]),
                fields.length > 2 ? Long.valueOf(fields[2]) : null));
        }
        return files;
    }

    /**
     * Before the state folder is opened: if it holds no state, copies the newest complete snapshot of
     * {@code dataDir} into it, of those that belong to this journal: the journal's entry at the snapshot's index must
     * have the checksum the snapshot recorded ({@code entryDigest}: the checksum of the journal's entry at an index, or
     * -1 if it has none), so a snapshot of a journal that was deleted or replaced, or copied from another data folder,
     * is never used. Returns the snapshot's journal index, or -1 if nothing was restored.
     */
    static long restoreIfEmpty(final Path stateFolder, final Path dataDir, final LongUnaryOperator entryDigest)
        throws IOException {
        try (FolderLock lock = FolderLock.acquire(stateFolder)) { // no other engine is opening it meanwhile
            return Files.exists(stateFolder.resolve(META)) ? -1 : restoreNewest(stateFolder, dataDir, entryDigest);
        }
    }

    private static long restoreNewest(final Path stateFolder, final Path dataDir, final LongUnaryOperator entryDigest)
        throws IOException {
        for (Path newest = newest(dataDir, entryDigest); newest != null; newest = newest(dataDir, entryDigest)) {
            try {
                // the progress file last, under another name first: a restore that stops half way leaves no
                // engine.meta, so the next start restores again instead of opening half a state
                copyChecked(newest, stateFolder, META + ".restoring"); // the owner is the folder's, never a copy's
            } catch (final DamagedSnapshot damaged) {
                removeCopied(newest, stateFolder); // marked damaged: the next older one, or the journal, then
                continue;
            }
            Files.move(stateFolder.resolve(META + ".restoring"), stateFolder.resolve(META),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return indexOf(newest);
        }
        return -1;
    }

    /** Removes from the state folder what a restore of {@code snapshot} copied into it before it was found damaged. */
    private static void removeCopied(final Path snapshot, final Path stateFolder) throws IOException {
        try (Stream<Path> files = Files.list(snapshot)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                final String name = file.getFileName().toString();
                if (!name.equals(LOCK) && !name.startsWith(StateOwner.FILE)) {
                    Files.deleteIfExists(stateFolder.resolve(name));
                }
            }
        }
        Files.deleteIfExists(stateFolder.resolve(META + ".restoring"));
    }

    /**
     * The newest complete snapshot of {@code dataDir} that belongs to this journal (any, with a null
     * {@code entryDigest}), or null.
     */
    static Path newest(final Path dataDir, final LongUnaryOperator entryDigest) throws IOException {
        return snapshots(dataDir).stream()
            .filter(s -> Files.exists(s.resolve(COMPLETE)) && unusable(s, entryDigest) == null)
            .max(Comparator.comparingLong(StateSnapshot::indexOf))
            .orElse(null);
    }

    /**
     * The complete snapshots of {@code dataDir} newer than {@code index} that cannot be used, each named with why
     * ("state-snapshot-N: why"): a start or a backup that took an older one, or none, says so.
     */
    public static List<String> unusableNewerThan(final Path dataDir, final LongUnaryOperator entryDigest,
        final long index) throws IOException {
        final List<String> found = new java.util.ArrayList<>();
        for (final Path s : snapshots(dataDir)) {
            final boolean newer = indexOf(s) > index && Files.exists(s.resolve(COMPLETE));
            final String why = newer ? unusable(s, entryDigest) : null;
            if (why != null) {
                found.add(s.getFileName() + ": " + why);
            }
        }
        return found;
    }

    /**
     * Why a complete snapshot cannot be used, or null if it can: every file it lists has its length (one made before
     * the list existed has none to check), its journal entry's checksum is readable and, with an
     * {@code entryDigest}, is the journal's at its index.
     */
    private static String unusable(final Path snapshot, final LongUnaryOperator entryDigest) {
        if (Files.exists(snapshot.resolve(DAMAGED))) {
            try {
                return Files.readString(snapshot.resolve(DAMAGED));
            } catch (final IOException e) {
                return "marked damaged (" + DAMAGED + ")";
            }
        }
        final String damage = damage(snapshot);
        if (damage != null) {
            return damage;
        }
        final long recorded = recordedDigest(snapshot);
        if (recorded < 0) {
            return "its " + JOURNAL_ENTRY + " file does not hold the checksum of a journal entry";
        }
        if (entryDigest != null && entryDigest.applyAsLong(indexOf(snapshot)) != recorded) {
            return "the journal's entry at index " + indexOf(snapshot) + " is not the one it was taken after (the "
                + "journal was replaced, or the snapshot comes from another data folder)";
        }
        return null;
    }

    private static long recordedDigest(final Path snapshot) {
        try {
            return Long.parseLong(Files.readString(snapshot.resolve(JOURNAL_ENTRY)).trim());
        } catch (final IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A copy of a snapshot: its journal index, the checksum of the journal's entry there, its files' bytes. */
    public record Copy(long journalIndex, long entryDigest, long bytes) {
    }

    /**
     * Copies the newest complete snapshot of {@code dataDir} into the empty folder {@code to} (for a backup while an
     * engine runs: the snapshot is a state at a journal index, which no engine writes), its progress file last. A
     * snapshot removed meanwhile (a newer one was published) is given up for the newest again. Returns what was
     * copied, or null if there is no complete snapshot.
     */
    public static Copy copyNewest(final Path dataDir, final Path to) throws IOException {
        for (int attempt = 0; ; attempt++) {
            final Path newest = newest(dataDir, null);
            if (newest == null) {
                return null;
            }
            try {
                final long digest = recordedDigest(newest);
                if (digest < 0) {
                    throw new java.nio.file.NoSuchFileException(newest.toString()); // replaced since it was chosen
                }
                Files.createDirectories(to);
                final long bytes = copyChecked(newest, to, META);
                if (damage(newest) != null || !Files.exists(newest.resolve(COMPLETE))) {
                    throw new java.nio.file.NoSuchFileException(newest.toString()); // replaced while copied
                }
                return new Copy(indexOf(newest), digest, bytes);
            } catch (final DamagedSnapshot damaged) {
                delete(to); // marked damaged: the next older one then
                attempt--;
            } catch (final java.nio.file.NoSuchFileException removedMeanwhile) {
                delete(to);
                if (attempt == 4) {
                    throw new IOException("the state snapshots of " + dataDir + " kept being replaced while copied",
                        removedMeanwhile);
                }
            }
        }
    }

    /**
     * Removes every snapshot of {@code dataDir}; returns how many. An erasure calls it: a snapshot is a copy of the
     * state made before, so it still holds what was erased. The next start after a reboot then rebuilds the state
     * from the journal, which applies the erasure again.
     */
    public static int removeAll(final Path dataDir) throws IOException {
        delete(dataDir.resolve(BUILDING)); // one being built, or left by a stop half way
        final List<Path> all = snapshots(dataDir);
        for (final Path snapshot : all) {
            delete(snapshot);
        }
        return all.size();
    }

    /**
     * At a start: removes the snapshots older than the newest erasure the state has applied ({@code erasureIndex}, 0:
     * none), which a stop between the erasure and their removal left (they hold what was erased), and a snapshot left
     * half built. Returns how many snapshots it removed.
     */
    static int removeOlderThan(final Path dataDir, final long erasureIndex) throws IOException {
        delete(dataDir.resolve(BUILDING));
        int removed = 0;
        for (final Path snapshot : snapshots(dataDir)) {
            if (indexOf(snapshot) < erasureIndex) {
                delete(snapshot);
                removed++;
            }
        }
        return removed;
    }

    /** Which file the snapshot lists is missing or has another length, or null (one made before the list: null). */
    private static String damage(final Path snapshot) {
        try {
            for (final Listed listed : listed(snapshot)) {
                final Path file = snapshot.resolve(listed.name());
                if (!Files.isRegularFile(file)) {
                    return "its file " + listed.name() + " is missing";
                }
                if (Files.size(file) != listed.length()) {
                    return String.format("its file %s holds %,d bytes, not the %,d it was taken with",
                        listed.name(), Files.size(file), listed.length());
                }
            }
            return null;
        } catch (final IOException | RuntimeException e) {
            return "its list of files (" + FILES + ") cannot be read: " + e;
        }
    }

    /** The snapshot folders of a data folder, complete or not. */
    static List<Path> snapshots(final Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && indexOf(p) >= 0).toList();
        }
    }

    static long indexOf(final Path snapshot) {
        try {
            return Long.parseLong(snapshot.getFileName().toString().substring(PREFIX.length()));
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes a folder and everything in it (nothing when it is not there). */
    static void delete(final Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
