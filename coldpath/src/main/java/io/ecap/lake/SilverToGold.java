package io.ecap.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Silver → the fraud gold tables, rebuilt whole on each run (overwrite; Delta keeps the previous versions):
 *
 * <ul>
 *   <li>{@code gold/fraud_kpis_daily}: per event date and merchant, transactions and their amount in USD (the
 *   engine's own conversion, the {@code txn.amount_usd} feature, so currencies add up), REVIEW and DECLINE
 *   counts and rates, transactions labelled so far, confirmed fraud (the latest label per transaction is FRAUD) and
 *   its rate over the labelled ones (null until a label arrives).</li>
 *   <li>{@code gold/merchant_risk_daily}: per event date and merchant, the mean decision score, the share of REVIEW
 *   and DECLINE, the confirmed fraud rate, and a risk band: {@code high} when a tenth or more of the labelled
 *   transactions are fraud or a fifth or more are declined, {@code elevated} from half those, else {@code normal}.</li>
 * </ul>
 */
public final class SilverToGold {
    private final SparkSession spark;
    private final Lake lake;

    public SilverToGold(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Builds both tables; returns the rows of the KPI table. */
    public long run() {
        spark.read().format("delta").load(lake.silver("transactions")).createOrReplaceTempView("silver_transactions");
        final boolean labels = io.delta.tables.DeltaTable.isDeltaTable(spark, lake.silver("labels"));
        if (labels) {
            spark.read().format("delta").load(lake.silver("labels")).createOrReplaceTempView("silver_labels");
        } else {
            spark.sql("SELECT CAST(NULL AS STRING) AS txn_id, CAST(NULL AS STRING) AS label, "
                + "CAST(NULL AS TIMESTAMP) AS event_ts, CAST(NULL AS BIGINT) AS journal_index WHERE false")
                .createOrReplaceTempView("silver_labels");
        }
        final Dataset<Row> kpis = spark.sql(String.join("\n",
            "WITH verdict AS (",
            "  SELECT txn_id, label FROM (SELECT txn_id, label, row_number() OVER (PARTITION BY txn_id",
            "    ORDER BY event_ts DESC, journal_index DESC) AS nth FROM silver_labels) WHERE nth = 1)",
            "SELECT t.event_date, t.merchant_id,",
            "  count(*) AS transactions, sum(t.features['txn.amount_usd']) AS amount_usd,",
            "  sum(CASE WHEN t.decision = 'REVIEW' THEN 1 ELSE 0 END) AS reviewed,",
            "  sum(CASE WHEN t.decision = 'DECLINE' THEN 1 ELSE 0 END) AS declined,",
            "  sum(CASE WHEN t.decision = 'REVIEW' THEN 1 ELSE 0 END) / count(*) AS review_rate,",
            "  sum(CASE WHEN t.decision = 'DECLINE' THEN 1 ELSE 0 END) / count(*) AS decline_rate,",
            "  count(v.label) AS labelled,",
            "  sum(CASE WHEN v.label = 'FRAUD' THEN 1 ELSE 0 END) AS confirmed_fraud,",
            "  CASE WHEN count(v.label) = 0 THEN NULL",
            "    ELSE sum(CASE WHEN v.label = 'FRAUD' THEN 1 ELSE 0 END) / count(v.label) END AS confirmed_fraud_rate,",
            "  avg(t.score) AS mean_score",
            "FROM silver_transactions t LEFT JOIN verdict v ON t.txn_id = v.txn_id",
            "GROUP BY t.event_date, t.merchant_id"));
        kpis.cache();
        try {
            kpis.drop("mean_score").write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                .partitionBy("event_date").save(lake.gold("fraud_kpis_daily"));
            kpis.selectExpr("event_date", "merchant_id", "transactions", "mean_score",
                "(reviewed + declined) / transactions AS flagged_share", "confirmed_fraud_rate",
                "CASE WHEN coalesce(confirmed_fraud_rate, 0) >= 0.10 OR decline_rate >= 0.20 THEN 'high'"
                    + " WHEN coalesce(confirmed_fraud_rate, 0) >= 0.05 OR decline_rate >= 0.10 THEN 'elevated'"
                    + " ELSE 'normal' END AS risk_band")
                .write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                .partitionBy("event_date").save(lake.gold("merchant_risk_daily"));
            return kpis.count();
        } finally {
            kpis.unpersist();
        }
    }
}
