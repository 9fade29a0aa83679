package io.ecap.testing.fuzz;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one fuzz input on a worker thread and waits for it at most a bound: a parser that loops forever on an input
 * fails the property with that input named, instead of hanging the build. The bound is a hang detector, generous by
 * orders of magnitude (parsing one input takes microseconds), not a performance assertion.
 */
public final class Bounded implements AutoCloseable {
    /** Long enough for any input of a few KiB on a loaded 2-core machine, short enough to name a hang quickly. */
    public static final Duration HANG = Duration.ofSeconds(10);

    private ExecutorService worker = newWorker();

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The task's result, or what it threw (unwrapped); an {@link AssertionError} naming the input if it takes longer
     * than {@link #HANG}.
     */
    public <T> T call(final Callable<T> task, final Supplier<String> input) throws Exception {
        final Future<T> result = worker.submit(task);
        try {
            return result.get(HANG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is a daemon; the next input gets a fresh one
            throw new AssertionError("no answer within " + HANG.toSeconds() + " s (a hang) for input: " + input.get());
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
