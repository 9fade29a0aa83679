package io.ecap.ops.cli;

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
final class BackupFolder {
    static final String MANIFEST = "ECAP-BACKUP";
    private static final List<String> PARTS = List.of("journal", "gateway", "maps");

    private BackupFolder() {
    }

    /** The journal a backup checked, entry by entry. */
    record JournalCheck(long entries, long damaged, long lastIndex, long lastChecksum) {
    }

    static List<String> parts() {
        return PARTS;
    }

    /** Refuses a target that exists and is not empty. */
    static void requireNewFolder(final Path dir, final String option) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException(option + " " + dir.toAbsolutePath() + " is not empty; give a "
                        + "new folder");
                }
            }
        }
    }

    /**
     * Copies a folder's files (not its subfolders), sparse, in name order but {@code first} (when present) before
     * the others, leaving out {@code skip}. Returns the bytes the source files hold.
     */
    static long copyFiles(final Path from, final Path to, final String first, final String skip)
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

    static void writeManifest(final Path backup, final Properties manifest) throws IOException {
        try (Writer out = Files.newBufferedWriter(backup.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            manifest.store(out, "ECAP backup: copy it back with ecap restore --from THIS-FOLDER --data NEW-FOLDER");
        }
    }

    static Properties readManifest(final Path backup) throws IOException {
        final Path file = backup.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--from " + backup.toAbsolutePath() + " is not an ECAP backup (no "
                + MANIFEST + " in it)");
        }
        final Properties manifest = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            manifest.load(in);
        }
        return manifest;
    }
}
