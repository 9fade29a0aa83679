package io.ecap.ops.cli;

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
 * The temporary folders {@code ecap replay} builds its state in ({@code <data>/replay-*}). A replay removes its own
 * when it ends; one that was killed leaves its folder behind, and the next {@code ecap replay} or {@code ecap run}
 * removes it. A folder whose state is open (a replay running now holds its lock) is left alone.
 */
final class ReplayFolders {
    static final String PREFIX = "replay-";

    private ReplayFolders() {
    }

    /** A new temporary folder for a replay. */
    static Path create(final Path dataDir) throws IOException {
        return Files.createTempDirectory(dataDir, PREFIX);
    }

    /** Removes the replay folders in {@code dataDir} that no process holds, saying so on {@code out}. */
    static void removeAbandoned(final Path dataDir, final PrintStream out) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(dataDir, PREFIX + "*")) {
            for (final Path folder : folders) {
                if (Files.isDirectory(folder) && !FeatureStore.inUse(folder)) {
                    final long bytes = sizeOf(folder);
                    delete(folder);
                    out.printf("removed %s, left by an interrupted replay (%,d MB)%n", folder.getFileName(),
                        bytes >> 20);
                }
            }
        }
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
