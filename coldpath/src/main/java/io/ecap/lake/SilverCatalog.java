package io.ecap.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Bronze product updates → silver {@code product_catalog_daily}: every product as it stood at the end of each day
 * ({@code event_date}), from its first update to the last day any update was seen. An update may carry only some
 * fields (price, stock, category): each field keeps its last known value until an update changes it. The table is
 * kept by MERGE on (day, product): days whose state changed are replaced, new days inserted, the rest left alone.
 * Updates that fail a check go to silver/quarantine and change nothing.
 */
final class SilverCatalog {
    private final SparkSession spark;
    private final Lake lake;
    private final SilverMarks marks;

    SilverCatalog(final SparkSession spark, final Lake lake, final SilverMarks marks) {
        this.spark = spark;
        this.lake = lake;
        this.marks = marks;
    }

    /** Rebuilds the catalogue from every update when bronze has new ones (a field's value carries over days). */
    void run() {
        final SilverMarks.Slice slice = marks.newRows("product_updates");
        if (slice.isEmpty()) {
            return;
        }
        spark.read().format("delta").load(lake.bronze("product_updates"))
            .createOrReplaceTempView("bronze_product_updates");
        final Dataset<Row> checked = spark.sql(String.join("\n",
            "SELECT *, CASE",
            "  WHEN product_id IS NULL OR product_id = '' THEN 'product_id is missing'",
            "  WHEN price IS NULL AND stock IS NULL AND category IS NULL THEN 'price, stock and category are all "
                + "missing'",
            "  WHEN price IS NOT NULL AND (try_cast(price AS DECIMAL(18,4)) IS NULL"
                + " OR try_cast(price AS DECIMAL(18,4)) < 0) THEN concat('price is not a non-negative number: ', "
                + "price)",
            "  WHEN price IS NOT NULL AND (currency IS NULL OR currency NOT RLIKE '^[A-Z]{3}$') THEN "
                + "concat('currency is not ISO 4217: ', coalesce(currency, 'null'))",
            "  WHEN stock < 0 THEN concat('stock is negative: ', stock)",
            "  END AS problem",
            "FROM bronze_product_updates"));
        checked.cache();
        try {
            BronzeToSilver.quarantine(spark, lake, checked, "product_updates");
            checked.where("problem IS NULL").createOrReplaceTempView("valid_product_updates");
            DeltaWrites.upsert(spark, spark.sql(String.join("\n",
                "WITH state AS (",
                "  SELECT product_id, event_ts, journal_index, to_date(event_ts) AS day,",
                "    last(CAST(price AS DECIMAL(18,4)), true) OVER w AS price,",
                "    last(currency, true) OVER w AS currency,",
                "    last(stock, true) OVER w AS stock, last(category, true) OVER w AS category",
                "  FROM valid_product_updates",
                "  WINDOW w AS (PARTITION BY product_id ORDER BY event_ts, journal_index",
                "    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),",
                "end_of_day AS (",
                "  SELECT *, row_number() OVER (PARTITION BY product_id, day ORDER BY event_ts DESC,"
                    + " journal_index DESC) AS nth",
                "  FROM state),",
                "changes AS (",
                "  SELECT product_id, day, price, currency, stock, category,",
                "    lead(day) OVER (PARTITION BY product_id ORDER BY day) AS next_day",
                "  FROM end_of_day WHERE nth = 1)",
                "SELECT explode(sequence(day, coalesce(date_sub(next_day, 1),",
                "    (SELECT max(to_date(event_ts)) FROM valid_product_updates)))) AS event_date,",
                "  product_id, price, currency, stock, category, current_timestamp() AS updated_at",
                "FROM changes")), lake.silver("product_catalog_daily"),
                "t.event_date = s.event_date AND t.product_id = s.product_id");
        } finally {
            checked.unpersist();
        }
        marks.taken(slice);
    }
}
