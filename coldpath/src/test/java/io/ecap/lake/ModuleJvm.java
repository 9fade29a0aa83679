package io.ecap.lake;

import io.ecap.testing.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs another module's main class in a child JVM with that module's own classpath (Spark's never meets it). */
final class ModuleJvm {
    private ModuleJvm() {
    }

    /** Runs {@code main} of {@code module} in {@code workDir} to its end (ten minutes at most); its exit code. */
    static int run(final Path workDir, final String module, final String main, final List<String> jvmOptions,
        final String... args) throws Exception {
        final ChildJvm child = start(workDir, module, main, jvmOptions, args);
        final int code = child.awaitExit(600);
        if (code != 0 && code != 3) {
            System.err.println(module + " " + String.join(" ", args) + " exited " + code + ":\n" + child.seen());
        }
        return code;
    }

    /** Starts {@code main} of {@code module} in {@code workDir} and returns at once. */
    static ChildJvm start(final Path workDir, final String module, final String main, final List<String> jvmOptions,
        final String... args) throws Exception {
        final Path target = Path.of(System.getProperty("ecap.root"), module, "target");
        final Path classpathFile = target.resolve("classpath.txt");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: build the " + module + " module first "
                + "(mvn -B verify builds it before this one)");
        }
        final String classPath = target.resolve("classes") + File.pathSeparator
            + Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        final List<String> options = new ArrayList<>(List.of("-Xmx1g"));
        options.addAll(jvmOptions);
        return ChildJvm.start(workDir, classPath, options, main, List.of(args));
    }
}
