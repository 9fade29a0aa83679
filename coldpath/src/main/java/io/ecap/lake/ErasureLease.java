package io.ecap.lake;

import io.ecap.model.storage.ErasurePauseFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Holds the lake's erasure pause ({@link ErasurePauseFile}) while an erasure runs: a lake tailer following the lake
 * starts no batch meanwhile, so its appends do not meet the erasure's DELETEs. Renewed every
 * {@link ErasurePauseFile#RENEW_MS} on a thread of its own; deleted on close. A killed erasure's pause ends with its
 * lease ({@link ErasurePauseFile#LEASE_MS}).
 */
final class ErasureLease implements AutoCloseable {
    private final FileSystem fs;
    private final Path file;
    private final String holder;
    private final ScheduledExecutorService renewer;

    private ErasureLease(final FileSystem fs, final Path file, final String holder) {
        this.fs = fs;
        this.file = file;
        this.holder = holder;
        this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
            final Thread thread = new Thread(task, "ecap-erasure-lease");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Takes the pause on the lake at {@code root} until {@link #close}. */
    static ErasureLease take(final String root, final Configuration hadoop) throws IOException {
        final Path file = new Path(root + "/" + ErasurePauseFile.FILE);
        final ErasureLease lease = new ErasureLease(file.getFileSystem(hadoop), file, "ecap lake erase, process "
            + ProcessHandle.current().pid() + " on " + host() + ", since " + Instant.now());
        lease.write();
        lease.renewer.scheduleWithFixedDelay(lease::renew, ErasurePauseFile.RENEW_MS, ErasurePauseFile.RENEW_MS,
            TimeUnit.MILLISECONDS);
        return lease;
    }

    private void renew() {
        try {
            write();
        } catch (final IOException e) {
            // the lease runs out and the tailer goes on: the erasure's DELETEs are retried, or fail saying so
            System.err.println("ecap lake erase: could not renew " + file + ": " + e);
        }
    }

    private void write() throws IOException {
        final byte[] text = ErasurePauseFile.text(System.currentTimeMillis() + ErasurePauseFile.LEASE_MS, holder)
            .getBytes(StandardCharsets.UTF_8);
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(text);
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(10, TimeUnit.SECONDS);
            fs.delete(file, false);
        } catch (final IOException e) {
            throw new UncheckedIOException("ecap lake erase: could not remove " + file + " (the lake tailer waits "
                + "until its lease ends, at most " + ErasurePauseFile.LEASE_MS / 1000 + " s)", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The machine's name as the shell has it (no lookup: a machine may have no name service). */
    private static String host() {
        final String name = System.getenv("HOSTNAME");
        return name == null || name.isBlank() ? "this machine" : name;
    }
}
