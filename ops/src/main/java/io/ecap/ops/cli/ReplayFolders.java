package io.ecap.ops.cli;

import io.ecap.hotpath.engine.StatePlacement;
import io.ecap.hotpath.state.FeatureStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary folders of a data folder: where {@code ecap replay} and backtests build their state (in memory when
 * there is room, see {@link StatePlacement#scratch}; else {@code <data>/replay-*}) and where {@code ecap run
 * --warm-up} runs its throwaway service ({@code <data>/warm-up-*}). Each is removed when its command ends; one that
 * was killed leaves its folder behind, and the next {@code ecap replay} or {@code ecap run} removes it (one in
 * memory: the next command that takes a folder there). A folder whose state is open (its command running now holds
 * the lock) is left alone, and so is a warm-up folder made in the last ten minutes whose engine has not opened its
 * state yet.
 */
final class ReplayFolders {
    static final String PREFIX = "replay-";
    static final String WARM_UP_PREFIX = "warm-up-";
    private static final long YOUNG_MS = 10 * 60_000;

    private ReplayFolders() {
    }

    /**
     * A new temporary folder for a replay: in memory when there is room for a state as large as the data folder's
     * (the replay then never waits for the disk; {@link StatePlacement#scratch}), else in the data folder.
     */
    static Path create(final Path dataDir) throws IOException {
        final Path maps = dataDir.resolve("maps");
        final Path inMemory = StatePlacement.scratch(PREFIX, Files.isDirectory(maps) ? sizeOf(maps.toRealPath()) : 0);
        return inMemory != null ? inMemory : Files.createTempDirectory(dataDir, PREFIX);
    }

    /** A new folder for a warm-up's throwaway service (the data folder is made if missing). */
    static Path createWarmUp(final Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        return Files.createTempDirectory(dataDir, WARM_UP_PREFIX);
    }

    /** Removes the replay and warm-up folders in {@code dataDir} that no process holds, saying so on {@code out}. */
    static void removeAbandoned(final Path dataDir, final PrintStream out) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dataDir, PREFIX + "*")) {
            for (final Path folder : folders) {
                if (Files.isDirectory(folder) && !FeatureStore.inUse(folder)) {
                    remove(folder, "an interrupted replay", out);
                }
            }
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dataDir, WARM_UP_PREFIX + "*")) {
            for (final Path folder : folders) {
                final Path maps = folder.resolve("maps");
                final boolean starting = !Files.isDirectory(maps)
                    && System.currentTimeMillis() - Files.getLastModifiedTime(folder).toMillis() < YOUNG_MS;
                if (Files.isDirectory(folder) && !starting && (!Files.isDirectory(maps) || !FeatureStore.inUse(maps))) {
                    remove(folder, "an interrupted warm-up", out);
                }
            }
        }
    }

    private static void remove(final Path folder, final String leftBy, final PrintStream out) throws IOException {
        final long bytes = sizeOf(folder);
        delete(folder);
        out.printf("removed %s, left by %s (%,d MB)%n", folder.getFileName(), leftBy, bytes >> 20);
    }

    /** Removes a folder and everything in it. */
    static void delete(final Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static long sizeOf(final Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
