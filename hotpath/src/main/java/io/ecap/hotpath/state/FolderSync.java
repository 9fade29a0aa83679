package io.ecap.hotpath.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Asks the operating system to write a folder's files to the disk and waits for it ({@code fsync}). On Linux this
 * covers the pages written through memory mappings too, since they are the same page cache. Used where the engine
 * promises more than surviving a process kill: at a clean stop, and by the journal's sync policy.
 */
public final class FolderSync {
    private FolderSync() {
    }

    /** Syncs every regular file directly in {@code dir}, then the folder itself (its entries). */
    public static void sync(final Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    syncFile(file);
                }
            }
            syncFile(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("could not sync " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Syncs one file (or a folder's entries). */
    public static void syncFile(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
