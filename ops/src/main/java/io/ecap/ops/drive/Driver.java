package io.ecap.ops.drive;

import io.ecap.ops.generate.GeneratedEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Sends generated traffic to an ECAP server at a fixed offered rate (open loop) or as fast as a bounded number of
 * requests in flight allows (closed loop, {@code rate 0}).
 *
 * <p>Open loop: request {@code i} is due at {@code start + i / rate}, whether or not earlier ones were answered,
 * and its latency counts from that due time. A server that stalls therefore shows its stall in the latency of
 * every request that waited behind it (coordinated omission corrected by construction), instead of the generator
 * quietly sending less. If more than {@code maxInFlight} requests are waiting, the server is not keeping up with the
 * offered rate and the run stops early, saying so.
 */
public final class Driver implements AutoCloseable {
    /**
     * @param rate        requests per second; 0 sends as fast as {@code maxInFlight} allows
     * @param connections HTTP connections (spread over the event loops) or WebSocket streams
     * @param webSocket   send transactions over {@code /v1/stream}; other inputs still go over HTTP
     */
    public record Plan(double rate, int connections, boolean webSocket, int maxInFlight, int eventLoops) {
        public Plan {
            if (rate < 0 || connections < 1 || maxInFlight < 1 || eventLoops < 1) {
                throw new IllegalArgumentException("rate must not be negative; connections, in-flight limit and "
                    + "event loops must be at least 1");
            }
        }
    }

    /** Why a run ended: the source ran out, the time was up, {@link #stop()}, or the server fell behind. */
    public enum End { SOURCE_ENDED, TIME, STOPPED, FELL_BEHIND }

    private final Plan plan;
    private final Tally tally;
    private final Vertx vertx;
    private final AtomicLong inFlight = new AtomicLong();
    private final List<Lane> http = new ArrayList<>();
    private final List<Lane> streams = new ArrayList<>();
    private volatile boolean stopRequested;
    private long startNs;
    private double sendingSeconds;

    public Driver(final Target target, final Plan plan, final Tally tally) throws Exception {
        this.plan = plan;
        this.tally = tally;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(plan.eventLoops()));
        try {
            final int lanes = Math.min(plan.eventLoops(), plan.connections());
            for (int i = 0; i < lanes; i++) {
                final int share = plan.connections() / lanes + (i < plan.connections() % lanes ? 1 : 0);
                http.add(new HttpLane(vertx, target, plan.webSocket() ? 2 : share, tally, inFlight));
            }
            if (plan.webSocket()) {
                for (int i = 0; i < plan.connections(); i++) {
                    streams.add(new StreamLane(vertx, target, tally, inFlight));
                }
            }
        } catch (final Exception e) {
            close();
            throw e;
        }
    }

    /** Asks a running {@link #run} to stop after the request it is sending (from another thread). */
    public void stop() {
        stopRequested = true;
    }

    public long inFlight() {
        return inFlight.get();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNs) / 1e9;
    }

    /** How long the last run sent for (without the wait for the last answers). */
    public double sendingSeconds() {
        return sendingSeconds;
    }

    /** The backlog at which an open-loop run counts the server as fallen behind. */
    public int maxInFlight() {
        return plan.maxInFlight();
    }

    /**
     * Sends from {@code source} until it returns null, {@code seconds} have passed (0: no limit), {@link #stop()} is
     * called, or the server falls behind; then waits up to 30 s for the answers. {@code everySecond} runs about
     * once a second on this thread (progress display). May be called again (after a warm-up, say).
     */
    public End run(final Supplier<GeneratedEvent> source, final double seconds, final Runnable everySecond) {
        return run(source, seconds, everySecond, false);
    }

    /**
     * Warms a cold server (and this client) up: the rate climbs from zero to the plan's rate over {@code seconds},
     * and a server that falls behind is waited for instead of ending the run.
     */
    public End warmUp(final Supplier<GeneratedEvent> source, final double seconds, final Runnable everySecond) {
        return run(source, seconds, everySecond, true);
    }

    private End run(final Supplier<GeneratedEvent> source, final double seconds, final Runnable everySecond,
        final boolean warmUp) {
        startNs = System.nanoTime();
        final double perNs = plan.rate() / 1e9;
        final double rampNs = warmUp ? seconds * 1e9 : 0;
        final long endNs = seconds > 0 ? startNs + (long) (seconds * 1e9) : Long.MAX_VALUE;
        long nextTickNs = startNs + 1_000_000_000L;
        End end = null;
        long i = 0;
        while (end == null) {
            final long now = System.nanoTime();
            if (now - nextTickNs >= 0) {
                nextTickNs += 1_000_000_000L;
                everySecond.run();
            }
            if (stopRequested) {
                end = End.STOPPED;
            } else if (now - endNs >= 0) {
                end = End.TIME;
            } else if (perNs > 0) {
                final long dueNs = startNs + dueAfterNs(i, perNs, rampNs);
                if (now - dueNs < 0) {
                    pause(dueNs - now);
                } else if (inFlight.get() >= plan.maxInFlight()) {
                    if (warmUp) {
                        pause(20_000);
                    } else {
                        end = End.FELL_BEHIND;
                    }
                } else {
                    end = dispatch(source.get(), dueNs, i++);
                }
            } else if (inFlight.get() >= plan.maxInFlight()) {
                pause(20_000);
            } else {
                end = dispatch(source.get(), now, i++);
            }
        }
        sendingSeconds = (System.nanoTime() - startNs) / 1e9;
        awaitAnswers(30);
        everySecond.run();
        return end;
    }

    /**
     * When request {@code i} is due: at a steady {@code perNs} requests per nanosecond, or, during a linear ramp from
     * zero over {@code rampNs}, when the ramp's cumulative count {@code perNs t^2 / (2 rampNs)} reaches {@code i}.
     */
    static long dueAfterNs(final long i, final double perNs, final double rampNs) {
        final double rampCount = perNs * rampNs / 2;
        if (i < rampCount) {
            return (long) Math.sqrt(2 * rampNs * i / perNs);
        }
        return (long) (rampNs + (i - rampCount) / perNs);
    }

    private End dispatch(final GeneratedEvent event, final long intendedNs, final long i) {
        if (event == null) {
            return End.SOURCE_ENDED;
        }
        inFlight.incrementAndGet();
        tally.sent(event.kind());
        if (event.kind() == GeneratedEvent.Kind.TRANSACTION && !streams.isEmpty()) {
            streams.get((int) (i % streams.size())).send(event, intendedNs);
        } else {
            http.get((int) (i % http.size())).send(event, intendedNs);
        }
        return null;
    }

    /** Sleeps for long waits, yields for short ones: a spinning sender would take a core from the server. */
    private static void pause(final long ns) {
        if (ns > 60_000) {
            LockSupport.parkNanos(ns - 50_000);
        } else {
            Thread.yield();
        }
    }

    private void awaitAnswers(final int seconds) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        final long unanswered = inFlight.get();
        if (unanswered > 0) {
            tally.failure("no answer within " + seconds + " s after the run", unanswered);
        }
    }

    @Override
    public void close() {
        streams.forEach(Lane::close);
        http.forEach(Lane::close);
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
}
