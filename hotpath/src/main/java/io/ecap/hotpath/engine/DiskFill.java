package io.ecap.hotpath.engine;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How full the disk holding a folder is, counted the way {@code df} counts it: the space in use over the space in use
 * plus the space this process may still take. Blocks the file system keeps back (for root, or a reservation) are in
 * neither, so a disk with 48 GB free and 150 GB reserved is not reported as nearly full. A file system in memory
 * (tmpfs, where the state lives by default) can be sized larger than the memory there is to fill it with, so what may
 * still be written there is also bounded by the memory available ({@code MemAvailable} in {@code /proc/meminfo}).
 */
public final class DiskFill {
    private DiskFill() {
    }

    /** Share of the disk in use, 0 to 1. */
    public static double of(final Path dir) throws IOException {
        final FileStore disk = Files.getFileStore(dir);
        return share(disk.getTotalSpace(), disk.getUnallocatedSpace(), disk.getUsableSpace());
    }

    /** Bytes this process may still write on the disk holding {@code dir} (in memory: and the memory available). */
    public static long usableBytes(final Path dir) throws IOException {
        final FileStore store = Files.getFileStore(dir);
        final long usable = store.getUsableSpace();
        return isInMemory(store) ? Math.min(usable, memAvailable(MEMINFO)) : usable;
    }

    /** "disk", or "memory (tmpfs)" for a file system in memory: what holds {@code dir}, for messages. */
    public static String holder(final Path dir) {
        try {
            final FileStore store = Files.getFileStore(dir);
            return isInMemory(store) ? "memory (" + store.type() + ")" : "disk";
        } catch (final IOException | RuntimeException e) {
            return "disk";
        }
    }

    static boolean isInMemory(final FileStore store) {
        return "tmpfs".equals(store.type()) || "ramfs".equals(store.type());
    }

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    /** {@code MemAvailable} of a meminfo file in bytes, or {@link Long#MAX_VALUE} if it cannot be read. */
    static long memAvailable(final Path meminfo) {
        try {
            for (final String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    final String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (final IOException | RuntimeException e) {
            // not Linux, or no such line: the file system's own figure stands
        }
        return Long.MAX_VALUE;
    }

    static double share(final long total, final long unallocated, final long usable) {
        final long used = total - unallocated;
        return used + usable <= 0 ? 1.0 : (double) used / (used + usable);
    }
}
