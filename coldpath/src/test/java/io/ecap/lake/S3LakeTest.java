package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.ChildJvm;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake on an S3 server, as with MinIO: a real one (S3Proxy keeping objects as files, in a JVM of its own), reached
 * through Hadoop's S3 connector with ECAP's settings ({@code io.ecap.model.storage.S3Settings}). The lake tailer
 * loads a journal into bronze on {@code s3a://}, Spark builds silver and RFM's gold there, and every row equals what
 * the same steps give on a local lake. A bucket that does not exist is named.
 */
class S3LakeTest {
    private static final String TAILER = "io.ecap.tailer.LakeTailerMain";
    private static final String OPS = "io.ecap.ops.Ecap";
    private static final String BUCKET = "ecap-lake";
    private static final String ACCESS = "ecap-test";
    private static final String SECRET = "ecap-test-secret";

    @TempDir
    static Path dir;

    private static ChildJvm server;
    private static Path serverConf;
    private static String endpoint;
    private static SparkSession spark;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = dir.resolve("demo");
        assertEquals(0, ModuleJvm.run(dir, "ops", OPS, List.of(), "demo", "--data", data.toString(), "--seconds", "1",
            "--warmup", "0", "--rate", "500", "--no-lake"));
        final Path objects = Files.createDirectories(dir.resolve("s3").resolve(BUCKET));
        final int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        endpoint = "http://127.0.0.1:" + port;
        serverConf = Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
            "s3proxy.endpoint=" + endpoint, "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS,
            "s3proxy.credential=" + SECRET, "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + objects.getParent()) + "\n");
        server = startServer();
        spark = Lake.session("s3-lake-test", io.ecap.model.storage.S3Settings.from(Map.of(), settings()));
    }

    /** The S3 server on the test's port and folder: again after a kill, it serves the same objects. */
    private static ChildJvm startServer() throws Exception {
        final Path jar = Path.of(System.getProperty("ecap.root"), "coldpath", "target", "s3-server", "s3proxy.jar");
        assertTrue(Files.exists(jar), jar + " (copied by the build's generate-test-resources)");
        final ChildJvm started = ChildJvm.start(dir, jar.toString(), List.of("-Xmx256m"), "org.gaul.s3proxy.Main",
            List.of("--properties", serverConf.toString()));
        started.await(Pattern.compile(".*Started Server.*"), 60);
        return started;
    }

    private static java.util.Properties settings() {
        final java.util.Properties p = new java.util.Properties();
        p.setProperty("ecap.s3.endpoint", endpoint);
        p.setProperty("ecap.s3.access-key", ACCESS);
        p.setProperty("ecap.s3.secret-key", SECRET);
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        if (server != null) {
            server.kill();
        }
    }

    private static int tailer(final String lake) throws Exception {
        return ModuleJvm.run(dir, "lake-tailer", TAILER, s3Options(), "--data", data.toString(), "--lake", lake,
            "--once");
    }

    /** The tailer's settings for the test's S3 server. */
    private static List<String> s3Options() {
        return List.of("-Decap.s3.endpoint=" + endpoint, "-Decap.s3.access-key=" + ACCESS,
            "-Decap.s3.secret-key=" + SECRET);
    }

    /** Every row of a table, in one order, as text. */
    private static List<String> rows(final String path, final String order) {
        return spark.read().format("delta").load(path).orderBy(order).collectAsList().stream()
            .map(Object::toString).toList();
    }

    @Test
    void theTailerSilverAndRfmWriteTheSameRowsToS3AsToALocalLake() throws Exception {
        final Lake s3 = new Lake("s3a://" + BUCKET + "/lake");
        final Lake local = new Lake(dir.resolve("local-lake").toString());
        assertEquals(0, tailer(s3.root()));
        assertEquals(0, tailer(local.root()));
        assertTrue(Files.isDirectory(dir.resolve("s3").resolve(BUCKET).resolve("lake").resolve("bronze")),
            "bronze is in the bucket");

        final long transactions = new BronzeToSilver(spark, s3).run();
        assertEquals(new BronzeToSilver(spark, local).run(), transactions);
        assertTrue(transactions > 100, "transactions in silver: " + transactions);
        assertEquals(rows(local.silver("transactions"), "txn_id"), rows(s3.silver("transactions"), "txn_id"));

        // the demo pays in several currencies: RFM in US dollars, the others left out (the lake holds no rates)
        final PurchaseRules rules = PurchaseRules.parse(null, "USD");
        new RfmJob(spark, s3).run(null, rules);
        new RfmJob(spark, local).run(null, rules);
        final List<String> segments = rows(s3.gold("customer_segments"), "customer_id");
        assertTrue(segments.size() > 10, "customers segmented: " + segments.size());
        assertEquals(rows(local.gold("customer_segments"), "customer_id"), segments);
    }

    @Test
    void aBucketThatDoesNotExistIsNamed() throws Exception {
        assertEquals(2, tailer("s3a://no-such-bucket/lake"), "the user's to change: exit 2");
    }

    @Test
    void theTailerWaitsOutTheStorageBeingAwayAndLoadsEveryEntryOnce() throws Exception {
        final String lake = "s3a://" + BUCKET + "/outage";
        assertEquals(0, tailer(lake));
        final String decisions = new Lake(lake).bronze("decisions");
        final long before = spark.read().format("delta").load(decisions).count();

        server.kill();
        final Path more = dir.resolve("more.jsonl");
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            lines.append(String.format("{\"txnId\":\"s3-away-%d\",\"ts\":1795600000000,\"customerId\":\"c-%d\","
                + "\"cardId\":\"k-%d\",\"merchantId\":\"m-1\",\"amount\":\"%d.00\",\"currency\":\"USD\"}%n",
                i, i, i, 10 + i));
        }
        Files.writeString(more, lines);
        assertEquals(0, ModuleJvm.run(dir, "ops", OPS, List.of(), "score", more.toString(), "--data",
            data.toString()));
        final ChildJvm following = ModuleJvm.start(dir, "lake-tailer", TAILER, s3Options(), "--data",
            data.toString(), "--lake", lake, "--once");
        // the storage's address answers nothing until the tailer has reached for it at least once
        try (ServerSocket away = new ServerSocket()) {
            away.setReuseAddress(true);
            away.bind(new java.net.InetSocketAddress("127.0.0.1", java.net.URI.create(endpoint).getPort()));
            away.setSoTimeout(120_000);
            away.accept().close();
        }
        assertTrue(following.process().isAlive(), "the tailer waits for the storage: " + following.seen());
        server = startServer();
        assertEquals(0, following.awaitExit(300), following.seen());

        final Dataset<Row> loaded = spark.read().format("delta").load(decisions);
        assertEquals(before + 50, loaded.count(), "the 50 scored while the storage was away, and no more");
        assertEquals(loaded.count(), loaded.select("journal_index").distinct().count(), "each entry once");
    }
}
