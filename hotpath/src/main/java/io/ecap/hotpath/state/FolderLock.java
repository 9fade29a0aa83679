package io.ecap.hotpath.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a state folder ({@code engine.lock}), held for as long as the state is open, so that two
 * engines (or an engine and a tool that would repair the maps) never write the same files. The operating system
 * releases it when the process dies, so a killed engine never leaves it behind.
 */
public final class FolderLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static FolderLock acquire(final Path dir) throws IOException {
        final FileChannel channel = FileChannel.open(dir.resolve("engine.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (final OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException(dir.toAbsolutePath() + " is in use by another ECAP engine or tool; "
                + "stop it first");
        }
        return new FolderLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
