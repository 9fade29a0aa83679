package io.ecap.tailer;

import io.delta.kernel.data.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The threads that write a commit's Parquet files, one part of the batch each: as many as the machine has cores,
 * at most four. Daemon threads: they hold nothing that must be finished at exit (a commit not made is made again).
 */
final class ParquetWriters {
    private final int size;
    private final ExecutorService pool;

    ParquetWriters() {
        this(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    ParquetWriters(final int size) {
        this.size = size;
        this.pool = Executors.newFixedThreadPool(size, task -> {
            final Thread thread = new Thread(task, "ecap-parquet-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    int size() {
        return size;
    }

    /** Runs every part, at once when there are several; returns their results in order. */
    List<List<Row>> run(final List<Callable<List<Row>>> parts, final String table) {
        final List<List<Row>> results = new ArrayList<>(parts.size());
        try {
            if (parts.size() == 1) {
                results.add(parts.get(0).call());
                return results;
            }
            for (final Future<List<Row>> done : pool.invokeAll(parts)) {
                results.add(done.get());
            }
            return results;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(table + ": interrupted while writing Parquet files", e);
        } catch (final ExecutionException e) {
            throw failure(table, e.getCause());
        } catch (final Exception e) {
            throw failure(table, e);
        }
    }

    private static RuntimeException failure(final String table, final Throwable cause) {
        if (cause instanceof IOException io) {
            return new UncheckedIOException(table + ": writing Parquet files failed", io);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
