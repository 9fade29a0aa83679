package io.ecap.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Java child process started with ECAP's JVM flags, and the lines it prints (stdout and stderr together). */
public final class ChildJvm {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();
    private final Thread reader;

    private ChildJvm(final Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (final IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code classPath}, the given JVM options and arguments, in {@code workDir}. */
    public static ChildJvm start(final Path workDir, final String classPath, final List<String> jvmOptions,
        final String mainClass, final List<String> args) throws IOException {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path flags = Path.of(System.getProperty("ecap.root"), "config", "jvm.flags");
        final List<String> command = new ArrayList<>(List.of(java.toString(), "@" + flags));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(args);
        return new ChildJvm(new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
            .start());
    }

    /** Waits for a line matching {@code pattern} (everything before it is kept in {@link #seen()}). */
    public Matcher await(final Pattern pattern, final int seconds) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            final String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                assertTrue(process.isAlive(), "the child exited:\n" + seen);
                continue;
            }
            seen.append(line).append('\n');
            final Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("no line matching " + pattern + " within " + seconds + " s:\n" + seen);
    }

    /**
     * Waits for the child to exit and returns its exit code; what it printed is then all in {@link #seen()}.
     */
    public int awaitExit(final int seconds) throws InterruptedException {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the child did not exit within " + seconds + " s:\n"
            + seen);
        reader.join(TimeUnit.SECONDS.toMillis(5));  // it ends at the end of the output
        for (String line = lines.poll(); line != null; line = lines.poll()) {
            seen.append(line).append('\n');
        }
        return process.exitValue();
    }

    /** What the child printed up to the last {@link #await} (or {@link #awaitExit}). */
    public String seen() {
        return seen.toString();
    }

    public Process process() {
        return process;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not die on SIGKILL");
    }

    /**
     * SIGTERM through the process handle (Process.destroy would also close the output pipe); waits for the exit and
     * returns the lines printed after the last {@link #await}.
     */
    public List<String> terminate() throws InterruptedException {
        process.toHandle().destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child did not stop on SIGTERM");
        final List<String> rest = new ArrayList<>();
        for (String line = lines.poll(5, TimeUnit.SECONDS); line != null; line = lines.poll(1, TimeUnit.SECONDS)) {
            rest.add(line);
        }
        return rest;
    }
}
