package io.ecap.lake;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Dated exchange rates in the lake, {@code silver/exchange_rates} (rate_date, from_currency, to_currency, rate as
 * {@code DECIMAL(20,10)}), loaded from a user's file ({@link RatesFile}), and the conversion of transactions into a
 * reporting currency with them. These are the analytics' rates; the engine's fixed rates stay with the risk features
 * (the {@code txn.amount_usd} feature).
 *
 * <p>A transaction on day D in currency C is converted with the pair C → reporting currency's rate of the latest
 * {@code rate_date} on or before D (a weekend takes Friday's rate), multiplied exactly and rounded half up to the
 * reporting currency's minor units. Without such a rate it is not converted: the caller leaves it out and says so.
 * A transaction already in the reporting currency keeps its amount.
 */
final class ExchangeRates {
    static final StructType SCHEMA = (StructType) DataType.fromDDL(
        "rate_date DATE, from_currency STRING, to_currency STRING, rate DECIMAL(20,10)");

    private ExchangeRates() {
    }

    /** MERGEs the rates into the lake's table (a rate already there for the day and pair is replaced). */
    static long load(final SparkSession spark, final Lake lake, final List<RatesFile.Rate> rates) {
        final List<Row> rows = rates.stream().map(r -> RowFactory.create(Date.valueOf(r.date()), r.from(), r.to(),
            r.rate())).toList();
        DeltaWrites.upsert(spark, spark.createDataFrame(rows, SCHEMA), lake.silver("exchange_rates"),
            "t.rate_date = s.rate_date AND t.from_currency = s.from_currency AND t.to_currency = s.to_currency");
        return spark.read().format("delta").load(lake.silver("exchange_rates")).count();
    }

    /**
     * @param transactions rows with txn_id, currency, amount (decimal) and event_date
     * @param rates the rates table, or null when the lake has none
     * @param reporting the reporting currency; {@code minorDigits} its decimal places
     * @return the transactions with {@code rate} (1 in the reporting currency; null without a rate) and
     *     {@code converted} ({@code DECIMAL(18,4)}, null without a rate)
     */
    static Dataset<Row> convert(final Dataset<Row> transactions, final Dataset<Row> rates, final String reporting,
        final int minorDigits) {
        final Dataset<Row> rated;
        if (rates == null) {
            rated = transactions.withColumn("rate", expr("CASE WHEN currency = '" + reporting
                + "' THEN CAST(1 AS DECIMAL(20,10)) END"));
        } else {
            final Dataset<Row> pair = rates.where(col("to_currency").equalTo(reporting))
                .select("from_currency", "rate_date", "rate");
            final Dataset<Row> best = transactions.where(col("currency").notEqual(reporting))
                .select("txn_id", "currency", "event_date")
                .join(broadcast(pair), col("from_currency").equalTo(col("currency"))
                    .and(col("rate_date").leq(col("event_date"))))
                .groupBy("txn_id").agg(expr("max_by(rate, rate_date)").as("dated_rate"));
            rated = transactions.join(best, transactions.col("txn_id").equalTo(best.col("txn_id")), "left")
                .drop(best.col("txn_id"))
                .withColumn("rate", expr("CASE WHEN currency = '" + reporting + "' THEN CAST(1 AS DECIMAL(20,10))"
                    + " ELSE dated_rate END")).drop("dated_rate");
        }
        return rated.withColumn("converted", expr("CAST(round(amount * rate, " + minorDigits
            + ") AS DECIMAL(18,4))"));
    }
}
