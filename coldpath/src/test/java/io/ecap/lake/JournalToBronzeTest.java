package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Journal → bronze on local[2] with staged files shaped as {@code ecap export-lake} writes them. */
class JournalToBronzeTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = Lake.session("journal-to-bronze-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void loadsEveryEntryOnceThroughACrashBetweenTablesAReexportAndOrphanFiles() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake").toString());
        final Path staging = Files.createDirectories(dir.resolve("lake").resolve("_journal"));
        stage(staging, 1, 6, List.of(
            "{\"index\":1,\"type\":\"rule-set\",\"ts\":\"2026-11-02T00:00:00Z\",\"actor\":\"bundled default\","
                + "\"text\":\"rule x\"}",
            scored(2, "t-1", "c-1", "APPROVE", "2026-11-02T10:00:00Z", 12.5),
            scored(3, "t-2", "c-2", "DECLINE", "2026-11-02T23:59:59Z", 980.0),
            "{\"index\":4,\"type\":\"label\",\"ts\":\"2026-11-05T08:00:00Z\",\"label\":{\"txnId\":\"t-2\","
                + "\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\",\"ts\":\"2026-11-05T08:00:00Z\"}}",
            "{\"index\":5,\"type\":\"user-event\",\"ts\":\"2026-11-02T09:59:00Z\",\"event\":{\"eventId\":\"e-1\","
                + "\"type\":\"page_view\",\"sessionId\":\"s-1\",\"customerId\":\"c-1\",\"channel\":\"WEB\"}}",
            "{\"index\":6,\"type\":\"product-update\",\"ts\":\"2026-11-01T00:00:00Z\",\"update\":{\"productId\":"
                + "\"p-1\",\"price\":\"4.58\",\"currency\":\"USD\",\"stock\":172,\"category\":\"garden\"}}"));
        stage(staging, 7, 8, List.of(scored(7, "t-3", "c-1", "REVIEW", "2026-11-03T01:00:00Z", 99.0),
            scored(8, "t-4", "c-3", "APPROVE", "2026-11-03T02:00:00Z", 5.0)));
        final String firstFile = Files.readString(staging.resolve(name(1, 6)));

        // a crash right after the decisions of both staged files are committed (one commit), before the other tables
        final JournalToBronze crashing = new JournalToBronze(spark, lake, (table, version) -> {
            if (table == BronzeTable.DECISIONS) {
                throw new IllegalStateException("crash after " + table + " " + version);
            }
        });
        assertThrows(IllegalStateException.class, crashing::runOnce);
        assertEquals(4, count(lake, "decisions"));
        assertFalse(Files.exists(dir.resolve("lake").resolve("bronze").resolve("labels")));
        assertTrue(Files.exists(staging.resolve(name(1, 6))), "a file stays staged until every table has it");

        // data files written but never committed (a crash inside a write) are not part of the table
        final Path someParquet;
        try (Stream<Path> files = Files.walk(dir.resolve("lake").resolve("bronze").resolve("decisions"))) {
            someParquet = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.copy(someParquet, someParquet.resolveSibling("part-99999-orphan.snappy.parquet"));

        final JournalToBronze second = new JournalToBronze(spark, lake);
        assertEquals(8, second.runOnce());
        assertEquals(4, count(lake, "decisions"), "the decisions already loaded are not loaded again");
        assertEquals(java.util.Map.of("labels", 1L, "user_events", 1L, "product_updates", 1L, "config_changes", 1L),
            second.added(), "rows added: the entries the tables did not have (the decisions were committed)");
        for (final String table : List.of("labels", "user_events", "product_updates", "config_changes")) {
            assertEquals(1, count(lake, table), table);
        }
        try (Stream<Path> left = Files.list(staging)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".jsonl")), "loaded files removed");
        }

        // the same file staged again (an export that crashed before noting its position): nothing changes
        Files.writeString(staging.resolve(name(1, 6)), firstFile);
        final JournalToBronze again = new JournalToBronze(spark, lake);
        assertEquals(6, again.runOnce(), "read again");
        assertEquals(java.util.Map.of(), again.added(), "and nothing added");
        assertEquals(4, count(lake, "decisions"));
        assertEquals(1, count(lake, "labels"));

        final Row declined = spark.read().format("delta").load(lake.bronze("decisions")).where("txn_id = 't-2'")
            .selectExpr("customer_id", "decision", "score", "features[0]", "cast(event_date AS STRING)",
                "journal_index", "raw").first();
        assertEquals("c-2", declined.getString(0));
        assertEquals("DECLINE", declined.getString(1));
        assertEquals(980.0, declined.getDouble(3), "the feature values the engine used ride along");
        assertEquals(List.of("txn.amount_usd", "card.amount_zscore"), io.ecap.model.storage.FeatureNames.parse(
            Files.readString(Path.of(lake.root(), io.ecap.model.storage.FeatureNames.FILE))),
            "named once for the lake, in the array's order");
        assertEquals("2026-11-02", declined.getString(4), "partitioned by the event's UTC date");
        assertEquals(3L, declined.getLong(5));
        assertTrue(declined.getString(6).startsWith("{\"index\":3,"), "raw keeps the entry as written");
    }

    /**
     * {@code journal-to-bronze --every-seconds}, in a JVM of its own: loads what is staged, then what is staged while
     * it follows, and on SIGTERM stops after the load in hand with status 0 and the total (it ended with 143).
     */
    @Test
    void aFollowerLoadsWhatIsStagedAndStopsCleanlyOnSigterm() throws Exception {
        final Path staging = Files.createDirectories(dir.resolve("follow/lake/_journal"));
        stage(staging, 1, 1, List.of(scored(1, "t-1", "c-1", "APPROVE", "2026-11-02T10:00:00Z", 12.5)));
        final Path target = Path.of(System.getProperty("ecap.root"), "coldpath", "target");
        final String classPath = target.resolve("classes") + java.io.File.pathSeparator
            + Files.readString(target.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
        final io.ecap.testing.ChildJvm follower = io.ecap.testing.ChildJvm.start(dir, classPath, List.of("-Xmx512m",
            "-Dspark.master=local[1]"), "io.ecap.lake.LakeMain", List.of("journal-to-bronze", "--data",
            dir.resolve("follow").toString(), "--every-seconds", "1"));
        try {
            follower.await(java.util.regex.Pattern.compile("following .*_journal"), 120);
            follower.await(java.util.regex.Pattern.compile("read 1 staged entries, rows added: \\{decisions=1}"), 120);
            stage(staging, 2, 3, List.of(scored(2, "t-2", "c-2", "DECLINE", "2026-11-02T23:59:59Z", 980.0),
                scored(3, "t-3", "c-1", "REVIEW", "2026-11-03T01:00:00Z", 99.0)));
            follower.await(java.util.regex.Pattern.compile("read 2 staged entries"), 120);
            follower.process().toHandle().destroy();
            assertEquals(0, follower.awaitExit(120), follower.seen());
            assertTrue(follower.seen().contains("journal-to-bronze: stopped; read 3 staged entries in all"),
                follower.seen());
        } finally {
            follower.process().destroyForcibly();
        }
        assertEquals(3, spark.read().format("delta").load(dir.resolve("follow/lake/bronze/decisions").toString())
            .count());
    }

    /**
     * {@code bronze-to-silver --every-seconds}, in a JVM of its own: one Spark session, a cycle after each interval
     * that takes the bronze rows loaded since the last, a line for each cycle that added transactions, and a clean
     * stop on SIGTERM.
     */
    @Test
    void aSilverFollowerTakesWhatBronzeGainsAndStopsCleanlyOnSigterm() throws Exception {
        final Lake lake = new Lake(dir.resolve("silver-follow/lake").toString());
        final Path staging = Files.createDirectories(dir.resolve("silver-follow/lake/_journal"));
        stage(staging, 1, 1, List.of(scored(1, "t-1", "c-1", "APPROVE", "2026-11-02T10:00:00Z", 12.5)));
        new JournalToBronze(spark, lake).runOnce();
        final Path target = Path.of(System.getProperty("ecap.root"), "coldpath", "target");
        final String classPath = target.resolve("classes") + java.io.File.pathSeparator
            + Files.readString(target.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
        final io.ecap.testing.ChildJvm follower = io.ecap.testing.ChildJvm.start(dir, classPath, List.of("-Xmx512m",
            "-Dspark.master=local[1]"), "io.ecap.lake.LakeMain", List.of("bronze-to-silver", "--data",
            dir.resolve("silver-follow").toString(), "--every-seconds", "1"));
        try {
            follower.await(java.util.regex.Pattern.compile("following .*bronze into"), 120);
            follower.await(java.util.regex.Pattern.compile("1 transactions in .*transactions, cycle"), 180);
            stage(staging, 2, 3, List.of(scored(2, "t-2", "c-2", "DECLINE", "2026-11-02T23:59:59Z", 980.0),
                scored(3, "t-3", "c-1", "REVIEW", "2026-11-03T01:00:00Z", 99.0)));
            new JournalToBronze(spark, lake).runOnce();
            follower.await(java.util.regex.Pattern.compile("3 transactions in .* \\(2 new\\), cycle"), 180);
            follower.process().toHandle().destroy();
            assertEquals(0, follower.awaitExit(120), follower.seen());
            assertTrue(follower.seen().contains("bronze-to-silver: stopped"), follower.seen());
        } finally {
            follower.process().destroyForcibly();
        }
        assertEquals(980.0, spark.read().format("delta").load(lake.silver("transactions")).where("txn_id = 't-2'")
            .selectExpr("features['txn.amount_usd']").first().getDouble(0), "named again in silver");
    }

    /** Silver refuses a names file that no longer says what the names it used said (edited by hand: reordered). */
    @Test
    void silverRefusesFeatureNamesThatChangedUnderIt() throws Exception {
        final Lake lake = new Lake(dir.resolve("renamed").toString());
        final Path staging = Files.createDirectories(dir.resolve("renamed").resolve("_journal"));
        stage(staging, 1, 1, List.of(scored(1, "t-1", "c-1", "APPROVE", "2026-11-02T10:00:00Z", 12.5)));
        new JournalToBronze(spark, lake).runOnce();
        assertEquals(1, new BronzeToSilver(spark, lake).run());
        stage(staging, 2, 2, List.of(scored(2, "t-2", "c-2", "DECLINE", "2026-11-02T23:59:59Z", 980.0)));
        new JournalToBronze(spark, lake).runOnce();
        final Path names = Path.of(lake.root(), io.ecap.model.storage.FeatureNames.FILE);
        Files.writeString(names, "card.amount_zscore\ntxn.amount_usd\n");
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new BronzeToSilver(spark, lake).run());
        assertTrue(e.getMessage().contains("feature-names.txt (against the names silver used before")
            && e.getMessage().contains("names other features"), e.getMessage());
        assertEquals(1, spark.read().format("delta").load(lake.silver("transactions")).count(), "nothing written");
        Files.writeString(names, "txn.amount_usd\n"); // cut short: silver keeps the names it had
        assertEquals(2, new BronzeToSilver(spark, lake).run());
        assertEquals(2, spark.read().format("delta").load(lake.silver("transactions"))
            .where("size(features) = 2").count());
    }

    @Test
    void listChangesLandInTheirOwnTableAndAChallengerAmongTheConfigChanges() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake5").toString());
        final Path staging = Files.createDirectories(dir.resolve("lake5").resolve("_journal"));
        stage(staging, 1, 3, List.of("{\"index\":1,\"type\":\"list-change\",\"ts\":\"2026-11-02T10:00:00Z\","
            + "\"actor\":\"ann\",\"list\":\"block\",\"kind\":\"bin\",\"op\":\"add\",\"value\":\"400000-409999\","
            + "\"reason\":\"compromised issuer\",\"streamId\":\"1795500000000-0\"}",
            scored(2, "t-1", "c-1", "DECLINE", "2026-11-02T10:00:01Z", 12.5),
            "{\"index\":3,\"type\":\"shadow-rule-set\",\"ts\":\"2026-11-02T11:00:00Z\",\"actor\":\"lead\","
                + "\"text\":\"rule y\"}"));
        assertEquals(3, new JournalToBronze(spark, lake).runOnce());
        final Row change = spark.read().format("delta").load(lake.bronze("list_changes")).selectExpr("journal_index",
            "list", "kind", "op", "value", "reason", "actor", "stream_id", "cast(event_date AS STRING)").first();
        assertEquals("[1,block,bin,add,400000-409999,compromised issuer,ann,1795500000000-0,2026-11-02]",
            change.toString());
        assertEquals(1, count(lake, "decisions"));
        assertEquals("[shadow-rule-set,lead]", spark.read().format("delta").load(lake.bronze("config_changes"))
            .selectExpr("kind", "actor").first().toString(), "a challenger that went into the shadow");
    }

    @Test
    void aColumnAddedByANewerVersionAppearsBesideTheOldRows() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake3").toString());
        // a table written by an older version that did not keep the channel of user events
        spark.sql("SELECT 1L AS journal_index, timestamp'2026-11-01 10:00:00' AS event_ts, date'2026-11-01' AS "
            + "event_date, 'e-0' AS event_id, 's-0' AS session_id, 'c-0' AS customer_id, 'page_view' AS event_type, "
            + "CAST(NULL AS STRING) AS product_id, '{}' AS raw").write().format("delta").partitionBy("event_date")
            .save(lake.bronze("user_events"));
        final Path staging = Files.createDirectories(dir.resolve("lake3").resolve("_journal"));
        stage(staging, 2, 2, List.of("{\"index\":2,\"type\":\"user-event\",\"ts\":\"2026-11-02T09:59:00Z\","
            + "\"event\":{\"eventId\":\"e-1\",\"type\":\"page_view\",\"sessionId\":\"s-1\",\"channel\":\"APP\"}}"));
        new JournalToBronze(spark, lake).runOnce();
        final List<Row> rows = spark.read().format("delta").load(lake.bronze("user_events"))
            .orderBy("journal_index").select("event_id", "channel").collectAsList();
        assertEquals(2, rows.size());
        assertEquals("e-0", rows.get(0).getString(0));
        assertTrue(rows.get(0).isNullAt(1), "the old row reads back, without the new column's value");
        assertEquals("APP", rows.get(1).getString(1));
    }

    @Test
    void theChallengersDecisionLandsInItsOwnColumnsNullWhileNoneWasInTheShadow() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake4").toString());
        final Path staging = Files.createDirectories(dir.resolve("lake4").resolve("_journal"));
        final String withShadow = scored(2, "t-2", "c-1", "APPROVE", "2026-11-02T10:01:00Z", 150.0)
            .replace(",\"features\":", ",\"shadow\":{\"txnId\":\"t-2\",\"decision\":\"DECLINE\",\"score\":300,"
                + "\"reasons\":[{\"code\":\"BIG\",\"detail\":\"d\",\"value\":null}],\"ruleSetVersion\":\"strict@1\","
                + "\"modelVersion\":\"none\",\"engineNanos\":0,\"journalIndex\":2},\"features\":")
            .replace("\"channel\":\"WEB\"}", "\"channel\":\"WEB\",\"bin\":\"41111122\"}");
        stage(staging, 1, 2, List.of(scored(1, "t-1", "c-1", "APPROVE", "2026-11-02T10:00:00Z", 150.0), withShadow));
        new JournalToBronze(spark, lake).runOnce();
        final List<Row> rows = spark.read().format("delta").load(lake.bronze("decisions")).orderBy("journal_index")
            .selectExpr("decision", "shadow_decision", "shadow_score", "shadow_rule_set_version",
                "shadow_model_version", "bin").collectAsList();
        assertTrue(rows.get(0).isNullAt(5), "no BIN given");
        assertEquals("41111122", rows.get(1).getString(5), "the card's BIN");
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).isNullAt(1) && rows.get(0).isNullAt(2), "no challenger: " + rows.get(0));
        assertEquals("APPROVE", rows.get(1).getString(0));
        assertEquals("DECLINE", rows.get(1).getString(1));
        assertEquals(300, rows.get(1).getInt(2));
        assertEquals("strict@1", rows.get(1).getString(3));
        assertEquals("none", rows.get(1).getString(4));
    }

    @Test
    void twoRunsAtOnceLoadEveryEntryOnce() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake4").toString());
        final Path staging = Files.createDirectories(dir.resolve("lake4").resolve("_journal"));
        for (int file = 0; file < 3; file++) {
            final List<String> lines = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                final long index = file * 20L + i;
                lines.add(scored(index, "t-" + index, "c-" + i % 4, "APPROVE", "2026-11-02T10:00:00Z", 1.0));
            }
            stage(staging, file * 20L + 1, file * 20L + 20, lines);
        }
        final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> runs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            final Thread run = new Thread(() -> {
                try {
                    new JournalToBronze(spark, lake).runOnce();
                } catch (final Exception | Error e) {
                    failures.add(e);
                }
            });
            runs.add(run);
            run.start();
        }
        for (final Thread run : runs) {
            run.join();
        }
        // a run that lost a commit race (or found its files gone) fails; the next run finishes what is left
        new JournalToBronze(spark, lake).runOnce();
        final Row counts = spark.read().format("delta").load(lake.bronze("decisions"))
            .selectExpr("count(*)", "count(DISTINCT journal_index)").first();
        assertEquals(60L, counts.getLong(0), "failures of the racing runs: " + failures);
        assertEquals(60L, counts.getLong(1));
    }

    @Test
    void anEntryThatCannotBeReadStopsTheJobAndStaysStaged() throws Exception {
        final Lake lake = new Lake(dir.resolve("lake2").toString());
        final Path staging = Files.createDirectories(dir.resolve("lake2").resolve("_journal"));
        stage(staging, 1, 2, List.of(scored(1, "t-1", "c-1", "APPROVE", "2026-11-02T10:00:00Z", 1.0),
            "{\"index\":2,\"type\":\"scored\",\"ts\":\"not a time\"}"));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new JournalToBronze(spark, lake).runOnce());
        assertTrue(e.getMessage().contains(name(1, 2)) && e.getMessage().contains("not a time"), e.getMessage());
        assertTrue(Files.exists(staging.resolve(name(1, 2))));
    }

    private static long count(final Lake lake, final String table) {
        return spark.read().format("delta").load(lake.bronze(table)).count();
    }

    private static String scored(final long index, final String txnId, final String customerId,
        final String decision, final String ts, final double amountUsd) {
        return "{\"index\":" + index + ",\"type\":\"scored\",\"ts\":\"" + ts + "\",\"transaction\":{\"txnId\":\""
            + txnId + "\",\"ts\":\"" + ts + "\",\"customerId\":\"" + customerId + "\",\"cardId\":\"k-1\","
            + "\"merchantId\":\"m-1\",\"amount\":\"" + amountUsd + "\",\"currency\":\"USD\",\"channel\":\"WEB\"},"
            + "\"decision\":{\"txnId\":\"" + txnId + "\",\"decision\":\"" + decision + "\",\"score\":"
            + (decision.equals("APPROVE") ? 0 : 800) + ",\"reasons\":[{\"code\":\"X\",\"detail\":\"d\",\"value\":1}],"
            + "\"ruleSetVersion\":\"default@2\",\"modelVersion\":\"none\",\"journalIndex\":" + index + "},"
            + "\"features\":{\"txn.amount_usd\":" + amountUsd + ",\"card.amount_zscore\":null}}";
    }

    private static void stage(final Path staging, final long first, final long last, final List<String> lines)
        throws IOException {
        Files.writeString(staging.resolve(name(first, last)), String.join("\n", lines) + "\n",
            StandardCharsets.UTF_8);
    }

    private static String name(final long first, final long last) {
        return String.format(Locale.ROOT, "%016x-%016x.jsonl", first, last);
    }
}
