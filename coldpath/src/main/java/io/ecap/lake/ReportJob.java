package io.ecap.lake;

import io.ecap.analytics.fraud.FeatureDrift;
import io.ecap.model.report.Chart;
import io.ecap.model.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code report}: the analyst's morning page ({@link Report}) from the gold tables: RFM segments, CLV distribution,
 * churn risk, the purchase funnel, attribution by channel and model, each from its table's latest as-of day; the
 * fraud section ({@link FraudCharts}); data quality. A table not built yet gets a section saying which job builds it.
 */
final class ReportJob {
    private static final double[] CLV_EDGES = {0, 10, 25, 50, 100, 250, 500, 1000};

    private final SparkSession spark;
    private final Lake lake;
    private final Map<String, String> skipped;
    private final String truth;

    /** @param truth the ground truth of generated traffic (see {@link FraudCharts}), or null */
    ReportJob(final SparkSession spark, final Lake lake, final String truth) {
        this(spark, lake, Map.of(), truth);
    }

    /**
     * @param skipped why jobs of this run could not run, by job name: their sections say so
     * @param truth the ground truth of generated traffic (see {@link FraudCharts}), or null
     */
    ReportJob(final SparkSession spark, final Lake lake, final Map<String, String> skipped, final String truth) {
        this.spark = spark;
        this.lake = lake;
        this.skipped = skipped;
        this.truth = truth;
    }

