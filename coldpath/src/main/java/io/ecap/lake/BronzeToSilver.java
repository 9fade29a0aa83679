package io.ecap.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Bronze → silver for transactions (with their decisions) and labels, and through {@link SilverClickstream} and
 * {@link SilverCatalog} for user events, sessions and the daily product catalogue: typed, checked and de-duplicated.
 * A row that fails a check goes to {@code silver/quarantine} with the table it was for and the reason; it never
 * vanishes.
 *
 * <p>Every write is a MERGE on the row's key (a transaction's {@code txn_id}; a label's {@code txn_id} and
 * {@code source}; a quarantined row's table, journal index and reason), so a rerun changes nothing and a transaction
 * that reached bronze twice (by the journal and by another path) is in silver once: the earliest journal entry wins.
 * Each run reads only the bronze rows after the ones it took last time ({@link SilverMarks}): a run with nothing new
 * writes nothing and reads no data.
 */
public final class BronzeToSilver {
    private final SparkSession spark;
    private final Lake lake;
    private final SilverMarks marks;

    public BronzeToSilver(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
        this.marks = new SilverMarks(spark, lake);
    }

    /** Runs every table bronze has; returns the rows now in silver transactions. */
    public long run() {
        if (exists(lake.bronze("decisions"))) {
            transactions();
        }
        if (exists(lake.bronze("labels"))) {
            labels();
        }
        if (exists(lake.bronze("user_events"))) {
            new SilverClickstream(spark, lake, marks).run();
        }
        if (exists(lake.bronze("product_updates"))) {
            new SilverCatalog(spark, lake, marks).run();
        }
        return exists(lake.silver("transactions")) ? spark.read().format("delta").load(lake.silver("transactions"))
            .count() : 0;
    }

    private void transactions() {
        final SilverMarks.Slice slice = marks.newRows("decisions");
        if (slice.isEmpty()) {
            return;
        }
        slice.rows().createOrReplaceTempView("bronze_decisions");
        final String features = BronzeFeatures.asMap(spark, lake, slice.rows().schema());
        final Dataset<Row> checked = spark.sql(String.join("\n",
            "SELECT *, CASE",
            "  WHEN txn_id IS NULL OR txn_id = '' THEN 'txn_id is missing'",
            "  WHEN customer_id IS NULL OR customer_id = '' THEN 'customer_id is missing'",
            "  WHEN try_cast(amount AS DECIMAL(18,4)) IS NULL THEN concat('amount is not a number: ', coalesce(amount, "
                + "'null'))",
            "  WHEN try_cast(amount AS DECIMAL(18,4)) < 0 THEN concat('amount is negative: ', amount)",
            "  WHEN currency IS NULL OR currency NOT RLIKE '^[A-Z]{3}$' THEN concat('currency is not ISO 4217: ', "
                + "coalesce(currency, 'null'))",
            "  WHEN decision NOT IN ('APPROVE', 'REVIEW', 'DECLINE') OR decision IS NULL THEN concat('decision is "
                + "unknown: ', coalesce(decision, 'null'))",
            "  WHEN score IS NULL OR score < 0 OR score > 1000 THEN 'score is outside 0..1000'",
            "  END AS problem",
            "FROM bronze_decisions"));
        checked.cache();
        try {
            quarantine(spark, lake, checked, "transactions");
            final Dataset<Row> valid = checked.where("problem IS NULL").selectExpr(
                "txn_id", "customer_id", "card_id", "merchant_id", "device_id", "ip",
                "CAST(amount AS DECIMAL(18,4)) AS amount", "currency", "country", "channel", "decision", "score",
                "rule_set_version", "model_version", "reasons", features, "event_ts", "event_date",
                "journal_index",
                "row_number() OVER (PARTITION BY txn_id ORDER BY journal_index) AS nth")
                .where("nth = 1").drop("nth");
            DeltaWrites.insertNew(spark, valid, lake.silver("transactions"), "t.txn_id = s.txn_id");
            BronzeFeatures.remember(spark, lake);
        } finally {
            checked.unpersist();
        }
        marks.taken(slice);
    }

    private void labels() {
        final SilverMarks.Slice slice = marks.newRows("labels");
        if (slice.isEmpty()) {
            return;
        }
        slice.rows().createOrReplaceTempView("bronze_labels");
        final Dataset<Row> checked = spark.sql(String.join("\n",
            "SELECT *, CASE",
            "  WHEN txn_id IS NULL OR txn_id = '' THEN 'txn_id is missing'",
            "  WHEN label NOT IN ('FRAUD', 'LEGIT') OR label IS NULL THEN concat('label is unknown: ', "
                + "coalesce(label, 'null'))",
            "  WHEN source NOT IN ('CHARGEBACK', 'ANALYST') OR source IS NULL THEN concat('source is unknown: ', "
                + "coalesce(source, 'null'))",
            "  END AS problem",
            "FROM bronze_labels"));
        checked.cache();
        try {
            quarantine(spark, lake, checked, "labels");
            final Dataset<Row> valid = checked.where("problem IS NULL").selectExpr("txn_id", "label", "source",
                "event_ts", "event_date", "journal_index",
                "row_number() OVER (PARTITION BY txn_id, source ORDER BY event_ts DESC, journal_index DESC) AS nth")
                .where("nth = 1").drop("nth");
            DeltaWrites.insertNew(spark, valid, lake.silver("labels"),
                "t.txn_id = s.txn_id AND t.source = s.source");
        } finally {
            checked.unpersist();
        }
        marks.taken(slice);
    }

    /** Puts the rows of {@code checked} whose {@code problem} is set in silver/quarantine, once each. */
    static void quarantine(final SparkSession spark, final Lake lake, final Dataset<Row> checked, final String table) {
        final Dataset<Row> bad = checked.where("problem IS NOT NULL").selectExpr("'" + table + "' AS target_table",
            "journal_index", "problem AS reason", "raw", "current_timestamp() AS quarantined_at");
        DeltaWrites.insertNew(spark, bad, lake.silver("quarantine"), "t.target_table = s.target_table "
            + "AND t.journal_index = s.journal_index AND t.reason = s.reason");
    }

    private boolean exists(final String path) {
        return DeltaWrites.exists(spark, path);
    }
}
