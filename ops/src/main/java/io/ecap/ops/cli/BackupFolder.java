package io.ecap.ops.cli;

import io.ecap.hotpath.engine.BackupRegister;
import io.ecap.hotpath.engine.SparseFiles;
import io.ecap.hotpath.journal.Journal;
import io.ecap.hotpath.journal.JournalReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What a backup folder holds and how its parts are copied: {@code journal/}, {@code gateway/} (the API keys),
 * {@code maps/} when the state was copied, and {@code ECAP-BACKUP}, a manifest naming the last journal entry.
 */
public final class BackupFolder {
    static final String MANIFEST = BackupRegister.MANIFEST;
    private static final List<String> PARTS = List.of("journal", "gateway", "maps");

    private BackupFolder() {
    }

    /** The journal a backup checked, entry by entry. */
    record JournalCheck(long entries, long damaged, long lastIndex, long lastChecksum) {
    }

    static List<String> parts() {
        return PARTS;
    }

    /** Why a target folder cannot be used (a file, or a folder that holds something), or null if it can. */
    public static String notNewFolder(final Path dir, final String option) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return option + " " + dir.toAbsolutePath() + " is a file, not a folder; give a new folder";
        }
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    return option + " " + dir.toAbsolutePath() + " is not empty; give a new folder";
                }
            }
        }
        return null;
    }

    /** Removes what a failed command wrote into a folder that was new or empty before it. */
    public static void removeContents(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (final Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Copies a folder's files (not its subfolders), sparse, in name order but {@code first} (when present) before
     * the others, leaving out {@code skip}. Returns the bytes the source files hold.
     */
    public static long copyFiles(final Path from, final Path to, final String first, final String skip)
        throws IOException {
        Files.createDirectories(to);
        final List<Path> files;
        try (Stream<Path> all = Files.list(from)) {
            files = all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(skip))
                .sorted((a, b) -> a.getFileName().toString().equals(first) ? -1
                    : b.getFileName().toString().equals(first) ? 1 : a.compareTo(b))
                .toList();
        }
        long bytes = 0;
        for (final Path file : files) {
            SparseFiles.copy(file, to.resolve(file.getFileName()));
            bytes += Files.size(file);
        }
        return bytes;
    }

    /** Reads a journal copy from end to end, checking every entry's checksum. */
    static JournalCheck check(final Path journal) {
        long entries = 0;
        long lastChecksum = 0;
        try (Journal copy = Journal.openReadOnly(journal.toFile());
             JournalReader reader = copy.reader().hoppingGaps()) {
            long last = 0;
            while (reader.next()) {
                entries++;
                last = reader.index();
                lastChecksum = reader.checksum();
            }
            return new JournalCheck(entries, reader.damaged(), last, lastChecksum);
        }
    }

    /**
     * What a backup says it holds: the journal's entries, damaged entries, last index and that entry's CRC32C, and,
     * when the state is included, the journal index the state was level with and that entry's CRC32C.
     */
    record Manifest(long entries, long damaged, long lastIndex, long lastCrc, boolean stateIncluded,
                    long stateAppliedThrough, long stateEntryCrc) {
        Properties toProperties() {
            final Properties p = new Properties();
            p.setProperty("journal.entries", Long.toString(entries));
            p.setProperty("journal.damaged-entries", Long.toString(damaged));
            p.setProperty("journal.last-index", Long.toString(lastIndex));
            p.setProperty("journal.last-entry-crc32c", Long.toString(lastCrc));
            p.setProperty("state", stateIncluded ? "included" : "not included");
            if (stateIncluded) {
                p.setProperty("state.applied-through", Long.toString(stateAppliedThrough));
                p.setProperty("state.journal-entry-crc32c", Long.toString(stateEntryCrc));
            }
            return p;
        }

        static Manifest of(final Properties p) {
            final boolean state = "included".equals(p.getProperty("state"));
            if (!state && !"not included".equals(p.getProperty("state"))) {
                throw new IllegalArgumentException(MANIFEST + ": state: expected 'included' or 'not included', got "
                    + (p.getProperty("state") == null ? "nothing" : "'" + p.getProperty("state") + "'"));
            }
            return new Manifest(number(p, "journal.entries"), number(p, "journal.damaged-entries"),
                number(p, "journal.last-index"), number(p, "journal.last-entry-crc32c"), state,
                state ? number(p, "state.applied-through") : 0, state ? number(p, "state.journal-entry-crc32c") : 0);
        }

        private static long number(final Properties p, final String key) {
            final String text = p.getProperty(key);
            try {
                return Long.parseLong(text == null ? "" : text.trim());
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException(MANIFEST + ": " + key + ": expected a number, got "
                    + (text == null ? "nothing" : "'" + text + "'"));
            }
        }
    }

    /** The CRC32C of the journal entry at {@code index} as readers see it, or -1 if it is not there. */
    static long entryChecksum(final Path journal, final long index) {
        try (Journal j = Journal.openReadOnly(journal.toFile());
             JournalReader reader = j.reader()) {
            return index > 0 && reader.read(index) ? reader.checksum() : -1;
        }
    }

    static void writeManifest(final Path backup, final Properties manifest) throws IOException {
        try (Writer out = Files.newBufferedWriter(backup.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            manifest.store(out, "ECAP backup: copy it back with ecap restore --from THIS-FOLDER --data NEW-FOLDER");
        }
    }

    static Properties readManifest(final Path backup) throws IOException {
        final Path file = backup.resolve(MANIFEST);
        if (!Files.exists(backup)) {
            throw new IllegalArgumentException("--from " + backup.toAbsolutePath() + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--from " + backup.toAbsolutePath() + " is not an ECAP backup (no "
                + MANIFEST + " in it)");
        }
        final Properties manifest = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            manifest.load(in);
        } catch (final java.nio.charset.CharacterCodingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file.toAbsolutePath() + " is not a backup's manifest (not UTF-8 text "
                + "of name=value lines): the backup is damaged");
        }
        return manifest;
    }
}
