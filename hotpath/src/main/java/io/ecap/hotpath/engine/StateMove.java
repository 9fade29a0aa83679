package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.FeatureStore;
import io.ecap.hotpath.state.FolderLock;
import io.ecap.hotpath.state.FolderSync;
import io.ecap.hotpath.state.StateOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Moves a state kept in memory ({@code data/maps} a link to a folder on tmpfs, {@link StatePlacement}) into
 * {@code data/maps} on the data folder's own disk, for a state about to outgrow the memory: its files are copied to
 * {@value #MOVING} beside the link (blocks of zeros skipped, straight to the disk), forced there and marked complete;
 * then the folder takes the link's place and the folder in memory is removed. The engine must be stopped (the state
 * folder's lock is held throughout). A move a crash interrupted is completed, or its partial copy removed, by the next
 * engine start or command on the data folder ({@link #completeInterrupted}); the folder in memory it leaves is swept
 * by a later start. The state is the same bytes: nothing is rebuilt.
 */
public final class StateMove {
    /** The copy's folder, beside {@code data/maps}, until it takes its place. */
    static final String MOVING = "maps.moving";
    /** In {@link #MOVING} once every file is copied and on the disk. */
    static final String COMPLETE = "ecap-state.moved";

    private StateMove() {
    }

    /** What a move did: the folder in memory it emptied and the bytes of state now on the disk. */
    public record Moved(Path from, Path to, long bytes) {
    }

    /**
     * Moves the state of {@code dataDir} from memory to its disk.
     *
     * @throws IllegalStateException when the state is not kept in memory, an engine or a tool has it open, or the
     *                               disk has not room for it (each saying so)
     */
    public static Moved toDisk(final Path dataDir) throws IOException {
        completeInterrupted(dataDir);
        final Path maps = dataDir.resolve("maps");
        if (!Files.isSymbolicLink(maps)) {
            throw new IllegalStateException(maps.toAbsolutePath() + " is "
                + (Files.isDirectory(maps) ? "on the data folder's disk already" : "not there (no state yet)")
                + ": nothing to move");
        }
        if (!Files.isDirectory(maps)) {
            throw new IllegalStateException(maps.toAbsolutePath() + " leads to " + Files.readSymbolicLink(maps)
                + ", which is gone (the machine restarted?): start the engine with engine.state-dir=data to bring the "
                + "state back on the disk instead");
        }
        StateOwner.checkNotACopy(maps);
        final Path from = maps.toRealPath();
        if (!StatePlacement.isInMemory(from)) {
            throw new IllegalStateException("the state of " + dataDir.toAbsolutePath() + " is in " + from + ", not in "
                + "memory: nothing to move (stop the engine and move its files yourself to put them elsewhere)");
        }
        final Path moving = dataDir.resolve(MOVING);
        final long bytes;
        try (FolderLock lock = acquire(from)) {
            bytes = allocatedBytes(from);
            final long free = DiskFill.usableBytes(dataDir);
            if (free >= 0 && free < bytes + (1L << 30)) {
                throw new IllegalStateException(String.format("the disk holding %s has %,d MB free, and the state "
                    + "takes %,d MB (and the engine needs room to go on): free space first", dataDir.toAbsolutePath(),
                    free >> 20, bytes >> 20));
            }
            StateSnapshot.delete(moving);
            Files.createDirectories(moving);
            StateSnapshot.copyFiles(from, moving);
            FolderSync.sync(moving);
            Files.createFile(moving.resolve(COMPLETE));
            FolderSync.sync(moving);
            finish(dataDir);
        }
        StateSnapshot.delete(from);
        return new Moved(from, maps.toAbsolutePath(), bytes);
    }

    /**
     * Completes a move a crash interrupted once its copy was whole (the copy takes the link's place), or removes a
     * copy that was not. Does nothing when no move was under way.
     */
    public static void completeInterrupted(final Path dataDir) throws IOException {
        final Path moving = dataDir.resolve(MOVING);
        if (!Files.isDirectory(moving)) {
            return;
        }
        final Path maps = dataDir.resolve("maps");
        if (Files.isSymbolicLink(maps) && Files.isDirectory(maps) && FeatureStore.inUse(maps.toRealPath())) {
            return; // a move under way holds the folder in memory: its own to finish
        }
        finish(dataDir);
    }

    /** {@link #completeInterrupted}, by the move itself or once no move is under way. */
    private static void finish(final Path dataDir) throws IOException {
        final Path moving = dataDir.resolve(MOVING);
        final Path maps = dataDir.resolve("maps");
        if (!Files.exists(moving.resolve(COMPLETE))) {
            StateSnapshot.delete(moving);
            return;
        }
        if (Files.isSymbolicLink(maps)) {
            Files.delete(maps);
        }
        if (!Files.exists(maps, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(moving, maps, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(maps.resolve(COMPLETE));
        FolderSync.syncFile(dataDir);
        StateSnapshot.delete(moving); // a copy left beside a state that was put on the disk meanwhile
    }

    private static FolderLock acquire(final Path stateDir) throws IOException {
        try {
            return FolderLock.acquire(stateDir);
        } catch (final IllegalStateException e) {
            throw new IllegalStateException("an engine or a tool has the state in " + stateDir + " open: stop it, "
                + "then move the state", e);
        }
    }

    /**
     * The bytes the folder's files take on their file system ({@code du}: the state's files are sparse, their lengths
     * say far more), or the sum of their lengths where {@code du} cannot tell.
     */
    private static long allocatedBytes(final Path folder) throws IOException {
        try {
            final Process du = new ProcessBuilder("du", "-sk", folder.toString()).redirectErrorStream(true).start();
            final String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (du.waitFor() == 0) {
                return Long.parseLong(out.strip().split("\\s+")[0]) << 10;
            }
        } catch (final IOException | NumberFormatException e) {
            // no du here: the lengths below
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long total = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                total += Files.isRegularFile(file) ? Files.size(file) : 0;
            }
        }
        return total;
    }
}
