package io.ecap.lake;

import io.ecap.analytics.fraud.MerchantRisk;
import io.ecap.model.report.Chart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The report's fraud section, from silver's transactions and labels, gold {@code fraud_kpis_daily} and, when one is
 * given, the ground truth of generated traffic (JSON lines {@code {"txnId":..,"scenario":..}}, one per fraudulent
 * payment, as {@code ecap generate --truth} and {@code ecap demo} write it): decisions over time, catch rate per
 * scenario, precision and recall, the reasons given, the score distribution of fraud and legitimate payments and
 * the riskiest merchants. "Caught" is REVIEW or DECLINE. Fraud is the ground truth when given, else a chargeback
 * (the latest label per transaction is FRAUD).
 */
final class FraudCharts {
    private static final int MERCHANT_DAYS = SilverToGold.RISK_DAYS;

    private final SparkSession spark;
    private final Lake lake;
    private final String truth;

    /** @param truth the ground-truth file, or null */
    FraudCharts(final SparkSession spark, final Lake lake, final String truth) {
        this.spark = spark;
        this.lake = lake;
        this.truth = truth;
    }

    /** The section's charts; missing ones say why. */
    List<Chart> charts() {
        if (!DeltaWrites.exists(spark, lake.silver("transactions"))) {
            return List.of(Chart.missing("fraud-trend", "Decisions over time",
                "Not computed yet: run ecap lake bronze-to-silver."));
        }
        outcomes();
        final List<Chart> charts = new ArrayList<>(List.of(trend(), scenarios(), precision(), reasons(), scores()));
        charts.add(merchants());
        return charts;
    }

    /** The view {@code fraud_outcomes}: a row per transaction with whether it was caught, charged back, fraud. */
    private void outcomes() {
        spark.read().format("delta").load(lake.silver("transactions")).createOrReplaceTempView("fraud_txns");
        if (DeltaWrites.exists(spark, lake.silver("labels"))) {
            spark.read().format("delta").load(lake.silver("labels")).createOrReplaceTempView("fraud_labels");
        } else {
            spark.sql("SELECT CAST(NULL AS STRING) AS txn_id, CAST(NULL AS STRING) AS label, "
                + "CAST(NULL AS TIMESTAMP) AS event_ts, CAST(NULL AS BIGINT) AS journal_index WHERE false")
                .createOrReplaceTempView("fraud_labels");
        }
        if (truth != null) {
            spark.read().schema("txnId STRING, scenario STRING").json(truth).createOrReplaceTempView("fraud_truth");
        } else {
            spark.sql("SELECT CAST(NULL AS STRING) AS txnId, CAST(NULL AS STRING) AS scenario WHERE false")
                .createOrReplaceTempView("fraud_truth");
        }
        spark.sql(String.join("\n",
            "WITH verdict AS (",
            "  SELECT txn_id, label FROM (SELECT txn_id, label, row_number() OVER (PARTITION BY txn_id",
            "    ORDER BY event_ts DESC, journal_index DESC) AS nth FROM fraud_labels) WHERE nth = 1)",
            "SELECT t.txn_id, t.merchant_id, t.event_date, t.decision, t.score, t.reasons,",
            "  t.decision <> 'APPROVE' AS caught, coalesce(v.label = 'FRAUD', false) AS charged_back,",
            "  g.scenario, " + (truth != null ? "g.scenario IS NOT NULL" : "coalesce(v.label = 'FRAUD', false)")
                + " AS fraud",
            "FROM fraud_txns t LEFT JOIN verdict v ON t.txn_id = v.txn_id",
            "  LEFT JOIN (SELECT DISTINCT txnId, scenario FROM fraud_truth) g ON t.txn_id = g.txnId"))
            .createOrReplaceTempView("fraud_outcomes");
    }

    private String fraudIs() {
        return truth != null ? "fraud (ground truth)" : "fraud (charged back)";
    }

