package io.ecap.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code import-orders}: a merchant's order history (an export of order lines) into {@code silver/orders}, one row
 * per order line, typed and checked; a line that fails a check goes to {@code silver/orders_quarantine} with the
 * reason and the offending value, and never vanishes.
 *
 * <p>Rules, in the order they are checked (the first that fails is the reason): order id, customer and time present;
 * the time reads with the pattern (times without an offset are in {@code --timezone}, stored as UTC, and the event
 * date is the UTC day); quantity a non-zero whole number; unit price (or the line's total) a non-negative number;
 * a currency (the file's, else {@code --currency}, else the preset's) that ISO 4217 knows; then, unless
 * {@code --returns keep}, cancelled orders (UCI invoices starting with C, a cancelled or refunded status, a
 * cancellation time) and negative quantities (returns). Kept, they are flagged {@code cancelled} or carry their
 * negative quantity, and the analytics leave such orders out ({@link Purchases}).
 *
 * <p>An order's own fields (customer, time, currency, country, status) blank on some of its lines are taken from its
 * other lines in the same file (Shopify writes them on the first line only). A line's key is the order, the product
 * and {@code line}, the product's occurrence in the order (1 unless the order lists it again); the table is kept by
 * MERGE on that key, and a row is rewritten only when a value changed (not counting {@code source_file} and
 * {@code imported_at}): importing the same file again changes nothing, and an order in two overlapping exports is
 * one order. Within one import, a line found in several files is taken from the file whose name sorts last.
 */
final class OrderImport {
    /** The ISO 4217 codes a currency must be among (those the JDK knows). */
    private static final String[] CURRENCIES = Currency.getAvailableCurrencies().stream()
        .map(Currency::getCurrencyCode).sorted().toArray(String[]::new);

    /** What an import did, for the job's output and the tests. */
    record Result(long read, long valid, long inserted, long updated, long tableRows, long tableOrders,
        Map<String, Long> quarantined) {
    }

    private final SparkSession spark;
    private final Lake lake;

    OrderImport(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    Result run(final ImportOrdersOptions options) {
        spark.conf().set("spark.sql.legacy.timeParserPolicy", "CORRECTED");
        final Dataset<Row> file = read(options);
        final Dataset<Row> checked = check(fillOrderFields(normalise(file, options)), options).cache();
        try {
            final Map<String, Long> quarantined = new LinkedHashMap<>();
            for (final Row reason : checked.where("problem IS NOT NULL").groupBy("problem.reason").count()
                .orderBy(functions.desc("count"), functions.asc("reason")).collectAsList()) {
                quarantined.put(reason.getString(0), reason.getLong(1));
            }
            quarantine(checked.where("problem IS NOT NULL"));
            final Dataset<Row> lines = lines(checked.where("problem IS NULL"), options);
            final long valid = lines.count();
            final String path = lake.silver("orders");
            DeltaWrites.upsert(spark, lines, path, "t.order_id = s.order_id AND t.product_id <=> s.product_id"
                + " AND t.line = s.line", Set.of("source_file", "imported_at"));
            final Row merge = DeltaTable.forPath(spark, path).history(3).where("operation = 'MERGE'")
                .orderBy(functions.desc("version")).first();
            final Map<String, String> metrics = merge.getJavaMap(merge.fieldIndex("operationMetrics"));
            final Row table = spark.read().format("delta").load(path).selectExpr("count(*)",
                "count(DISTINCT order_id)").first();
            return new Result(checked.count(), valid, Long.parseLong(metrics.getOrDefault("numTargetRowsInserted",
                "0")), Long.parseLong(metrics.getOrDefault("numTargetRowsUpdated", "0")), table.getLong(0),
                table.getLong(1), quarantined);
        } finally {
            checked.unpersist();
        }
    }

    /** The job's output: what was read, what changed in silver and what was quarantined, per reason. */
    static void print(final Result result, final ImportOrdersOptions options, final Lake lake) {
        System.out.printf("import-orders: %,d rows read from %d %s (%s); %,d order lines valid: %,d new, %,d changed,"
            + " %,d unchanged; %s holds %,d lines of %,d orders%n", result.read(), options.files().size(),
            options.files().size() == 1 ? "file" : "files", options.preset() == null ? "--map"
                : "preset " + options.preset(), result.valid(), result.inserted(), result.updated(),
            result.valid() - result.inserted() - result.updated(), lake.silver("orders"), result.tableRows(),
            result.tableOrders());
        final long bad = result.quarantined().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("import-orders: %,d rows quarantined in %s%s%n", bad, lake.silver("orders_quarantine"),
            bad == 0 ? "" : ": " + String.join(", ", result.quarantined().entrySet().stream()
                .map(e -> String.format("%,d %s", e.getValue(), e.getKey())).toList()));
    }

    private Dataset<Row> read(final ImportOrdersOptions options) {
        final String[] files = options.files().toArray(String[]::new);
        final Dataset<Row> rows = switch (options.format()) {
            case "csv" -> spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                .csv(files);
            case "jsonl" -> spark.read().json(files);
            default -> spark.read().parquet(files);
        };
        for (final Map.Entry<String, String> field : options.columns().columns().entrySet()) {
            if (!Arrays.asList(rows.columns()).contains(field.getValue())) {
                throw new IllegalArgumentException("--map: " + field.getKey() + "=" + field.getValue()
                    + ": no such column in " + String.join(", ", options.files()) + " (it has "
                    + String.join(", ", rows.columns()) + ")");
            }
        }
        return rows;
    }

    /** Every field as trimmed text (null when blank), the time also as a timestamp when the file typed it. */
    private static Dataset<Row> normalise(final Dataset<Row> file, final ImportOrdersOptions options) {
        final OrderColumns columns = options.columns();
        final String tsColumn = columns.column("ts");
        final DataType tsType = file.schema().apply(tsColumn).dataType();
        final boolean typedTime = tsType.equals(DataTypes.TimestampType) || tsType.equals(DataTypes.DateType);
        return file.select(text(columns, "order").as("order_id"),
            functions.regexp_replace(text(columns, "customer"), "^([0-9]+)\\.0+$", "$1").as("customer_id"),
            typedTime ? file.col(quote(tsColumn)).cast("timestamp").as("ts_value")
                : functions.lit(null).cast("timestamp").as("ts_value"),
            text(columns, "ts").as("ts_text"), text(columns, "quantity").as("quantity_text"),
            text(columns, "price").as("price_text"), text(columns, "total").as("total_text"),
            text(columns, "product").as("product_id"), text(columns, "country").as("country"),
            functions.upper(text(columns, "currency")).as("currency"), text(columns, "status").as("status"),
            text(columns, "cancelled_at").as("cancelled_at"),
            functions.regexp_extract(functions.input_file_name(), "[^/]*$", 0).as("source_file"),
            functions.to_json(functions.struct(Arrays.stream(file.columns()).map(c -> file.col(quote(c)))
                .toArray(Column[]::new))).as("raw"));
    }

    private static Column text(final OrderColumns columns, final String field) {
        final String column = columns.column(field);
        return column == null ? functions.lit(null).cast("string")
            : expr("NULLIF(TRIM(CAST(" + quote(column) + " AS STRING)), '')");
    }

    private static String quote(final String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    /** An order's own fields, blank on some of its lines, from its other lines in the same file. */
    private static Dataset<Row> fillOrderFields(final Dataset<Row> rows) {
        Dataset<Row> filled = rows;
        for (final String field : new String[] {"customer_id", "ts_value", "ts_text", "country", "currency", "status",
            "cancelled_at"}) {
            filled = filled.withColumn(field, expr("coalesce(" + field + ", max(" + field
                + ") OVER (PARTITION BY source_file, order_id))"));
        }
        return filled;
    }

    /** The rows with their time, numbers and the first problem found ({@code problem.reason}, {@code .value}). */
    private static Dataset<Row> check(final Dataset<Row> rows, final ImportOrdersOptions options) {
        final OrderColumns columns = options.columns();
        final boolean byTotal = columns.column("price") == null;
        final String priceName = byTotal ? "total" : "price";
        final String cancelled = "CASE"
            + (columns.cancelledPrefix() == null ? "" : " WHEN order_id LIKE '" + columns.cancelledPrefix()
                + "%' THEN concat('invoice ', order_id)")
            + " WHEN lower(status) IN ('" + String.join("', '", OrderColumns.CANCELLED_STATUSES.stream().sorted()
                .toList()) + "') THEN concat('status ', status)"
            + " WHEN cancelled_at IS NOT NULL THEN concat('cancelled at ', cancelled_at) END";
        final Dataset<Row> typed = rows
            .withColumn("event_ts", eventTime(options))
            .withColumn("quantity_number", expr("try_cast(quantity_text AS DECIMAL(18,4))"))
            .withColumn("given_number", expr("try_cast(" + priceName + "_text AS DECIMAL(18,4))"))
            .withColumn("currency", functions.coalesce(col("currency"), functions.lit(options.currency())))
            .withColumn("currency_known", col("currency").isin((Object[]) CURRENCIES))
            .withColumn("cancelled_why", expr(cancelled));
        return typed.withColumn("problem", expr(String.join("\n", "CASE",
            problem("order_id IS NULL", "order id is missing", "NULL"),
            problem("customer_id IS NULL", "customer is missing", "NULL"),
            problem("ts_text IS NULL AND ts_value IS NULL", "time is missing", "NULL"),
            problem("event_ts IS NULL", "time does not read as " + (options.timestampPattern() == null
                ? "ISO-8601" : options.timestampPattern().replace("'", "")), "ts_text"),
            problem("quantity_text IS NULL", "quantity is missing", "NULL"),
            problem("quantity_number IS NULL", "quantity is not a number", "quantity_text"),
            problem("quantity_number != floor(quantity_number) OR abs(quantity_number) > 1000000000",
                "quantity is not a whole number", "quantity_text"),
            problem("quantity_number = 0", "quantity is zero", "quantity_text"),
            problem(priceName + "_text IS NULL", priceName + " is missing", "NULL"),
            problem("given_number IS NULL", priceName + " is not a number", priceName + "_text"),
            problem("given_number < 0", priceName + " is negative", priceName + "_text"),
            problem("currency IS NULL", "currency is missing (the file has none: give --currency)", "NULL"),
            problem("NOT currency_known", "currency is not ISO 4217", "currency"),
            options.keepReturns() ? "" : problem("cancelled_why IS NOT NULL", "cancelled order", "cancelled_why"),
            options.keepReturns() ? "" : problem("quantity_number < 0", "negative quantity (a return)",
                "quantity_text"),
            "END")));
    }

    private static String problem(final String when, final String reason, final String value) {
        return "  WHEN " + when + " THEN named_struct('reason', '" + reason + "', 'value', " + value + ")";
    }

    /**
     * The line's time as an instant: as the file typed it; or read with the pattern, in {@code --timezone} unless
     * the pattern carries the offset; or ISO-8601 text, in {@code --timezone} unless the text ends with an offset.
     */
    private static Column eventTime(final ImportOrdersOptions options) {
        final String zone = options.zone().getId();
        final Column parsed;
        if (options.timestampPattern() == null) {
            final Column text = col("ts_text").cast("timestamp");
            parsed = functions.when(col("ts_text").rlike("[T ][0-9:.]+ ?(Z|[+-][0-9]{2}:?[0-9]{2})$"), text)
                .otherwise(functions.to_utc_timestamp(text, zone));
        } else if (options.patternHasOffset()) {
            parsed = functions.to_timestamp(col("ts_text"), options.timestampPattern());
        } else {
            parsed = functions.to_utc_timestamp(functions.to_timestamp(col("ts_text"), options.timestampPattern()),
                zone);
        }
        return functions.coalesce(col("ts_value"), parsed);
    }

    /** The valid rows as silver order lines, one per key. */
    private static Dataset<Row> lines(final Dataset<Row> valid, final ImportOrdersOptions options) {
        final boolean byTotal = options.columns().column("price") == null;
        final String unitPrice = byTotal ? "CAST(given_number / quantity_number AS DECIMAL(18,4))"
            : "CAST(given_number AS DECIMAL(18,4))";
        final String amount = byTotal ? "CAST(given_number AS DECIMAL(18,4))"
            : "CAST(quantity_number * given_number AS DECIMAL(18,4))";
        return valid.selectExpr("*", "row_number() OVER (PARTITION BY source_file, order_id, product_id"
                + " ORDER BY quantity_number, given_number, ts_text, raw) AS line")
            .selectExpr("*", "row_number() OVER (PARTITION BY order_id, product_id, line ORDER BY source_file DESC)"
                + " AS copy")
            .where("copy = 1")
            .selectExpr("order_id", "line", "product_id", "customer_id", "event_ts", "to_date(event_ts) AS event_date",
                "CAST(quantity_number AS INT) AS quantity", unitPrice + " AS unit_price", amount + " AS amount",
                "currency", "country", "cancelled_why IS NOT NULL AS cancelled", "source_file",
                "current_timestamp() AS imported_at");
    }

    /** The failed rows into silver/orders_quarantine, once each however often their file is imported. */
    private void quarantine(final Dataset<Row> bad) {
        DeltaWrites.insertNew(spark, bad.selectExpr("source_file",
                "row_number() OVER (PARTITION BY source_file, raw, problem.reason ORDER BY raw) AS occurrence",
                "order_id", "problem.reason AS reason", "problem.value AS value", "raw",
                "current_timestamp() AS quarantined_at"), lake.silver("orders_quarantine"),
            "t.source_file = s.source_file AND t.raw = s.raw AND t.reason = s.reason"
                + " AND t.occurrence = s.occurrence");
    }
}
