package io.ecap.hotpath.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Stops new work before a disk fills up. The journal and the state are memory-mapped sparse files: a write to a new
 * page of a full disk does not fail with an error the engine could answer, it kills the process (SIGBUS). So while
 * the disk holding the data folder or the state folder has less free space than the minimum, the engine's clients
 * refuse new commands (HTTP 503 {@code disk_full} with Retry-After, the Kafka bridge pauses); work already accepted is
 * finished. Work resumes once the free space is back above twice the minimum. Checked once a second on a thread of
 * its own (a {@code statfs} call per folder).
 */
public final class DiskGuard implements AutoCloseable {
    static final long CHECK_NS = 1_000_000_000L;

    private final List<Path> folders;
    private final long minFreeBytes;
    private final ToLongFunction<Path> usable;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String refusal;

    DiskGuard(final List<Path> folders, final long minFreeBytes, final ToLongFunction<Path> usable,
        final boolean background) {
        this.folders = List.copyOf(folders);
        this.minFreeBytes = minFreeBytes;
        this.usable = usable;
        check();
        if (background) {
            thread = new Thread(this::run, "ecap-disk-guard");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** A guard of the folders' disks, checking on a thread of its own. */
    static DiskGuard start(final List<Path> folders, final long minFreeBytes) {
        return new DiskGuard(folders, minFreeBytes, DiskGuard::usableBytes, true);
    }

    /** Why new work is refused now, or null. */
    public String refusal() {
        return refusal;
    }

    /** One check; returns true if it changed whether work is refused. */
    boolean check() {
        final String before = refusal;
        String now = null;
        for (final Path folder : folders) {
            final long free = usable.applyAsLong(folder);
            final long needed = before == null ? minFreeBytes : 2 * minFreeBytes;
            if (free >= 0 && free < needed) {
                now = String.format("the %s holding %s has %,d MB free, %s %,d MB (engine.min-free-disk-mb): new "
                    + "work is refused until it has %,d MB free", DiskFill.holder(folder), folder.toAbsolutePath(),
                    free >> 20,
                    before == null ? "below the minimum of" : "not yet twice the minimum of", minFreeBytes >> 20,
                    2 * minFreeBytes >> 20);
                break;
            }
        }
        refusal = now;
        return (before == null) != (now == null);
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(CHECK_NS);
            if (running) {
                check();
            }
        }
    }

    private static long usableBytes(final Path folder) {
        try {
            return DiskFill.usableBytes(folder);
        } catch (final IOException | RuntimeException e) {
            return -1; // cannot tell: no refusal on that account
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
