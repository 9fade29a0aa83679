package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.ecap.testing.ChildJvm;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ecap lake erase beside a lake tailer that follows a journal growing all the while (an engine scoring payments fed
 * to it a few at a time): the erasure succeeds, the tailer waits while it runs and then loads the rest, and bronze
 * ends with every payment once but the erased customer's. Without the pause the tailer commits several times during
 * each of the erasure's DELETEs, and Delta refuses them all.
 */
class LakeErasureBesideTailerTest {
    private static final String TAILER = "io.ecap.tailer.LakeTailerMain";
    private static final String OPS = "io.ecap.ops.Ecap";
    private static final long START_MS = 1_795_500_000_000L;

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("lake-erasure-beside-tailer-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void theErasureHoldsTheFollowingTailerOffAndBronzeEndsWithEveryOtherPaymentOnce() throws Exception {
        final Path data = dir.resolve("data");
        final StringBuilder seed = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            seed.append(payment(i, i < 40 ? "c-gone" : "c-" + i % 9));
        }
        Files.writeString(dir.resolve("seed.jsonl"), seed, StandardCharsets.UTF_8);
        assertEquals(0, ModuleJvm.run(dir, "ops", OPS, List.of(), "score", "seed.jsonl", "--data", data.toString()));

        final Lake lake = new Lake(data.resolve("lake").toString());
        lake.fitSession(spark);
        final ChildJvm tailer = ModuleJvm.start(dir, "lake-tailer", TAILER, List.of(), "--data", data.toString(),
            "--interval-ms", "100");
        final ChildJvm scorer = ModuleJvm.start(dir, "ops", OPS, List.of(), "score", "-", "--data", data.toString());
        final AtomicBoolean feeding = new AtomicBoolean(true);
        final AtomicLong fed = new AtomicLong();
        final Thread feeder = new Thread(() -> feed(scorer.process().getOutputStream(), feeding, fed), "feeder");
        try {
            tailer.await(Pattern.compile("^following "), 120);
            feeder.start();
            final String decisions = lake.bronze("decisions");
            waitFor(() -> countOnceCommitted(decisions, "c-gone") == 40, "the tailer to load the seed");
            final long before = version(decisions);
            waitFor(() -> version(decisions) >= before + 3, "three more commits of the tailer");

            final List<LakeErasure.Deleted> deleted = new LakeErasure(spark, lake).erase(LakeErasure.Kind.CUSTOMER,
                "c-gone", "test", "beside a tailer", 0, true);

            assertEquals(List.of(new LakeErasure.Deleted("bronze/decisions", 40)), deleted);
            tailer.await(Pattern.compile("^paused: an erasure is deleting from the lake \\(ecap lake erase, "), 10);
            tailer.await(Pattern.compile("^resumed: the erasure ended"), 10);
            final long after = version(decisions);
            waitFor(() -> version(decisions) > after, "the tailer to commit again after the erasure");
        } finally {
            feeding.set(false);
            feeder.join(10_000);
        }
        assertEquals(0, scorer.awaitExit(120), scorer.seen());
        final long journaled = 60 + fed.get();
        waitFor(() -> spark.read().format("delta").load(lake.bronze("decisions")).count() == journaled,
            "the tailer to load all " + journaled + " payments but the erased customer's");
        tailer.terminate();
        assertEquals(0, count(lake.bronze("decisions"), "c-gone"));
        assertEquals(journaled, spark.read().format("delta").load(lake.bronze("decisions"))
            .select("txn_id").distinct().count(), "each payment once");
    }

    /** Feeds the engine 20 payments every 50 ms (400 a second) until told to stop, then ends its input. */
    private static void feed(final OutputStream in, final AtomicBoolean feeding, final AtomicLong fed) {
        try (OutputStream out = in) {
            long i = 100;
            while (feeding.get()) {
                final StringBuilder lines = new StringBuilder();
                for (int k = 0; k < 20; k++, i++) {
                    lines.append(payment(i, "c-" + i % 9));
                }
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                fed.addAndGet(20);
                Thread.sleep(50);
            }
        } catch (final Exception e) {
            throw new IllegalStateException("feeding the engine", e);
        }
    }

    private static String payment(final long i, final String customer) {
        return "{\"txnId\":\"t-" + i + "\",\"ts\":" + (START_MS + i * 1000L) + ",\"customerId\":\"" + customer
            + "\",\"cardId\":\"k-" + customer + "\",\"merchantId\":\"m-1\",\"amount\":\"12.50\","
            + "\"currency\":\"USD\"}\n";
    }

    private static long count(final String table, final String customer) {
        return spark.read().format("delta").load(table).where("customer_id = '" + customer + "'").count();
    }

    /** As {@link #count}, or -1 while the table has no commit yet (its log's folder comes before its first one). */
    private static long countOnceCommitted(final String table, final String customer) {
        try {
            return count(table, customer);
        } catch (final Exception e) { // Scala declares nothing: AnalysisException is checked for javac
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                return -1;
            }
            throw new IllegalStateException(e);
        }
    }

    private static long version(final String table) {
        return DeltaTable.forPath(spark, table).history(1).first().<Long>getAs("version");
    }

    private static void waitFor(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 180_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "waited 180 s for " + what);
            Thread.sleep(200);
        }
    }
}
