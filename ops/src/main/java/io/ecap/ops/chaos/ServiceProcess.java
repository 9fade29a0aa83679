package io.ecap.ops.chaos;

import io.ecap.ops.Ecap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ecap run} in a JVM of its own, started with this JVM's flags and class path, as the launcher would start
 * it: what it printed, its port, the key it created on a first start, and the two ways it can end (SIGKILL, SIGTERM).
 */
final class ServiceProcess {
    /** The heap flags the launcher gives {@code ecap run} (see the {@code ecap} script). */
    static final List<String> RUN_HEAP = List.of("-Xms1g", "-Xmx1g", "-Xmn512m", "-XX:+AlwaysPreTouch");
    private static final Pattern READY = Pattern.compile("ECAP ready on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern KEY = Pattern.compile("^\\s+(ecap_[0-9a-f]{64})$");

    private final Process process;
    private final Thread reader;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();
    private final long startedNs;
    private int port;
    private String createdKey;
    private long readyNs;

    private ServiceProcess(final Process process, final long startedNs) {
        this.process = process;
        this.startedNs = startedNs;
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (final IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
            }
        }, "ecap-chaos-service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the service on {@code data}, hands it to {@code onStarted}, and waits until it says it is ready.
     *
     * @throws IllegalStateException if it exits or is not ready within {@code readySeconds}, with what it printed.
     */
    static ServiceProcess start(final Path data, final List<String> heap, final int readySeconds,
        final java.util.function.Consumer<ServiceProcess> onStarted) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-Xm") && !arg.startsWith("-XX:+AlwaysPreTouch") && !arg.startsWith("-agentlib")
                && !arg.startsWith("-javaagent") && !arg.startsWith("-Xss")) {
                command.add(arg);
            }
        }
        command.addAll(heap);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Ecap.class.getName(),
            "run", "--data", data.toString(), "--port", "0"));
        final long started = System.nanoTime();
        final ServiceProcess service = new ServiceProcess(new ProcessBuilder(command).redirectErrorStream(true)
            .start(), started);
        onStarted.accept(service); // known to the caller before the wait, so that it can be killed meanwhile
        service.awaitReady(readySeconds);
        return service;
    }

    private void awaitReady(final int seconds) throws InterruptedException {
        final long deadline = startedNs + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            final String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive() && lines.isEmpty()) {
                    throw new IllegalStateException("the service exited with status " + process.exitValue()
                        + " before it was ready:\n" + seen);
                }
                continue;
            }
            seen.append(line).append('\n');
            final Matcher key = KEY.matcher(line);
            if (key.matches()) {
                createdKey = key.group(1);
            }
            final Matcher ready = READY.matcher(line);
            if (ready.find()) {
                readyNs = System.nanoTime();
                port = Integer.parseInt(ready.group(1));
                return;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the service was not ready within " + seconds + " s:\n" + seen);
    }

    int port() {
        return port;
    }

    /** The key a first start created and printed, or null. */
    String createdKey() {
        return createdKey;
    }

    /** From starting the JVM to its "ready" line. */
    long startToReadyNs() {
        return readyNs - startedNs;
    }

    /** What it printed up to "ready", and since, for a report. */
    String output() {
        final List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        rest.forEach(l -> seen.append(l).append('\n'));
        return seen.toString();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service did not die within 60 s of SIGKILL");
        }
    }

    /**
     * SIGTERM (through the process handle: {@code Process.destroy} would also close the output pipe); true if it
     * stopped cleanly (its own words and status 0) within a minute.
     */
    boolean terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            return false;
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue() == 0 && output().contains("ECAP stopped cleanly.");
    }
}
