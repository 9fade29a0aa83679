package io.ecap.lake;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The gold tables the warm path keeps current as decisions arrive, in tumbling event-time windows:
 * <ul>
 *   <li>{@code decisions_per_minute}: per minute and outcome, the number of decisions and their mean score;</li>
 *   <li>{@code alerts_per_merchant_hour}: per hour and merchant, the REVIEW and DECLINE decisions;</li>
 *   <li>{@code amount_per_channel_hour}: per hour, channel and currency, transactions and their amount.</li>
 * </ul>
 * Each refresh takes the hours the new decisions fall in, recomputes those windows from {@code bronze/kafka_decisions}
 * (once per transaction, should a duplicate have slipped past the stream's de-duplication window) and MERGEs them
 * in, replacing what was there. A window is therefore always exact, however late its data arrives,
 * no streaming state is kept for it, and a refresh run twice changes nothing.
 */
final class WindowedGold {
    private final SparkSession spark;
    private final Lake lake;

    WindowedGold(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Recomputes every window of the hours {@code fresh} (rows just written to bronze) falls in. */
    void refresh(final Dataset<Row> fresh) {
        final List<Row> hours = fresh.selectExpr("date_format(date_trunc('HOUR', event_ts), 'yyyy-MM-dd HH:mm:ss')",
            "CAST(to_date(event_ts) AS STRING)").distinct().collectAsList();
        final String hourList = hours.stream().map(r -> "TIMESTAMP'" + r.getString(0) + "'").distinct()
            .collect(Collectors.joining(", "));
        final String dateList = hours.stream().map(r -> "DATE'" + r.getString(1) + "'").distinct()
            .collect(Collectors.joining(", "));
        spark.read().format("delta").load(lake.bronze(WarmTopic.DECISIONS.table()))
            .where("event_date IN (" + dateList + ") AND date_trunc('HOUR', event_ts) IN (" + hourList + ")")
            .selectExpr("*", "row_number() OVER (PARTITION BY event_id ORDER BY kafka_ts, kafka_offset) AS nth")
            .where("nth = 1").createOrReplaceTempView("touched_decisions");
        DeltaWrites.upsert(spark, spark.sql(String.join("\n",
            "SELECT date_trunc('MINUTE', event_ts) AS minute, decision, count(*) AS decisions,",
            "  round(avg(score), 2) AS mean_score, to_date(date_trunc('MINUTE', event_ts)) AS event_date,",
            "  current_timestamp() AS updated_at",
            "FROM touched_decisions GROUP BY 1, 2")), lake.gold("decisions_per_minute"),
            "t.event_date = s.event_date AND t.minute = s.minute AND t.decision <=> s.decision");
        DeltaWrites.upsert(spark, spark.sql(String.join("\n",
            "SELECT date_trunc('HOUR', event_ts) AS hour, merchant_id, count(*) AS alerts,",
            "  count_if(decision = 'REVIEW') AS reviews, count_if(decision = 'DECLINE') AS declines,",
            "  to_date(date_trunc('HOUR', event_ts)) AS event_date, current_timestamp() AS updated_at",
            "FROM touched_decisions WHERE decision IN ('REVIEW', 'DECLINE') GROUP BY 1, 2")),
            lake.gold("alerts_per_merchant_hour"),
            "t.event_date = s.event_date AND t.hour = s.hour AND t.merchant_id <=> s.merchant_id");
        DeltaWrites.upsert(spark, spark.sql(String.join("\n",
            "SELECT date_trunc('HOUR', event_ts) AS hour, coalesce(channel, 'UNKNOWN') AS channel, currency,",
            "  count(*) AS transactions, sum(try_cast(amount AS DECIMAL(18,4))) AS amount,",
            "  to_date(date_trunc('HOUR', event_ts)) AS event_date, current_timestamp() AS updated_at",
            "FROM touched_decisions GROUP BY 1, 2, 3")), lake.gold("amount_per_channel_hour"),
            "t.event_date = s.event_date AND t.hour = s.hour AND t.channel = s.channel AND t.currency <=> s.currency");
    }
}
