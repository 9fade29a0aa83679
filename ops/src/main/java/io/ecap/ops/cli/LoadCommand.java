package io.ecap.ops.cli;

import io.ecap.ops.drive.Driver;
import io.ecap.ops.drive.Tally;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.report.LatencyReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Open-loop load against a running server at a fixed offered rate, over HTTP or WebSocket, with latency counted from
 * each request's intended send time (coordinated omission corrected) into HdrHistogram, written as a {@code .hgrm}
 * percentile distribution and an SVG percentile plot.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {
        "Offer generated transactions to a running server at a fixed rate (open loop) over HTTP or WebSocket, and "
            + "report latency from each request's intended send time: a stalled server shows as latency, never as "
            + "fewer requests sent.",
        "Writes <out>/<name>.hgrm (percentile distribution) and <out>/<name>.svg (percentile plot) and prints a "
            + "summary. Exits 1 if the server could not keep up with the offered rate, or if any request failed, "
            + "during the warm-up or after it (refused, failed, unanswered, or answered with something that is not a "
            + "decision), with the counts."})
public final class LoadCommand implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "10000",
        description = "requests (or WebSocket messages) offered per second (default: ${DEFAULT-VALUE})")
    private double rate;

    @Option(names = "--seconds", defaultValue = "30", description = "measured duration (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--warmup", defaultValue = "15",
        description = "seconds of a rate rising to --rate before measuring; latency not recorded, failures "
            + "counted (default: ${DEFAULT-VALUE})")
    private double warmup;

    @Option(names = "--kinds", defaultValue = "transactions",
        description = "what to send: transactions,events,products,labels or all (default: ${DEFAULT-VALUE})")
    private String kinds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports",
        description = "where the reports go (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--name", description = "report file name (default: load-<http|ws>-<rate>)")
    private String name;

    @Mixin
    private SendOptions send;

    @Mixin
    private TrafficOptions traffic;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(rate > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate: expected a positive number of "
                + "requests a second, found " + rate);
        }
        if (!(seconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds: expected a positive number, "
                + "found " + seconds);
        }
        if (!(warmup >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup: expected 0 or more seconds, "
                + "found " + warmup);
        }
        final String transport = send.webSocket ? "ws" : "http";
        final String file = name != null ? name : String.format("load-%s-%d", transport, Math.round(rate));
        final long seed = traffic.seed(System.currentTimeMillis());
        final Traffic source = new Traffic(traffic.settings(TrafficOptions.kinds(kinds), seed));
        final Tally tally = new Tally(true);
        try (Driver driver = new Driver(send.target(), send.plan(rate), tally)) {
            final LiveProgress progress = new LiveProgress(System.err, tally, driver);
            if (warmup > 0) {
                System.err.printf("warming up for %.0f s at %,.0f/s...%n", warmup, rate);
                driver.warmUp(source::next, warmup, progress);
                tally.endWarmUp();
                progress.restart();
            }
            System.err.printf("measuring for %.0f s at %,.0f/s over %s (%d %s, seed %d)...%n", seconds, rate,
                send.webSocket ? "WebSocket /v1/stream" : "HTTP POST /v1/score", send.connections,
                send.webSocket ? "streams" : "connections", seed);
            final Driver.End end = driver.run(source::next, seconds, progress);
            final double elapsed = driver.sendingSeconds();
            tally.print(System.out, elapsed);
            final Histogram latency = tally.scoreLatency();
            final String title = String.format("ECAP %s, %,.0f/s offered, %d %s, %.0f s, %d cores", send.webSocket
                ? "WebSocket /v1/stream" : "HTTP POST /v1/score", rate, send.connections, send.webSocket ? "streams"
                : "connections", seconds, Runtime.getRuntime().availableProcessors());
            LatencyReport.write(out, file, title, latency);
            System.out.printf("%nAnswered %,.0f per second. Reports: %s.hgrm and %s.svg%n",
                latency.getTotalCount() / elapsed, out.resolve(file).toAbsolutePath(), out.resolve(file));
            if (end == Driver.End.FELL_BEHIND) {
                System.out.printf("The server did not keep up with %,.0f per second: the run stopped after %.1f s, "
                    + "when %,d requests were waiting.%n", rate, driver.sendingSeconds(), driver.maxInFlight());
                return 1;
            }
            final String failure = tally.failure();
            if (failure != null) {
                System.out.printf("%nThe run failed: %s.%n", failure);
                return 1;
            }
        }
        return 0;
    }
}
