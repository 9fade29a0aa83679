package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.FolderSync;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The backups taken of a data folder, one a line in {@code data/backups.list} ("created folder", the time as the
 * backup's manifest has it), so that an erasure and a rewrite of the journal can name the copies that still hold
 * what they took out. A backup is named only while its folder still holds that backup (its manifest, of this data
 * folder, taken at that time): one removed or replaced since is not. Used by {@code ecap backup} (which adds to it),
 * and by {@code ecap erase}, {@code ecap redact-journal} and the service's erasures (which name what it lists).
 */
public final class BackupRegister {
    public static final String FILE = "backups.list";
    /** The manifest a backup folder holds (name=value lines), written by {@code ecap backup}. */
    public static final String MANIFEST = "ECAP-BACKUP";

    /** A backup still there: where, and when it was taken. */
    public record Backup(Path folder, Instant created) {
        @Override
        public String toString() {
            return folder + " (taken " + created + ")";
        }
    }

    private BackupRegister() {
    }

    /** Adds a backup just written to {@code folder} (its manifest's {@code created}) to the data folder's list. */
    public static void add(final Path dataDir, final Path folder, final Instant created) throws IOException {
        final Path list = dataDir.resolve(FILE);
        Files.writeString(list, created + " " + folder.toAbsolutePath().normalize() + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        FolderSync.syncFile(list);
    }

    /** The backups of the list still there that were taken before {@code before}, oldest first. */
    public static List<Backup> stillThere(final Path dataDir, final Instant before) throws IOException {
        final Path list = dataDir.resolve(FILE);
        if (!Files.isRegularFile(list)) {
            return List.of();
        }
        final Path source = dataDir.toAbsolutePath().normalize();
        final List<Backup> found = new ArrayList<>();
        for (final String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            final int space = line.indexOf(' ');
            if (space < 0) {
                continue; // a line cut short by a crash while it was appended
            }
            try {
                final Instant created = Instant.parse(line.substring(0, space));
                final Path folder = Path.of(line.substring(space + 1));
                if (created.isBefore(before) && holds(folder, source, created)) {
                    found.add(new Backup(folder, created));
                }
            } catch (final DateTimeParseException | java.nio.file.InvalidPathException e) {
                // not a line this class wrote: skipped
            }
        }
        return found;
    }

    /** The backups named in one line ("none listed in data/backups.list is still there" when there are none). */
    public static String describe(final List<Backup> backups) {
        return backups.isEmpty() ? "none of those listed in " + FILE + " is still there"
            : backups.stream().map(Backup::toString).collect(Collectors.joining(", "));
    }

    private static boolean holds(final Path folder, final Path source, final Instant created) {
        try {
            final Properties manifest = new Properties();
            try (Reader in = Files.newBufferedReader(folder.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                manifest.load(in);
            }
            return source.equals(Path.of(manifest.getProperty("source", "")).toAbsolutePath().normalize())
                && created.toString().equals(manifest.getProperty("created"));
        } catch (final IOException | IllegalArgumentException e) {
            return false; // removed, or no longer a backup of this folder
        }
    }
}
