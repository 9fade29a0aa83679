package io.ecap.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the customer analytics count as purchases: the approved transactions in silver, with their amount in USD
 * (the engine's own conversion, the {@code txn.amount_usd} feature) so currencies add up. Declined and reviewed
 * payments did not happen, as far as a customer's value goes.
 */
final class Purchases {
    private Purchases() {
    }

    /** customer_id, purchase_date, amount. */
    static Dataset<Row> of(final SparkSession spark, final Lake lake, final String job) {
        if (!DeltaWrites.exists(spark, lake.silver("transactions"))) {
            throw new IllegalArgumentException(job + ": no silver/transactions in " + lake.root()
                + " (run bronze-to-silver first)");
        }
        return spark.read().format("delta").load(lake.silver("transactions")).where("decision = 'APPROVE'")
            .selectExpr("customer_id", "event_date AS purchase_date", "features['txn.amount_usd'] AS amount");
    }
}