    /** Writes the report to {@code out}; returns the number of charts with data. */
    int run(final Path out) throws IOException {
        final List<Chart> charts = new ArrayList<>(List.of(
            chart("segments", "Customers and revenue by RFM segment", "segment_sizes", "rfm", this::segments),
            chart("clv", "Predicted customer lifetime value", "customer_clv", "clv", this::clv),
            chart("churn", "Churn risk", "churn_scores", "churn", this::churn),
            chart("cohorts", "Retention by acquisition cohort", "cohort_retention", "cohorts", this::cohorts),
            chart("revenue-months", "Revenue by month", "revenue_daily", "revenue", this::revenueByMonth),
            chart("revenue-channels", "Revenue by channel", "revenue_daily", "revenue", this::revenueByChannel),
            chart("funnel", "Purchase funnel", "funnel_daily", "funnels", this::funnel),
            chart("products", "Most viewed products", "product_performance", "products", this::products),
            chart("attribution", "Conversions by channel and attribution model", "attribution_daily",
                "attribution", this::attribution)));
        charts.addAll(new FraudCharts(spark, lake, truth).charts());
        charts.add(driftChart());
        charts.add(chart("quality", "Data quality score by table", "data_quality", "data-quality", this::quality));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Report.html("ECAP customer and fraud report", "Lake " + lake.root(), charts),
            StandardCharsets.UTF_8);
        return (int) charts.stream().filter(c -> !c.bars().isEmpty()).count();
    }

    private Chart chart(final String id, final String title, final String table, final String job,
        final Function<Dataset<Row>, Chart> build) {
        final String why = skipped.containsKey(job) ? "Skipped: " + skipped.get(job)
            : "Not computed yet: run ecap lake " + job + ".";
        if (!DeltaWrites.exists(spark, lake.gold(table))) {
            return Chart.missing(id, title, why);
        }
        Dataset<Row> rows = spark.read().format("delta").load(lake.gold(table));
        if (Arrays.asList(rows.columns()).contains("as_of")) {
            final Row last = rows.selectExpr("max(as_of)").first();
            if (last.isNullAt(0)) {
                return Chart.missing(id, title, why);
            }
            rows = rows.where("as_of = DATE'" + last.getDate(0) + "'");
        }
        return build.apply(rows);
    }

    private Chart segments(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : rows.orderBy(org.apache.spark.sql.functions.desc("revenue")).collectAsList()) {
            bars.add(new Chart.Bar(r.getAs("segment"), List.of(r.<Double>getAs("customer_share"),
                r.<Double>getAs("revenue_share"))));
        }
        return new Chart("segments", "Customers and revenue by RFM segment", asOf(rows) + currency(rows, " (revenue"
            + " in %s)"), List.of("customers", "revenue"), bars, "percent");
    }

    private Chart clv(final Dataset<Row> rows) {
        final StringBuilder bucket = new StringBuilder("CASE");
        for (int i = CLV_EDGES.length - 1; i >= 0; i--) {
            bucket.append(" WHEN predicted_clv >= ").append(CLV_EDGES[i]).append(" THEN ").append(i);
        }
        final long[] counts = new long[CLV_EDGES.length];
        for (final Row r : rows.selectExpr(bucket + " END AS b").groupBy("b").count().collectAsList()) {
            if (!r.isNullAt(0)) {
                counts[r.getInt(0)] = r.getLong(1);
            }
        }
        final List<Chart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            final String label = (i + 1 < CLV_EDGES.length ? String.format(Locale.ROOT, "%.0f–%.0f", CLV_EDGES[i],
                CLV_EDGES[i + 1]) : String.format(Locale.ROOT, "%.0f and more", CLV_EDGES[i])) + currency(rows, " %s");
            bars.add(new Chart.Bar(label, List.of((double) counts[i])));
        }
        final Row total = rows.selectExpr("sum(predicted_clv)", "count(*)").first();
        return new Chart("clv", "Predicted customer lifetime value", String.format(Locale.ROOT,
            "%s: %,d customers, %,.0f%s expected over the horizon (BG/NBD purchases × Gamma-Gamma spend).",
            asOf(rows), total.getLong(1), total.getDouble(0), currency(rows, " %s")), List.of("customers"), bars,
            "count");
    }

    private Chart churn(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        final long[] counts = new long[10];
        for (final Row r : rows.selectExpr("least(9, CAST(floor(churn_probability * 10) AS INT)) AS b")
            .groupBy("b").count().collectAsList()) {
            counts[r.getInt(0)] = r.getLong(1);
        }
        for (int i = 0; i < 10; i++) {
            bars.add(new Chart.Bar((i * 10) + "–" + (i * 10 + 10) + "%", List.of((double) counts[i])));
        }
        String note = asOf(rows) + ": customers by probability of no purchase in the churn horizon.";
        if (DeltaWrites.exists(spark, lake.gold("churn_models"))) {
            final Row model = spark.read().format("delta").load(lake.gold("churn_models")).orderBy(
                org.apache.spark.sql.functions.desc("as_of")).first();
            final int horizonDays = model.<Integer>getAs("horizon_days");
            note = String.format(Locale.ROOT, "%s: customers by probability of no purchase in the next %d days (the "
                + "churn horizon, --horizon-days). Model %s: ROC-AUC %.3f, PR-AUC %.3f on the held-out window.",
                asOf(rows), horizonDays, model.<String>getAs("model_version"), model.<Double>getAs("roc_auc"),
                model.<Double>getAs("pr_auc"));
        }
        return new Chart("churn", "Churn risk", note, List.of("customers"), bars, "count");
    }

    /** Periods a cohort's row of the heatmap shows: its first and the eleven after it. */
    private static final int COHORT_PERIODS = 12;

    /**
     * A heatmap: a row per cohort (the newest twelve), a column per period from the first purchase's, each cell the
     * share of the cohort's customers who bought in that period.
     */
    private Chart cohorts(final Dataset<Row> rows) {
        final Map<String, Double[]> byCohort = new java.util.TreeMap<>();
        final Map<String, Integer> partial = new java.util.HashMap<>();
        // the job keeps monthly and weekly cohorts of a day side by side: the report draws the months when there are
        final String unit = rows.where("period = 'month'").isEmpty() ? "week" : "month";
        for (final Row r : rows.where("period = '" + unit + "' AND period_index < " + COHORT_PERIODS)
            .collectAsList()) {
            final String label = r.getAs("cohort").toString() + " (" + r.<Long>getAs("customers") + ")";
            final int index = r.<Integer>getAs("period_index");
            byCohort.computeIfAbsent(label, k -> new Double[COHORT_PERIODS])[index] = r.<Double>getAs("retention");
            if (!r.<Boolean>getAs("complete")) {
                partial.put(label, index);
            }
        }
        final List<Chart.Bar> bars = new ArrayList<>();
        byCohort.entrySet().stream().skip(Math.max(0, byCohort.size() - 12)).forEach(e -> bars.add(
            new Chart.Bar(e.getKey(), Arrays.asList(e.getValue()), partial.getOrDefault(e.getKey(), -1))));
        final List<String> periods = new ArrayList<>();
        for (int i = 0; i < COHORT_PERIODS; i++) {
            periods.add(unit + " " + i);
        }
        return new Chart("cohorts", "Retention by acquisition cohort", asOf(rows) + ": of the customers whose first "
            + "purchase was in a " + unit + " (their number in brackets), the share that bought in that " + unit
            + " (" + unit + " 0) and in each of the " + (COHORT_PERIODS - 1) + " after it; a period not over yet counts"
            + " so far (marked *, outlined), one not reached is blank.", periods, bars, "percent", Chart.HEATMAP);
    }

    /** The last twelve months of revenue, all channels and countries together, with purchases and new buyers. */
    private Chart revenueByMonth(final Dataset<Row> rows) {
        final List<Row> months = rows.where("channel = 'all' AND country = 'all'")
            .selectExpr("date_format(day, 'yyyy-MM') AS month", "revenue", "purchases", "new_customers")
            .groupBy("month").agg(functions.sum("revenue").as("revenue"), functions.sum("purchases").as("purchases"),
                functions.sum("new_customers").as("new"))
            .orderBy(functions.desc("month")).limit(12).collectAsList();
        final List<Chart.Bar> bars = new ArrayList<>();
        long purchases = 0;
        long fresh = 0;
        for (int i = months.size() - 1; i >= 0; i--) {
            final Row m = months.get(i);
            bars.add(new Chart.Bar(m.getString(0), List.of(m.<java.math.BigDecimal>getAs("revenue").doubleValue())));
            purchases += m.<Long>getAs("purchases");
            fresh += m.<Long>getAs("new");
        }
        return new Chart("revenue-months", "Revenue by month", asOf(rows) + currency(rows, " (revenue in %s)")
            + String.format(Locale.ROOT, ": %,d purchases in the months shown, %,d of the buyers new", purchases,
                fresh), List.of("revenue"), bars, "money");
    }

    /** Revenue of every day up to the as-of day, by channel (purchases without one: unknown). */
    private Chart revenueByChannel(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : rows.where("channel <> 'all'").groupBy("channel")
            .agg(functions.sum("revenue").as("revenue")).orderBy(functions.desc("revenue")).collectAsList()) {
            bars.add(new Chart.Bar(r.getString(0), List.of(r.<java.math.BigDecimal>getAs("revenue").doubleValue())));
        }
        return new Chart("revenue-channels", "Revenue by channel", asOf(rows) + currency(rows, " (revenue in %s)")
            + ": every day up to it", List.of("revenue"), bars, "money");
    }

    private Chart funnel(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : rows.groupBy("funnel", "step_no", "step").agg(org.apache.spark.sql.functions.sum(
            "sessions").as("sessions")).orderBy("funnel", "step_no").collectAsList()) {
            bars.add(new Chart.Bar(r.getString(0) + " " + r.getInt(1) + ". " + r.getString(2),
                List.of((double) r.getLong(3))));
        }
        return new Chart("funnel", "Purchase funnel", asOf(rows) + ": sessions reaching each step in order, all days "
            + "and channels.", List.of("sessions"), bars, "count");
    }

    private Chart attribution(final Dataset<Row> rows) {
        final List<String> models = rows.select("model").distinct().orderBy("model").collectAsList().stream()
            .map(r -> r.getString(0)).toList();
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row channel : rows.select("channel").distinct().orderBy("channel").collectAsList()) {
            final List<Double> values = new ArrayList<>();
            for (final String model : models) {
                values.add(rows.where("channel = '" + channel.getString(0).replace("'", "''") + "' AND model = '"
                    + model + "'").selectExpr("coalesce(sum(conversions), 0D)").first().getDouble(0));
            }
            bars.add(new Chart.Bar(channel.getString(0), values));
        }
        return new Chart("attribution", "Conversions by channel and attribution model", asOf(rows)
            + ": each purchase's credit shared among the campaign touches before it.", models, bars, "count");
    }

    /** The products viewed most in the window, with how many were carted and bought. */
    private Chart products(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : rows.orderBy(functions.desc("views"), functions.asc("product_id")).limit(PRODUCT_BARS)
            .collectAsList()) {
            bars.add(new Chart.Bar(r.<String>getAs("product_id") + (r.getAs("category") == null ? ""
                : " (" + r.getAs("category") + ")"), List.of(r.<Long>getAs("views").doubleValue(),
                r.<Long>getAs("add_to_carts").doubleValue(),
                (double) (r.<Long>getAs("purchases") + r.<Long>getAs("order_lines")))));
        }
        return new Chart("products", "Most viewed products", asOf(rows) + ": the " + bars.size() + " products viewed "
            + "most in the window (ecap lake products, gold product_performance; pairs bought together in gold "
            + "product_pairs)", List.of("views", "add-to-carts", "bought"), bars, "count");
    }

    private static final int PRODUCT_BARS = 10;

    /** The newest fraud model's feature drift (gold feature_drift of the last as-of day), or why there is none. */
    Chart driftChart() {
        return chart("drift", "Feature drift of the newest fraud model", "feature_drift", "drift", this::drift);
    }

    /** The features that moved most since the model's training window (PSI), and how many moved how far. */
    private Chart drift(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : rows.orderBy(functions.desc("psi"), functions.asc("feature")).limit(DRIFT_BARS)
            .collectAsList()) {
            bars.add(new Chart.Bar(r.getAs("feature"), List.of(r.<Double>getAs("psi"))));
        }
        final Row summary = rows.selectExpr("first(model)", "min(reference_from)", "max(reference_to)",
            "min(current_from)", "max(current_to)", "count(*)", "count_if(psi < " + FeatureDrift.MODERATE + ")",
            "count_if(psi >= " + FeatureDrift.LARGE + ")").first();
        final long features = summary.getLong(5);
        final long stable = summary.getLong(6);
        final long large = summary.getLong(7);
        return new Chart("drift", "Feature drift of the newest fraud model", String.format(Locale.ROOT,
            "%s, trained on %s to %s, against %s to %s: %d features, %d stable (PSI below %.2f), %d moderate, %d "
                + "large (%.2f and over: the model sees other traffic than it learned from); the %d that moved most",
            summary.getString(0), summary.getTimestamp(1).toString().substring(0, 10),
            summary.getTimestamp(2).toString().substring(0, 10), summary.getDate(3), summary.getDate(4), features,
            stable, FeatureDrift.MODERATE, features - stable - large, large, FeatureDrift.LARGE,
            Math.min(DRIFT_BARS, features)), List.of("PSI"), bars, "count");
    }

    private static final int DRIFT_BARS = 12;

    private Chart quality(final Dataset<Row> rows) {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : rows.groupBy("table_name").agg(org.apache.spark.sql.functions.first("table_score"))
            .orderBy("table_name").collectAsList()) {
            bars.add(new Chart.Bar(r.getString(0), List.of(r.getDouble(1))));
        }
        final List<String> failed = rows.where("NOT passed").selectExpr("concat(table_name, ' ', check_name, ': ', "
            + "detail)").collectAsList().stream().map(r -> r.getString(0)).toList();
        return new Chart("quality", "Data quality score by table", asOf(rows) + ": "
            + (failed.isEmpty() ? "every check passed." : "failed: " + String.join("; ", failed) + "."),
            List.of("score"), bars, "percent");
    }

    /** The table's currency in {@code format}; empty for a table written before gold carried one. */
    private static String currency(final Dataset<Row> rows, final String format) {
        if (!Arrays.asList(rows.columns()).contains("currency")) {
            return "";
        }
        final Row first = rows.selectExpr("max(currency)").first();
        return first.isNullAt(0) ? "" : String.format(format, first.getString(0));
    }

    private static String asOf(final Dataset<Row> rows) {
        return Arrays.asList(rows.columns()).contains("as_of")
            ? "As of " + rows.selectExpr("max(as_of)").first().get(0) : "All days";
    }
}
