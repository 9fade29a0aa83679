package io.ecap.hotpath.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Which data folder a state folder kept elsewhere belongs to. When the state lives outside the data folder
 * ({@code data/maps} a link to it, for example on tmpfs), the state folder holds {@value #FILE}, the real path of its
 * data folder. A copy of a data folder ({@code cp -r}) copies the link, not the state: without this the copy and the
 * original would write one state, and each would stop being a replay of its own journal. The engine gives a copy a
 * state folder of its own; a tool opening a copy's state is refused.
 */
public final class StateOwner {
    public static final String FILE = "ecap-state.owner";

    private StateOwner() {
    }

    /** Records {@code dataDir} as the owner of the state folder {@code stateDir} (if it is not already). */
    public static void record(final Path stateDir, final Path dataDir) throws IOException {
        final String owner = dataDir.toRealPath().toString();
        final Path file = stateDir.resolve(FILE);
        if (Files.isRegularFile(file) && owner.equals(read(file))) {
            return;
        }
        final Path tmp = stateDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, owner + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The other data folder whose state {@code stateDir} is (its owner exists and its {@code maps} leads here), or
     * null if there is none: no owner recorded, {@code dataDir} itself, or an owner that was moved, deleted or that
     * now keeps its state elsewhere (then {@code dataDir} may take the folder over).
     */
    public static Path otherOwner(final Path stateDir, final Path dataDir) throws IOException {
        final Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        final Path owner = Path.of(read(file));
        final Path real = Files.exists(dataDir) ? dataDir.toRealPath() : dataDir.toAbsolutePath().normalize();
        if (owner.equals(real) || !leadsTo(owner, stateDir)) {
            return null;
        }
        return owner;
    }

    /** Whether the owner recorded in {@code stateDir} still keeps its state there (false when none is recorded). */
    public static boolean isOwned(final Path stateDir) throws IOException {
        final Path file = stateDir.resolve(FILE);
        return Files.isRegularFile(file) && leadsTo(Path.of(read(file)), stateDir);
    }

    /** Whether {@code stateDir} names a data folder that no longer exists where it was (deleted, or moved). */
    public static boolean ownerIsGone(final Path stateDir) throws IOException {
        final Path file = stateDir.resolve(FILE);
        return Files.isRegularFile(file) && !Files.exists(Path.of(read(file)));
    }

    /**
     * Refuses a state folder reached through a link ({@code data/maps}) that belongs to another data folder: the
     * folder opened is a copy of that one, made with the link. A folder the link leads to that names no owner (made
     * again after a reboot) is recorded as this data folder's, so that its copies are told apart too, and so is one
     * whose owner was moved here (a moved folder's state is never taken for an orphan's). Nothing happens when
     * {@code maps} is not a link, or leads nowhere.
     */
    public static void checkNotACopy(final Path maps) throws IOException {
        if (!Files.isSymbolicLink(maps) || !Files.isDirectory(maps)) {
            return;
        }
        final Path dataDir = maps.toAbsolutePath().getParent();
        final Path target = maps.toRealPath();
        final Path other = otherOwner(target, dataDir);
        if (other != null) {
            throw new IllegalStateException(maps.toAbsolutePath() + " leads to the state of another data folder, "
                + other + " (this one is a copy of it, link included): start the engine on this folder once (ecap "
                + "run or ecap score give the copy a state of its own, from its snapshot or its journal), then try "
                + "again");
        }
        record(target, dataDir);
    }

    private static boolean leadsTo(final Path dataDir, final Path stateDir) throws IOException {
        final Path maps = dataDir.resolve("maps");
        if (!Files.isSymbolicLink(maps) || !Files.exists(maps)) {
            return false;
        }
        return Files.isSameFile(maps, stateDir);
    }

    private static String read(final Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
