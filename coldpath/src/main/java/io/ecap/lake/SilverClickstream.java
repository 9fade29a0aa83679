package io.ecap.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Bronze user events → silver {@code user_events} (checked, typed, once per event id: the earliest journal entry
 * wins) and silver {@code sessions}, one row per clickstream session:
 * <ul>
 *   <li>{@code customer_id}: the customer the session is known to belong to (null while anonymous);</li>
 *   <li>{@code channel} and {@code campaign}: of the first event, and the first campaign touch;</li>
 *   <li>{@code started_at}, {@code ended_at}, {@code duration_seconds}, {@code events};</li>
 *   <li>a count per event type, {@code converted} (a purchase happened), {@code revenue} (purchase amounts) and
 *       {@code currency};</li>
 *   <li>{@code event_date}: the day the session started (its month is the partition).</li>
 * </ul>
 * The sessions that new events belong to are recomputed from all their silver events and MERGEd: a session that
 * grew since the last run is replaced, the others are not read or rewritten.
 */
final class SilverClickstream {
    static final String EVENT_TYPES = "'page_view', 'search', 'product_view', 'add_to_cart', 'remove_from_cart', "
        + "'checkout_start', 'purchase'";

    private final SparkSession spark;
    private final Lake lake;
    private final SilverMarks marks;

    SilverClickstream(final SparkSession spark, final Lake lake, final SilverMarks marks) {
        this.spark = spark;
        this.lake = lake;
        this.marks = marks;
    }

    void run() {
        final SilverMarks.Slice slice = marks.newRows("user_events");
        if (slice.isEmpty()) {
            return;
        }
        slice.rows().createOrReplaceTempView("bronze_user_events");
        final Dataset<Row> checked = spark.sql(String.join("\n",
            "SELECT *, CASE",
            "  WHEN event_id IS NULL OR event_id = '' THEN 'event_id is missing'",
            "  WHEN session_id IS NULL OR session_id = '' THEN 'session_id is missing'",
            "  WHEN event_type IS NULL OR event_type NOT IN (" + EVENT_TYPES + ")",
            "    THEN concat('event_type is unknown: ', coalesce(event_type, 'null'))",
            "  WHEN amount IS NOT NULL AND (try_cast(amount AS DECIMAL(18,4)) IS NULL"
                + " OR try_cast(amount AS DECIMAL(18,4)) < 0) THEN concat('amount is not a non-negative number: ', "
                + "amount)",
            "  WHEN amount IS NOT NULL AND (currency IS NULL OR currency NOT RLIKE '^[A-Z]{3}$') THEN "
                + "concat('currency is not ISO 4217: ', coalesce(currency, 'null'))",
            "  END AS problem",
            "FROM bronze_user_events"));
        checked.cache();
        try {
            BronzeToSilver.quarantine(spark, lake, checked, "user_events");
            final Dataset<Row> valid = checked.where("problem IS NULL").selectExpr("event_id", "session_id",
                "customer_id", "event_type", "product_id", "channel", "campaign",
                "CAST(amount AS DECIMAL(18,4)) AS amount", "currency", "event_ts", "event_date", "journal_index",
                "row_number() OVER (PARTITION BY event_id ORDER BY journal_index) AS nth")
                .where("nth = 1").drop("nth");
            DeltaWrites.insertNew(spark, valid, lake.silver("user_events"), "t.event_id = s.event_id");
        } finally {
            checked.unpersist();
        }
        spark.read().format("delta").load(lake.silver("user_events")).createOrReplaceTempView("silver_user_events");
        DeltaWrites.upsert(spark, spark.sql(String.join("\n",
            "SELECT session_id, max(customer_id) AS customer_id,",
            "  min_by(channel, struct(event_ts, journal_index)) AS channel,",
            "  min_by(campaign, struct(event_ts, journal_index)) FILTER (WHERE campaign IS NOT NULL) AS campaign,",
            "  min(event_ts) AS started_at, max(event_ts) AS ended_at,",
            "  unix_timestamp(max(event_ts)) - unix_timestamp(min(event_ts)) AS duration_seconds,",
            "  count(*) AS events,",
            "  count_if(event_type = 'page_view') AS page_views, count_if(event_type = 'search') AS searches,",
            "  count_if(event_type = 'product_view') AS product_views,",
            "  count_if(event_type = 'add_to_cart') AS add_to_carts,",
            "  count_if(event_type = 'remove_from_cart') AS removes_from_cart,",
            "  count_if(event_type = 'checkout_start') AS checkout_starts,",
            "  count_if(event_type = 'purchase') AS purchases, count_if(event_type = 'purchase') > 0 AS converted,",
            "  coalesce(sum(amount) FILTER (WHERE event_type = 'purchase'), 0) AS revenue,",
            "  max(currency) FILTER (WHERE event_type = 'purchase') AS currency,",
            "  to_date(min(event_ts)) AS event_date, current_timestamp() AS updated_at",
            "FROM silver_user_events",
            "WHERE session_id IN (SELECT DISTINCT session_id FROM bronze_user_events)",
            "GROUP BY session_id")), lake.silver("sessions"), "t.session_id = s.session_id");
        marks.taken(slice);
    }
}
