package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's jobs run unchanged on a Spark cluster: a standalone master and a worker (each a JVM of its own, with
 * Spark's jars only, laid out as an installation's {@code SPARK_HOME/jars}), and {@code spark-submit} of
 * {@code coldpath/target/ecap-lake.jar} in client mode, its tasks run by an executor the worker starts. An order
 * history is imported and segmented (RFM) that way, and the figures are those of {@code ImportOrdersTest}, which
 * computes them in one JVM. Runs after {@code package} (Failsafe), since it needs the jar.
 */
class SparkClusterIT {
    /** What ecap-lake.jar carries itself: left out of the installation, as a real one lacks them. */
    private static final List<String> IN_THE_JAR = List.of("/ecap-", "/agrona/", "/io/delta/", "spark-sql-kafka",
        "spark-token-provider-kafka", "/kafka-clients/", "/commons-pool2/", "/postgresql/");
    private static final Path ROOT = Path.of(System.getProperty("ecap.root", ".."));

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (final Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // the executors the worker started
            p.destroyForcibly();
        }
    }

    @Test
    void importAndSegmentAnOrderHistoryOnAStandaloneCluster() throws Exception {
        final Path home = sparkHome();
        final int masterPort = freePort();
        final String master = "spark://127.0.0.1:" + masterPort;
        final Path masterLog = dir.resolve("master.log");
        start(home, masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
            Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
        await(masterLog, "I have been elected leader");
        final Path workerLog = dir.resolve("worker.log");
        start(home, workerLog, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1", "--cores",
            "1", "--memory", "1g", "--work-dir", dir.resolve("work").toString(), "--webui-port",
            Integer.toString(freePort()));
        await(workerLog, "Successfully registered with master");

        final Path data = Files.createDirectories(dir.resolve("data"));
        final Path orders = dir.resolve("online_retail.csv");
        Files.writeString(orders, String.join("\n",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
            "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom",
            "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom",
            "536366,22633,HAND WARMER UNION JACK,6,12/3/2010 8:28,1.85,17850,United Kingdom",
            "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/5/2010 8:34,1.69,13047.0,United Kingdom",
            "536368,22960,JAM MAKING SET WITH JARS,3,12/9/2010 9:00,4.25,12583,France",
            "536381,22139,RETROSPOT TEA SET,4,12/9/2010 10:00,4.95,,United Kingdom") + "\n");
        final String imported = submit(home, master, "import-orders", orders.toString(), "--data", data.toString(),
            "--preset", "uci");
        assertTrue(imported.contains("5 order lines valid: 5 new"), imported);
        final String segmented = submit(home, master, "rfm", "--data", data.toString(), "--as-of", "2010-12-09",
            "--currency", "GBP");
        assertTrue(segmented.contains("3 customers segmented"), segmented);
        // 17850: 15.30 + 20.34 + 11.10 over two orders; the other two one order each (ImportOrdersTest)
        assertTrue(segmented.contains("46.74"), segmented);
        final String worker = Files.readString(workerLog, StandardCharsets.UTF_8);
        assertEquals(2, worker.split("Asked to launch executor", -1).length - 1,
            "each job's tasks ran in an executor the worker started: " + worker);
    }

    /** Spark's jars (the lake's classpath without what ecap-lake.jar carries), as an installation lays them out. */
    private Path sparkHome() throws IOException {
        final Path jars = Files.createDirectories(dir.resolve("spark-home/jars"));
        final String classpath = Files.readString(ROOT.resolve("coldpath/target/classpath.txt")).strip();
        for (final String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar") && IN_THE_JAR.stream().noneMatch(entry::contains)) {
                final Path jar = Path.of(entry);
                final Path link = jars.resolve(jar.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar);
                }
            }
        }
        return jars.getParent();
    }

    private static List<String> sparkFlags() throws IOException {
        return Files.readAllLines(ROOT.resolve("config/spark-jvm.flags")).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private Process start(final Path home, final Path log, final String mainClass, final String... args)
        throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(sparkFlags());
        command.add(mainClass.endsWith("SparkSubmit") ? "-Xmx768m" : "-Xmx384m"); // the driver runs in spark-submit
        command.add("-cp");
        command.add(home.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        final Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Runs one lake job with spark-submit on the cluster; returns its output, failing on a non-zero status. */
    private String submit(final Path home, final String master, final String... job) throws Exception {
        final String flags = String.join(" ", sparkFlags());
        final List<String> args = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client", "--class",
            "io.ecap.lake.LakeMain", "--conf", "spark.driver.extraJavaOptions=" + flags, "--conf",
            "spark.executor.extraJavaOptions=" + flags, "--conf", "spark.executor.memory=512m", "--conf",
            "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
            ROOT.resolve("coldpath/target/ecap-lake.jar").toString()));
        args.addAll(List.of(job));
        final Path log = dir.resolve("submit-" + job[0] + ".log");
        final Process submit = start(home, log, "org.apache.spark.deploy.SparkSubmit", args.toArray(String[]::new));
        assertTrue(submit.waitFor(5, TimeUnit.MINUTES), job[0] + " did not end in 5 minutes");
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, submit.exitValue(), output);
        return output;
    }

    private static void await(final Path log, final String line) throws Exception {
        final long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(log) || !Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
            assertTrue(System.currentTimeMillis() < deadline, "'" + line + "' not in " + log + " within 120 s: "
                + (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)"));
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