    private Chart trend() {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : spark.sql("SELECT date_format(event_date, 'yyyy-MM') AS month, count(*) AS n,"
            + " avg(CASE WHEN decision = 'DECLINE' THEN 1D ELSE 0D END), avg(CASE WHEN decision = 'REVIEW' THEN 1D"
            + " ELSE 0D END), avg(CASE WHEN fraud THEN 1D ELSE 0D END) FROM fraud_outcomes GROUP BY 1 ORDER BY 1")
            .collectAsList()) {
            bars.add(new Chart.Bar(r.getString(0) + " (" + String.format(Locale.ROOT, "%,d", r.getLong(1)) + ")",
                List.of(r.getDouble(2), r.getDouble(3), r.getDouble(4))));
        }
        return new Chart("fraud-trend", "Decisions over time", "Per month (payments in brackets): the share of "
            + "payments declined, sent to review, and fraud.", List.of("declined", "reviewed", fraudIs()), bars,
            "percent");
    }

    private Chart scenarios() {
        if (truth == null) {
            return Chart.missing("fraud-scenarios", "Catch rate per fraud scenario", "Needs the ground truth of "
                + "generated traffic: ecap lake report --truth FILE (ecap demo writes data/demo/truth.jsonl, ecap "
                + "generate --truth FILE).");
        }
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : spark.sql("SELECT scenario, count(*), count_if(caught) FROM fraud_outcomes"
            + " WHERE scenario IS NOT NULL GROUP BY scenario ORDER BY scenario").collectAsList()) {
            bars.add(new Chart.Bar(String.format(Locale.ROOT, "%s (%,d of %,d)", r.getString(0), r.getLong(2),
                r.getLong(1)), List.of((double) r.getLong(2) / r.getLong(1))));
        }
        return new Chart("fraud-scenarios", "Catch rate per fraud scenario", "The share of each scenario's "
            + "payments caught (REVIEW or DECLINE), from the ground truth " + truth + ".", List.of("caught"), bars,
            "percent");
    }

    private Chart precision() {
        final Row r = spark.sql("SELECT count_if(caught AND scenario IS NOT NULL), count_if(caught),"
            + " count_if(scenario IS NOT NULL), count_if(caught AND charged_back), count_if(charged_back)"
            + " FROM fraud_outcomes").first();
        final List<String> series = new ArrayList<>();
        final List<Double> precision = new ArrayList<>();
        final List<Double> recall = new ArrayList<>();
        if (truth != null) {
            series.add("against the ground truth");
            precision.add(ratio(r.getLong(0), r.getLong(1)));
            recall.add(ratio(r.getLong(0), r.getLong(2)));
        }
        series.add("against chargebacks");
        precision.add(ratio(r.getLong(3), r.getLong(1)));
        recall.add(ratio(r.getLong(3), r.getLong(4)));
        final List<Chart.Bar> bars = List.of(new Chart.Bar("precision", precision), new Chart.Bar("recall", recall));
        final String known = truth == null ? ""
            : String.format(Locale.ROOT, " Ground truth: %,d fraudulent payments.", r.getLong(2));
        return new Chart("fraud-precision", "Precision and recall", String.format(Locale.ROOT, "Precision: of the "
            + "%,d payments caught, the share that were fraud; recall: of the fraud, the share caught.%s Chargebacks "
            + "come days after a payment and not for all fraud: against them, precision is a lower bound.",
            r.getLong(1), known), series, bars, "percent");
    }

    private Chart reasons() {
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : spark.sql("SELECT reason.code, count_if(fraud), count_if(NOT fraud) FROM"
            + " (SELECT explode(reasons) AS reason, fraud FROM fraud_outcomes WHERE caught)"
            + " GROUP BY reason.code ORDER BY count(*) DESC, reason.code LIMIT 10").collectAsList()) {
            bars.add(new Chart.Bar(r.getString(0), List.of((double) r.getLong(1), (double) r.getLong(2))));
        }
        return new Chart("fraud-reasons", "Top reasons", "The ten reasons given most often with a REVIEW or "
            + "DECLINE, on fraud and on legitimate payments.", List.of(fraudIs(), "legitimate"), bars, "count");
    }

    private Chart scores() {
        final long[][] counts = new long[10][2];
        for (final Row r : spark.sql("SELECT least(9, CAST(floor(score / 100) AS INT)) AS b, fraud, count(*)"
            + " FROM fraud_outcomes GROUP BY 1, 2").collectAsList()) {
            counts[r.getInt(0)][r.getBoolean(1) ? 1 : 0] = r.getLong(2);
        }
        final long[] totals = new long[2];
        for (final long[] c : counts) {
            totals[0] += c[0];
            totals[1] += c[1];
        }
        if (totals[1] == 0) {
            return Chart.missing("fraud-scores", "Score distribution by outcome", "No payment is known to be fraud: "
                + (truth != null ? "the ground truth names none of these transactions."
                : "no chargeback or analyst label in the lake yet (generated data: pass --truth FILE)."));
        }
        final List<Chart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bars.add(new Chart.Bar(i * 100 + "–" + (i == 9 ? 1000 : i * 100 + 99), Arrays.asList(ratio(counts[i][1],
                totals[1]), ratio(counts[i][0], totals[0]))));
        }
        return new Chart("fraud-scores", "Score distribution by outcome", String.format(Locale.ROOT, "The share of "
            + "fraudulent (%,d) and legitimate (%,d) payments in each score band; REVIEW from 400, DECLINE from 700 "
            + "with the default rules.", totals[1], totals[0]), List.of(fraudIs(), "legitimate"), bars, "percent");
    }

    private Chart merchants() {
        if (!DeltaWrites.exists(spark, lake.gold("fraud_kpis_daily"))) {
            return Chart.missing("fraud-merchants", "Merchant risk", "Not computed yet: run ecap lake silver-to-gold.");
        }
        final Dataset<Row> kpis = spark.read().format("delta").load(lake.gold("fraud_kpis_daily"));
        final Row last = kpis.selectExpr("max(event_date)").first();
        if (last.isNullAt(0)) {
            return Chart.missing("fraud-merchants", "Merchant risk", "No transactions yet.");
        }
        final String since = "date_sub(DATE'" + last.getDate(0) + "', " + (MERCHANT_DAYS - 1) + ")";
        final List<Chart.Bar> bars = new ArrayList<>();
        for (final Row r : kpis.where("event_date >= " + since).groupBy("merchant_id").agg(
                org.apache.spark.sql.functions.expr("sum(transactions)").as("n"),
                org.apache.spark.sql.functions.expr("sum(reviewed + declined) / sum(transactions)").as("flagged"),
                org.apache.spark.sql.functions.expr("sum(declined)").as("declined"),
                org.apache.spark.sql.functions.expr("sum(confirmed_fraud) / sum(transactions)").as("charged"),
                org.apache.spark.sql.functions.expr("sum(confirmed_fraud)").as("fraud"))
            .where("n >= " + MerchantRisk.MIN_PAYMENTS).orderBy(org.apache.spark.sql.functions.desc("flagged"),
                org.apache.spark.sql.functions.col("merchant_id")).limit(10).collectAsList()) {
            final long payments = r.getLong(1);
            final String band = MerchantRisk.band(payments, r.getLong(5), r.getLong(3));
            bars.add(new Chart.Bar(String.format(Locale.ROOT, "%s · %s · %,d payments", r.getString(0), band,
                payments), List.of(r.getDouble(2), r.getDouble(4))));
        }
        return new Chart("fraud-merchants", "Merchant risk", String.format(Locale.ROOT, "The ten merchants with the "
            + "largest share of payments caught over the %d days to %s (at least %d payments), with the share of "
            + "payments confirmed as fraud and the risk band, on each rate's lower 95%% bound (Wilson) so that a few "
            + "payments cannot make a merchant look risky: high at 2%% or more of payments fraud or 20%% declined, "
            + "elevated at 1%% or 10%%.", MERCHANT_DAYS, last.getDate(0), MerchantRisk.MIN_PAYMENTS),
            List.of("caught", "confirmed fraud"), bars, "percent");
    }

    private static Double ratio(final long part, final long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
