package io.ecap.lake;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ecap lake publish}: copies the gold results that services and dashboards read into PostgreSQL serving tables,
 * which the gateway serves read-only ({@code /v1/analytics/...}, {@code /v1/customers/{id}}; docs/ANALYTICS.md).
 *
 * <p>Each table is the newest as-of day of its gold source (up to {@code --as-of}): customers (segment, CLV and churn
 * risk side by side), their last orders, segment sizes, cohorts, revenue and products. Every table is bulk loaded
 * under a name of its own first ({@code <table>_load}); then one transaction puts all of them in place of the ones
 * before and records the run in {@code analytics_publications}: a reader sees the whole previous publication or the
 * whole new one, never a mix, and a run that fails on the way leaves the previous one served.
 */
final class PublishJob {
    static final String OPTIONS = "--as-of --database-url";
    /** The environment variable the service reads {@code cases.database-url} from: the same database by default. */
    static final String URL_VARIABLE = "ECAP_CASES_DATABASE_URL";
    /** Newest orders kept per customer in {@code analytics_customer_orders}. */
    static final int LAST_ORDERS = 5;
    /** Devices kept per customer in {@code analytics_customer_devices}: the ones seen most recently. */
    static final int DEVICES = 10;

    /** One serving table: its name and the SQL over the gold (and silver) views that fills it. */
    private record Table(String name, String sql, String key) {
    }

