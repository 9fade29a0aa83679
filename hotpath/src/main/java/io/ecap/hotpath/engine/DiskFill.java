package io.ecap.hotpath.engine;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How full the disk holding a folder is, counted the way {@code df} counts it: the space in use over the space in use
 * plus the space this process may still take. Blocks the file system keeps back (for root, or a reservation) are in
 * neither, so a disk with 48 GB free and 150 GB reserved is not reported as nearly full.
 */
public final class DiskFill {
    private DiskFill() {
    }

    /** Share of the disk in use, 0 to 1. */
    public static double of(final Path dir) throws IOException {
        final FileStore disk = Files.getFileStore(dir);
        return share(disk.getTotalSpace(), disk.getUnallocatedSpace(), disk.getUsableSpace());
    }

    /** Bytes this process may still write on the disk holding {@code dir}. */
    public static long usableBytes(final Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    static double share(final long total, final long unallocated, final long usable) {
        final long used = total - unallocated;
        return used + usable <= 0 ? 1.0 : (double) used / (used + usable);
    }
}
