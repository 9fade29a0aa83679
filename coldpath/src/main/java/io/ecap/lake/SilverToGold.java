package io.ecap.lake;

import io.ecap.analytics.fraud.MerchantRisk;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/**
 * Silver → the fraud gold tables, rebuilt whole on each run (overwrite; Delta keeps the previous versions):
 *
 * <ul>
 *   <li>{@code gold/fraud_kpis_daily}: per event date and merchant, transactions and their amounts, exact, in each
 *   currency ({@code amount_by_currency}: currency → sum of silver's decimal amounts; payments in different
 *   currencies are never added up here, see {@link ExchangeRates} for a reporting currency), REVIEW and DECLINE
 *   counts and rates, transactions labelled so far, confirmed fraud (the latest label per transaction is FRAUD) and
 *   its rate over the labelled ones (null until a label arrives).</li>
 *   <li>{@code gold/merchant_risk_daily}: per event date and merchant, the mean decision score, the share of REVIEW
 *   and DECLINE, the confirmed fraud rate, the payments, declines and confirmed fraud of the 30 days ending that day,
 *   and the risk band of those 30 days by {@link MerchantRisk} (the report's rule: {@code unrated} under 30
 *   payments, each rate at the lower end of its 95% Wilson interval).</li>
 * </ul>
 */
public final class SilverToGold {
    /** Days of payments behind each day's merchant risk band (as the report's merchant chart). */
    static final int RISK_DAYS = 30;
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
            "    ORDER BY event_ts DESC, journal_index DESC) AS nth FROM silver_labels) WHERE nth = 1),",
            "money AS (",
            "  SELECT event_date, merchant_id, map_from_entries(collect_list(struct(currency, amount)))",
            "    AS amount_by_currency FROM (SELECT event_date, merchant_id, currency, sum(amount) AS amount",
            "    FROM silver_transactions GROUP BY event_date, merchant_id, currency)",
            "  GROUP BY event_date, merchant_id)",
            "SELECT t.event_date, t.merchant_id,",
            "  count(*) AS transactions, first(m.amount_by_currency) AS amount_by_currency,",
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
            "  JOIN money m ON t.event_date = m.event_date AND t.merchant_id = m.merchant_id",
            "GROUP BY t.event_date, t.merchant_id"));
        kpis.cache();
        try {
            kpis.drop("mean_score").write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                .save(lake.gold("fraud_kpis_daily"));
            spark.udf().register("merchant_risk_band", (UDF3<Long, Long, Long, String>) MerchantRisk::band,
                DataTypes.StringType);
            kpis.createOrReplaceTempView("gold_kpis");
            spark.sql(String.join("\n",
                "SELECT event_date, merchant_id, transactions, mean_score,",
                "  (reviewed + declined) / transactions AS flagged_share, confirmed_fraud_rate,",
                "  payments_30d, declined_30d, confirmed_fraud_30d,",
                "  merchant_risk_band(payments_30d, confirmed_fraud_30d, declined_30d) AS risk_band",
                "FROM (SELECT *,",
                "  sum(transactions) OVER last_30_days AS payments_30d,",
                "  sum(declined) OVER last_30_days AS declined_30d,",
                "  sum(confirmed_fraud) OVER last_30_days AS confirmed_fraud_30d",
                "  FROM gold_kpis",
                "  WINDOW last_30_days AS (PARTITION BY merchant_id ORDER BY unix_date(event_date)",
                "    RANGE BETWEEN " + (RISK_DAYS - 1) + " PRECEDING AND CURRENT ROW))"))
                .write().format("delta").mode("overwrite").option("overwriteSchema", "true")
                .save(lake.gold("merchant_risk_daily"));
            return kpis.count();
        } finally {
            kpis.unpersist();
        }
    }
}
