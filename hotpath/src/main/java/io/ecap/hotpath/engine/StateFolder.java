package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.StateOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the engine's state files live: in {@code data/maps}, beside the journal, or, with a state folder of its own
 * ({@code engine.state-dir}, chosen by {@link StatePlacement}: by default in memory on tmpfs, so that the state never
 * waits for the disk while the journal stays on it), in that folder, {@code data/maps} then a symbolic link to it so
 * that every tool still finds the state in the data folder. The folder records its data folder ({@link
 * io.ecap.hotpath.state.StateOwner}), so a copy of the data folder made with the link is told apart. A
 * state folder that disappeared (tmpfs after a reboot) is created again empty, and recovery rebuilds the state from
 * the journal.
 */
public final class StateFolder {
    private StateFolder() {
    }

    /**
     * What is wrong with {@code stateDir} as the state folder of the data folder {@code dataDir}, or null if nothing
     * is: checked before anything is created. It must be a folder (or be creatable as one) that can be written, and
     * not the data folder's own {@code maps}.
     */
    public static String problem(final Path stateDir, final Path dataDir) {
        if (stateDir == null) {
            return null;
        }
        final Path target = stateDir.toAbsolutePath().normalize();
        if (target.equals(dataDir.resolve("maps").toAbsolutePath().normalize())) {
            return target + " is the data folder's own maps folder: name a folder elsewhere (e.g. /dev/shm/ecap), or "
                + "leave the setting empty to keep the state there";
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            return target + " is a file, not a folder";
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return target + " cannot be created: " + existing + " is a file";
        }
        if (Files.isDirectory(target) && !isEmpty(target) && !holdsStateFiles(target)) {
            return target + " is not empty and holds no ECAP state: name a new or empty folder";
        }
        if (existing == null || !Files.isWritable(existing)) {
            return target + " cannot be " + (existing == target ? "written" : "created") + " (no permission to write"
                + " in " + (existing == null ? "any parent" : existing) + ")";
        }
        try {
            final Path other = Files.isDirectory(target) ? StateOwner.otherOwner(target, dataDir) : null;
            if (other != null) {
                return target + " is the state folder of another data folder, " + other + ": give each data folder "
                    + "a state folder of its own (or engine.state-dir=auto)";
            }
        } catch (final IOException e) {
            return target + " cannot be read: " + e.getMessage();
        }
        return null;
    }

    /** Prepares the state folder of {@code config} and returns the path to open it by ({@code data/maps}). */
    static Path prepare(final EngineConfig config) throws IOException {
        return prepare(config.dataDir(), config.stateDir());
    }

    /**
     * Prepares {@code stateDir} (null: {@code data/maps} itself) as the state folder of {@code dataDir} and returns
     * the path to open it by ({@code data/maps}).
     */
    public static Path prepare(final Path dataDir, final Path stateDir) throws IOException {
        StateMove.completeInterrupted(dataDir);
        final Path maps = dataDir.resolve("maps");
        if (stateDir == null) {
            if (Files.isSymbolicLink(maps)) {
                Files.createDirectories(maps.resolveSibling(Files.readSymbolicLink(maps))); // set before; may be gone
            }
            return maps;
        }
        final Path target = stateDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target);
        } catch (final IOException e) {
            throw new IOException("the state folder " + target + " cannot be made (engine.state-dir): " + e, e);
        }
        if (Files.isSymbolicLink(maps)) {
            if (maps.resolveSibling(Files.readSymbolicLink(maps)).toAbsolutePath().normalize().equals(target)) {
                StateOwner.record(target, dataDir);
                return maps;
            }
            Files.delete(maps);
        } else if (Files.isDirectory(maps)) {
            if (!isEmpty(maps)) {
                throw new IllegalStateException(maps.toAbsolutePath() + " holds the engine's state, and the state "
                    + "folder is set to " + target + ": stop the engine and move it there (mv " + maps + "/* " + target
                    + "), or delete it (the state is rebuilt from the journal), then start again");
            }
            Files.delete(maps);
        }
        Files.createDirectories(dataDir);
        Files.createSymbolicLink(maps, target);
        StateOwner.record(target, dataDir);
        return maps;
    }

    /** Whether any file of {@code dir} has a name the state's files have (a state, or part of one). */
    private static boolean holdsStateFiles(final Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.startsWith("engine.")
                || n.endsWith(".records") || n.endsWith(".index") || n.equals("config.history")
                || n.startsWith(StateOwner.FILE));
        } catch (final IOException e) {
            return true;
        }
    }

    private static boolean isEmpty(final Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (final IOException e) {
            return false;
        }
    }
}