    /** The options, checked before Spark starts. */
    record Options(LocalDate asOf, Database database) {
        static Options parse(final Map<String, String> options, final Map<String, String> environment) {
            final String given = options.get("--database-url");
            final String url = given != null ? given : environment.get(URL_VARIABLE);
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("--database-url: give the database, postgresql://USER[:PASSWORD]"
                    + "@HOST:PORT/DB (or set " + URL_VARIABLE + ", as for the service's cases.database-url)");
            }
            return new Options(AsOf.notInTheFuture(LakeMain.date(options, "--as-of", null)),
                Database.parse(url, given != null ? "--database-url" : URL_VARIABLE));
        }
    }

    private final SparkSession spark;
    private final Lake lake;

    PublishJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Publishes; returns the tables published with their rows and as-of days, for the summary. */
    List<String> run(final Options options) {
        final Database db = options.database();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.properties())) {
            c.isValid(5);
        } catch (final SQLException e) {
            throw new IllegalStateException("publish: cannot use the database " + db + ": " + e.getMessage());
        }
        try {
            return publish(options);
        } catch (final RuntimeException | SQLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql) {
                    throw new IllegalStateException("publish: the database " + db + " refused the publication (the "
                        + "previous one stays served): " + sql.getMessage(), e);
                }
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private List<String> publish(final Options options) throws SQLException {
        final List<String> published = new ArrayList<>();
        final List<Table> tables = new ArrayList<>();
        final Map<String, LocalDate> asOf = new java.util.LinkedHashMap<>();
        for (final String gold : List.of("customer_segments", "customer_clv", "churn_scores", "segment_sizes",
            "cohort_retention", "revenue_daily", "product_performance", "data_quality", "feature_drift")) {
            final LocalDate day = newest(gold, options.asOf());
            if (day != null) {
                asOf.put(gold, day);
            }
        }
        if (!asOf.containsKey("customer_segments") && !asOf.containsKey("customer_clv")
            && !asOf.containsKey("churn_scores")) {
            throw new IllegalArgumentException("publish: no customer_segments, customer_clv or churn_scores in "
                + lake.root() + "/gold" + (options.asOf() == null ? "" : " on or before " + options.asOf())
                + ": run ecap lake rfm, clv or churn (or all) first");
        }
        tables.add(new Table("analytics_customers", customers(asOf), "customer_id"));
        tables.addAll(churnLive(asOf, options.asOf()));
        if (DeltaWrites.exists(spark, lake.silver("transactions"))) {
            spark.read().format("delta").load(lake.silver("transactions")).createOrReplaceTempView("silver_txns");
            final String upTo = options.asOf() == null ? "" : " AND event_date <= DATE'" + options.asOf() + "'";
            // a silver table made before devices were kept (or by an import that has none) has no device column
            final boolean devices = Arrays.asList(spark.table("silver_txns").columns()).contains("device_id");
            tables.add(new Table("analytics_customer_orders", "SELECT customer_id, txn_id, event_ts, amount, "
                + "currency, merchant_id, " + (devices ? "device_id" : "CAST(NULL AS STRING) AS device_id")
                + ", decision FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY event_ts DESC, "
                + "journal_index DESC) AS n FROM silver_txns WHERE true" + upTo + ") WHERE n <= " + LAST_ORDERS,
                null));
            if (devices) {
                tables.add(new Table("analytics_customer_devices", "SELECT customer_id, device_id, payments, "
                    + "not_approved, first_seen, last_seen FROM (SELECT *, row_number() OVER (PARTITION BY "
                    + "customer_id ORDER BY last_seen DESC, device_id) AS n FROM (SELECT customer_id, device_id, "
                    + "count(*) AS payments, count_if(decision <> 'APPROVE') AS not_approved, min(event_ts) AS "
                    + "first_seen, max(event_ts) AS last_seen FROM silver_txns WHERE customer_id IS NOT NULL AND "
                    + "device_id IS NOT NULL" + upTo + " GROUP BY customer_id, device_id)) WHERE n <= " + DEVICES,
                    "customer_id, device_id"));
            }
        }
        for (final String gold : List.of("segment_sizes", "cohort_retention", "revenue_daily", "product_performance",
            "data_quality", "feature_drift")) {
            if (asOf.containsKey(gold)) {
                tables.add(new Table("analytics_" + gold, "SELECT * FROM " + gold, null));
            }
        }
        final Database db = options.database();
        final List<Long> rows = new ArrayList<>();
        final List<List<String>> instants = new ArrayList<>();
        for (final Table table : tables) {
            final Dataset<Row> data = spark.sql(table.sql()).cache();
            rows.add(data.count());
            final List<String> times = timestamps(data);
            instants.add(times);
            Dataset<Row> out = data;
            for (final String column : times) {
                out = out.withColumn(column, org.apache.spark.sql.functions.expr("unix_micros(" + column + ")"));
            }
            out.write().mode(SaveMode.Overwrite).option("batchsize", 10_000).option("truncate", false)
                .jdbc(db.jdbcUrl(), table.name() + "_load", db.properties());
            data.unpersist();
        }
        swap(db, tables, instants, rows, asOf);
        for (int i = 0; i < tables.size(); i++) {
            final String source = tables.get(i).name().substring("analytics_".length());
            published.add(String.format("%s %,d rows%s", tables.get(i).name(), rows.get(i), asOf.containsKey(source)
                ? " (as of " + asOf.get(source) + ")" : ""));
        }
        return published;
    }

    /**
     * The timestamp columns. They travel as microseconds since the epoch and become {@code TIMESTAMP WITH TIME ZONE}
     * in the swap: instants whatever the time zone of the JVM that publishes (the JDBC driver would write a Spark
     * timestamp as that zone's local time into a plain TIMESTAMP column, read back as UTC).
     */
    private static List<String> timestamps(final Dataset<Row> data) {
        final List<String> columns = new ArrayList<>();
        for (final org.apache.spark.sql.types.StructField field : data.schema().fields()) {
            if (field.dataType() instanceof org.apache.spark.sql.types.TimestampType) {
                columns.add(field.name());
            }
        }
        return columns;
    }

    /** Registers the newest partition on or before {@code asOf} of a gold table as a view; its day, or null. */
    LocalDate newest(final String gold, final LocalDate asOf) {
        if (!DeltaWrites.exists(spark, lake.gold(gold))) {
            return null;
        }
        final Dataset<Row> all = spark.read().format("delta").load(lake.gold(gold));
        final Dataset<Row> upTo = asOf == null ? all : all.where("as_of <= DATE'" + asOf + "'");
        final Row max = upTo.selectExpr("max(as_of)").first();
        if (max.isNullAt(0)) {
            return null;
        }
        final LocalDate day = max.getDate(0).toLocalDate();
        upTo.where("as_of = DATE'" + day + "'").createOrReplaceTempView(gold);
        return day;
    }

    /** Segment, CLV and churn risk of every customer any of the three knows, at each one's newest as-of day. */
    String customers(final Map<String, LocalDate> asOf) {
        final String segments = asOf.containsKey("customer_segments")
            ? "SELECT customer_id, segment, rfm, recency_days, frequency, monetary, currency AS segment_currency, "
                + "as_of AS segment_as_of FROM customer_segments"
            : "SELECT CAST(NULL AS STRING) customer_id, CAST(NULL AS STRING) segment, CAST(NULL AS STRING) rfm, "
                + "CAST(NULL AS INT) recency_days, CAST(NULL AS BIGINT) frequency, CAST(NULL AS DECIMAL(28,4)) "
                + "monetary, CAST(NULL AS STRING) segment_currency, CAST(NULL AS DATE) segment_as_of WHERE false";
        final String clv = asOf.containsKey("customer_clv")
            ? "SELECT customer_id, orders, revenue, CAST(round(predicted_clv, 4) AS DECIMAL(28,4)) AS predicted_clv, "
                + "probability_alive, expected_purchases, "
                + "currency AS clv_currency, as_of AS clv_as_of FROM customer_clv"
            : "SELECT CAST(NULL AS STRING) customer_id, CAST(NULL AS BIGINT) orders, CAST(NULL AS DECIMAL(28,4)) "
                + "revenue, CAST(NULL AS DECIMAL(28,4)) predicted_clv, CAST(NULL AS DOUBLE) probability_alive, "
                + "CAST(NULL AS DOUBLE) expected_purchases, CAST(NULL AS STRING) clv_currency, "
                + "CAST(NULL AS DATE) clv_as_of WHERE false";
        final String churn = asOf.containsKey("churn_scores")
            ? "SELECT customer_id, churn_probability, model_version AS churn_model, as_of AS churn_as_of "
                + "FROM churn_scores"
            : "SELECT CAST(NULL AS STRING) customer_id, CAST(NULL AS DOUBLE) churn_probability, "
                + "CAST(NULL AS STRING) churn_model, CAST(NULL AS DATE) churn_as_of WHERE false";
        return "SELECT * FROM (" + segments + ") s FULL OUTER JOIN (" + clv + ") c USING (customer_id) "
            + "FULL OUTER JOIN (" + churn + ") h USING (customer_id)";
    }

    /**
     * What the gateway scores churn again from, as of now ({@code /v1/customers/{id}}, docs/ANALYTICS.md): the churn
     * model of the published scores' day with its numbers as JSON arrays, its currency, what it counted, and the dated
     * rates into its currency ({@code analytics_churn_model}, one row); each customer's purchase days
     * ({@code analytics_churn_basis}). None when the scores or the model come from an ECAP that did not keep them.
     */
    private List<Table> churnLive(final Map<String, LocalDate> asOf, final LocalDate upTo) {
        final LocalDate day = asOf.get("churn_scores");
        if (day == null || !day.equals(newest("churn_models", upTo))
            || !Arrays.asList(spark.table("churn_models").columns()).contains("through_journal_index")
            || !Arrays.asList(spark.table("churn_scores").columns()).contains("recent_spend")) {
            return List.of();
        }
        asOf.put("churn_model", day);
        asOf.put("churn_basis", day);
        final String currency = spark.table("churn_models").first().getAs("currency");
        String rates = "CAST(NULL AS STRING)";
        if (DeltaWrites.exists(spark, lake.silver("exchange_rates"))) {
            spark.read().format("delta").load(lake.silver("exchange_rates")).createOrReplaceTempView("publish_rates");
            rates = "(SELECT to_json(collect_list(named_struct('currency', from_currency, 'day', rate_date, 'rate', "
                + "CAST(rate AS STRING)))) FROM publish_rates WHERE to_currency = '" + currency + "')";
        }
        return List.of(new Table("analytics_churn_model", "SELECT model_version, horizon_days, to_json(features) AS "
            + "features, to_json(feature_means) AS feature_means, to_json(feature_stds) AS feature_stds, "
            + "to_json(coefficients) AS coefficients, intercept, currency, purchase_source, counted_decisions, "
            + "through_journal_index, " + rates + " AS rates, as_of FROM churn_models", null),
            new Table("analytics_churn_basis", "SELECT customer_id, first_purchase, last_purchase, purchase_days, "
                + "spend, recent_spend FROM churn_scores", "customer_id"));
    }

    /** Puts every loaded table in place of the served one, and records the publication, in one transaction. */
    private static void swap(final Database db, final List<Table> tables, final List<List<String>> instants,
        final List<Long> rows, final Map<String, LocalDate> asOf) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.properties())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS analytics_publications (name TEXT PRIMARY KEY, rows BIGINT NOT "
                    + "NULL, as_of DATE, published_at TIMESTAMPTZ NOT NULL)");
                for (int i = 0; i < tables.size(); i++) {
                    final Table table = tables.get(i);
                    for (final String column : instants.get(i)) {
                        s.execute("ALTER TABLE " + table.name() + "_load ALTER COLUMN " + column + " TYPE "
                            + "TIMESTAMP WITH TIME ZONE USING TIMESTAMP WITH TIME ZONE 'epoch' + " + column
                            + " * INTERVAL '1 microsecond'");
                    }
                    s.execute("DROP TABLE IF EXISTS " + table.name());
                    s.execute("ALTER TABLE " + table.name() + "_load RENAME TO " + table.name());
                    if (table.key() != null) {
                        s.execute("ALTER TABLE " + table.name() + " ADD PRIMARY KEY (" + table.key() + ")");
                    }
                }
                if (tables.stream().anyMatch(t -> t.name().equals("analytics_customer_orders"))) {
                    s.execute("CREATE INDEX analytics_customer_orders_customer ON analytics_customer_orders "
                        + "(customer_id, event_ts DESC)");
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO analytics_publications VALUES (?, ?, ?, now()) "
                + "ON CONFLICT (name) DO UPDATE SET rows = EXCLUDED.rows, as_of = EXCLUDED.as_of, "
                + "published_at = EXCLUDED.published_at")) {
                for (int i = 0; i < tables.size(); i++) {
                    final String name = tables.get(i).name();
                    final LocalDate day = asOf.get(name.substring("analytics_".length()));
                    p.setString(1, name);
                    p.setLong(2, rows.get(i));
                    p.setObject(3, day != null ? day : newestOf(asOf));
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
    }

    private static LocalDate newestOf(final Map<String, LocalDate> asOf) {
        return asOf.values().stream().max(LocalDate::compareTo).orElse(null);
    }
}
