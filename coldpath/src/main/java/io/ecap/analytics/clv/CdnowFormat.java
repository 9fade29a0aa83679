package io.ecap.analytics.clv;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Transaction files in the CDNOW format (the sample the BG/NBD papers and {@code lifetimes} use): one purchase per
 * line, whitespace-separated: the customer's master id, their sample id, the date as {@code yyyyMMdd}, the number of
 * items and the amount. Customers are named by their sample id.
 */
public final class CdnowFormat {
    private CdnowFormat() {
    }

    /**
     * The purchases of a file as customer_id, purchase_date, amount. A line that does not fit the format stops the
     * read with its text: an analyst's export with a wrong column must not be fitted silently.
     */
    public static Dataset<Row> read(final SparkSession spark, final String path) {
        final Dataset<Row> parsed = spark.read().text(path).where("trim(value) <> ''")
            .selectExpr("value", "split(trim(value), '\\\\s+') AS f")
            .selectExpr("value", "size(f) AS fields", "f[1] AS customer_id",
                "to_date(f[2], 'yyyyMMdd') AS purchase_date", "try_cast(f[4] AS DOUBLE) AS amount");
        final Row bad = parsed.where("fields <> 5 OR purchase_date IS NULL OR amount IS NULL OR amount < 0")
            .select("value").limit(1).collectAsList().stream().findFirst().orElse(null);
        if (bad != null) {
            throw new IllegalArgumentException(path + ": not a CDNOW line (master id, sample id, yyyyMMdd, items, "
                + "amount): '" + bad.getString(0) + "'");
        }
        return parsed.select("customer_id", "purchase_date", "amount");
    }
}
