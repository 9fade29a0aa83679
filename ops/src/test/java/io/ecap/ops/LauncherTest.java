package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ./ecap} launcher's handling of {@code demo}, run for real by bash on a copy of the script beside
 * modules that look built, with {@code java} and {@code mvn} replaced by stand-ins that write down how they were
 * called: what the launcher would run, without running any of it.
 */
class LauncherTest {
    private static final Path ROOT = Path.of(System.getProperty("ecap.root")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path calls;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        Files.copy(ROOT.resolve("ecap"), dir.resolve("ecap"));
        executable(dir.resolve("ecap"));
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/jvm.flags"), "-Dx=1\n");
        Files.writeString(dir.resolve("config/spark-jvm.flags"), "-Dx=1\n");
        for (final String module : new String[] {"ops", "coldpath", "local-stores"}) {
            final Path target = Files.createDirectories(dir.resolve(module).resolve("target"));
            Files.writeString(target.resolve("classpath.txt"), "");
            Files.writeString(target.resolve("ecap-" + module + "-0.1.0-SNAPSHOT.jar"), "");
            Files.writeString(target.resolve(".ecap-built"), "");
        }
        calls = dir.resolve("calls.txt");
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("java"), String.join("\n", "#!/usr/bin/env bash",
            "args=(\"$@\"); called=\"\"",
            "for ((i = 0; i < ${#args[@]}; i++)); do",
            "  if [[ ${args[i]} == io.ecap.* ]]; then called=\"${args[*]:i}\"; break; fi",
            "done",
            "echo \"java $called\" >> '" + calls + "'",
            "for a in \"${args[@]}\"; do case \"$a\" in",
            "  -XX:ArchiveClassesAtExit=*) echo \"$a\" >> '" + dir.resolve("cds.txt") + "'; echo x > \"${a#*=}\" ;;",
            "  -XX:SharedArchiveFile=*) echo \"$a\" >> '" + dir.resolve("cds.txt") + "' ;;",
            "  -XX:TieredStopAtLevel=*|-XX:ReservedCodeCacheSize=*) echo \"$a\" >> '" + dir.resolve("jit.txt") + "' ;;",
            "esac; done",
            "[[ -n \"${STAND_IN_EXIT:-}\" ]] && exit \"$STAND_IN_EXIT\"",
            // ecap stores: ready at once, then running until the launcher stops it
            "[[ $called == io.ecap.stores.StoresMain* ]] && echo 'STORES ready"
                + " postgres=postgresql://postgres@127.0.0.1:1/ecap redis=redis://127.0.0.1:2' && exec sleep 30",
            "[[ \" $called \" == *' --help '* || \" $called \" == *' -h '* ]] && echo 'Usage: ecap demo'",
            // the lake's training and the backtest: the lines the launcher reads
            "[[ $called == 'io.ecap.lake.LakeMain train-fraud'* ]] && echo 'train-fraud: training: "
                + "2026-05-09T00:57:54.167Z to 2026-10-06T15:00:13.357Z, 7 examples' && echo 'train-fraud: "
                + "fraud-lr@x in d/lake/models/fraud-lr/x.model; put it live with POST /v1/admin/models'",
            "[[ $called == 'io.ecap.ops.Ecap backtest'* ]] && echo 'Backtest of 3 transactions' && echo '  fraud "
                + "declined (recall)   1 (50.00%)   2 (100.00%)' && echo '  other line'",
            "exit 0", ""));
        Files.writeString(bin.resolve("mvn"), "#!/usr/bin/env bash\necho mvn >> '" + calls + "'\nexit 1\n");
        executable(bin.resolve("java"));
        executable(bin.resolve("mvn"));
    }

    private static void executable(final Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code ./ecap demo ARGS}; returns its exit code, then each call of java or mvn, then its output. */
    private List<String> demo(final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("demo"));
        command.addAll(List.of(args));
        return launch(null, command.toArray(String[]::new));
    }

    /** Runs {@code ./ecap ARGS} with the java stand-in exiting {@code exit} (0 when null); as {@link #demo}. */
    private List<String> launch(final String exit, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("bash", dir.resolve("ecap").toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().remove("ECAP_DEMO_ONLY");
        if (exit != null) {
            builder.environment().put("STAND_IN_EXIT", exit);
        }
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        final List<String> result = new ArrayList<>();
        result.add(Integer.toString(process.exitValue()));
        result.addAll(Files.exists(calls) ? Files.readAllLines(calls) : List.of());
        result.add(output);
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--version", "-V"})
    void shouldOnlyPrintForHelpAndVersion(final String option) throws Exception {
        final List<String> run = demo("--seconds", "5", option);
        assertEquals(List.of("0", "java io.ecap.ops.Ecap demo --seconds 5 " + option), run.subList(0, run.size() - 1),
            "only the command line's own help or version, no demo and no lake: " + run);
        assertTrue(!run.get(run.size() - 1).contains("The lake"), run.get(run.size() - 1));
    }

    private static final String STORES = "java io.ecap.stores.StoresMain --data d-stores --postgres-port 55432 "
        + "--redis-port 56379";
    private static final String WITH_STORES = " --cases-database-url postgresql://postgres@127.0.0.1:1/ecap "
        + "--lists-redis-url redis://127.0.0.1:2";

    @Test
    void shouldRunTheLakeOnTheDemosDataAfterTheDemo() throws Exception {
        Files.createDirectories(dir.resolve("d"));
        final List<String> run = demo("--seconds", "5", "--data", "d");
        assertEquals(List.of("0", STORES, "java io.ecap.ops.Ecap demo --seconds 5 --data d" + WITH_STORES,
            "java io.ecap.ops.Ecap export-lake --data d",
            "java io.ecap.lake.LakeMain all --lake d/lake --out d/report.html --truth d/truth.jsonl --currency USD "
                + "--rates d/rates.csv",
            "java io.ecap.lake.LakeMain train-fraud --lake d/lake",
            "java io.ecap.ops.Ecap backtest --data d --model d/lake/models/fraud-lr/x.model --truth d/truth.jsonl "
                + "--from 2026-10-07",
            "java io.ecap.lake.LakeMain publish --lake d/lake --database-url postgresql://postgres@127.0.0.1:1/ecap"),
            run.subList(0, run.size() - 1));
        final String output = run.get(run.size() - 1);
        assertTrue(output.contains("fraud declined (recall)   1 (50.00%)   2 (100.00%)")
            && !output.contains("other line") && output.contains("The whole comparison: d/backtest.txt"), output);
        assertTrue(output.contains("Open d/report.html") && output.contains("./ecap stores --data d-stores &"), output);
        assertTrue(Files.exists(dir.resolve("d-stores/.ecap-demo-stores")), "the stores' folder is the demo's");
    }

    @Test
    void shouldRunWithoutStoresWhenAskedOrWhenTheirFolderIsSomeoneElses() throws Exception {
        List<String> run = demo("--no-lake", "--no-stores", "--seconds", "5");
        assertEquals(List.of("0", "java io.ecap.ops.Ecap demo --seconds 5"),
            run.subList(0, run.size() - 1));
        Files.delete(calls);
        Files.createDirectories(dir.resolve("d-stores"));
        Files.writeString(dir.resolve("d-stores/mine.txt"), "keep");
        run = demo("--no-lake", "--seconds", "5", "--data", "d");
        assertEquals(List.of("0", "java io.ecap.ops.Ecap demo --seconds 5 --data d"), run.subList(0, run.size() - 1));
        assertTrue(run.get(run.size() - 1).contains("d-stores exists and was not made by ecap demo"),
            run.get(run.size() - 1));
        assertTrue(Files.exists(dir.resolve("d-stores/mine.txt")), "left as it was");
    }

    /**
     * The lake's class data sharing archive: made by the first lake job that ends well (not by help, not by a failed
     * job), under a temporary name, then used by the next lake JVMs.
     */
    @Test
    void shouldMakeTheLakeArchiveOnceFromAJobThatEndsWell() throws Exception {
        final Path archive = dir.resolve("coldpath/target/ecap.jsa");
        final Path cds = dir.resolve("cds.txt");
        assertEquals("0", launch(null, "lake", "rfm", "--help").get(0));
        assertTrue(!Files.exists(cds) && !Files.exists(archive), "help makes no archive");
        assertEquals("2", launch("2", "lake", "rfm", "--data", "d").get(0));
        assertTrue(!Files.exists(archive), "a failed job's archive is not kept");
        assertEquals(List.of(), leftovers(), "nor left beside it");

        assertEquals("0", launch(null, "lake", "rfm", "--data", "d").get(0));
        assertTrue(Files.exists(archive), "made by a job that ended well");
        assertEquals(List.of(), leftovers());
        assertEquals("0", launch(null, "lake", "clv", "--data", "d").get(0));
        final List<String> flags = Files.readAllLines(cds);
        assertEquals("-XX:SharedArchiveFile=" + archive, flags.get(flags.size() - 1), "then used: " + flags);
        assertEquals(3, flags.size(), "one archive made per failed or good run, none after: " + flags);
    }

    private List<String> leftovers() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("coldpath/target"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("ecap.jsa.")).toList();
        }
    }

    /**
     * A lake job on a small local lake (below 16 MiB) runs with the quick JIT only; a bigger lake, a follower, a lake
     * and a lake behind a URI keep the default.
     */
    @Test
    void shouldKeepTheJitQuickForAJobOnASmallLake() throws Exception {
        final Path bronze = Files.createDirectories(dir.resolve("d/lake/bronze/decisions"));
        Files.write(bronze.resolve("part-0.parquet"), new byte[4_096]);
        final List<String> quick = List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m");
        assertEquals(quick, quickJit("lake", "rfm", "--data", "d"), "with the code cache C1 and C2 would have");
        assertEquals(quick, quickJit("lake", "rfm", "--lake=d/lake"));
        assertEquals(List.of(), quickJit("lake", "journal-to-bronze", "--data", "d", "--every-seconds", "5"),
            "a follower runs for days");
        assertEquals(List.of(), quickJit("lake", "rfm", "--lake", "s3a://bucket/lake"));
        assertEquals(List.of(), quickJit("lake", "rfm", "--data", "elsewhere"), "no lake to measure");
        final Path staged = Files.createDirectories(dir.resolve("d/lake/_journal"));
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(staged.resolve("0.json").toFile(), "rw")) {
            big.setLength(16L << 20);
        }
        assertEquals(List.of(), quickJit("lake", "rfm", "--data", "d"), "16 MiB with the staged journal: not small");
    }

    /** The JIT flags the launcher gave java for {@code ./ecap ARGS}. */
    private List<String> quickJit(final String... args) throws Exception {
        final Path jit = dir.resolve("jit.txt");
        Files.deleteIfExists(jit);
        assertEquals("0", launch(null, args).get(0));
        return Files.exists(jit) ? Files.readAllLines(jit) : List.of();
    }

    @Test
    void shouldStopAfterTheDemoWithNoLake() throws Exception {
        final List<String> run = demo("--no-lake", "--seconds", "5");
        assertEquals(List.of("0", STORES.replace("d-stores", "data/demo-stores"),
            "java io.ecap.ops.Ecap demo --seconds 5" + WITH_STORES), run.subList(0, run.size() - 1));
    }

    @Test
    void shouldDescribeTheLakeStageAndNoLakeInTheDemosHelp() {
        final java.io.PrintStream out = System.out;
        final java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Ecap.run("demo", "--help"));
        } finally {
            System.setOut(out);
        }
        final String help = captured.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("lake stage") && help.contains("--no-lake") && help.contains("report.html"), help);
    }

    /**
     * Sources changed since the build while a process holds a built jar open (a service started before): the launcher
     * names the process and builds nothing, rather than replace the classes under it.
     */
    @Test
    void shouldNotRebuildUnderAProcessThatUsesTheBuiltJars() throws Exception {
        final Path jar = dir.resolve("ops/target/ecap-ops-0.1.0-SNAPSHOT.jar");
        final Process user = new ProcessBuilder("bash", "-c", "exec 3< \"$0\"; echo open; exec sleep 60",
            jar.toString()).start();
        try {
            final Path source = Files.createDirectories(dir.resolve("hotpath/src")).resolve("Changed.java");
            Files.writeString(source, "class Changed {}\n");
            Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 60_000));
            // the process says when it holds the jar open: no waiting on a clock
            assertEquals("open", new java.io.BufferedReader(new java.io.InputStreamReader(user.getInputStream(),
                StandardCharsets.UTF_8)).readLine());
            final List<String> run = launch(null, "journal", "--data", "d");
            final String output = run.get(run.size() - 1);
            assertEquals(List.of("1"), run.subList(0, run.size() - 1), "neither mvn nor java ran: " + run);
            assertTrue(output.contains("these running processes use the built jars") && output.contains("pid "
                + user.pid() + ": sleep 60"), output);
        } finally {
            user.destroyForcibly();
        }
    }
}
