package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-orders} on a small file in each preset's layout, written here with a bad row of each kind: the silver
 * lines, the quarantine reasons, a re-import that changes nothing, and RFM's recency, frequency and monetary value
 * per customer against figures worked out by hand (in the comments beside them).
 */
class ImportOrdersTest {
    @TempDir
    static Path dir;

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Lake.session("import-orders-test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static Path file(final String name, final String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private static OrderImport.Result importInto(final Lake lake, final Path file, final Map<String, String> options) {
        return new OrderImport(spark, lake).run(ImportOrdersOptions.parse(options, List.of(file.toString())));
    }

    private static String rows(final String path, final String columns, final String order) {
        return spark.read().format("delta").load(path).selectExpr(columns.split(";"))
            .orderBy(Arrays.stream(order.split(",")).map(functions::col).toArray(Column[]::new))
            .collectAsList().toString();
    }

    /** RFM over the lake's orders: customer, recency_days, frequency, monetary, currency. */
    private static String rfm(final Lake lake, final PurchaseRules rules) {
        new RfmJob(spark, lake).run(null, rules);
        return rows(lake.gold("customer_segments"), "customer_id;recency_days;frequency;monetary;currency",
            "customer_id");
    }

    private static Path uci() throws Exception {
        return file("online_retail.csv",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
            "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom",
            "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850,United Kingdom",
            "536366,22633,HAND WARMER UNION JACK,6,12/3/2010 8:28,1.85,17850,United Kingdom",
            "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/5/2010 8:34,1.69,13047.0,United Kingdom",
            "536368,22960,JAM MAKING SET WITH JARS,3,12/9/2010 9:00,4.25,12583,France",
            "C536379,D,Discount,-1,12/9/2010 9:41,27.50,14527,United Kingdom",
            "536380,22961,JAM JAR,-2,12/9/2010 9:45,1.45,14527,United Kingdom",
            "536381,22139,RETROSPOT TEA SET,4,12/9/2010 10:00,4.95,,United Kingdom",
            "536382,22139,RETROSPOT TEA SET,4,13/45/2010 10:00,4.95,14688,United Kingdom",
            "536383,22139,RETROSPOT TEA SET,four,12/9/2010 10:00,4.95,14688,United Kingdom",
            "536384,22139,RETROSPOT TEA SET,4,12/9/2010 10:00,,14688,United Kingdom");
    }

    @Test
    void shouldImportTheUciLayoutQuarantineEachBadRowAndChangeNothingOnAReimport() throws Exception {
        final Lake lake = new Lake(dir.resolve("uci").toString());
        final Path file = uci();
        final OrderImport.Result first = importInto(lake, file, Map.of("--preset", "uci"));
        assertEquals(11, first.read());
        assertEquals(5, first.valid());
        assertEquals(5, first.inserted());
        assertEquals("[[536365,1,85123A,17850,2010-12-01 08:26:00.0,2010-12-01,6,2.5500,15.3000,GBP,United Kingdom,"
            + "false,online_retail.csv], [536365,1,71053,17850,2010-12-01 08:26:00.0,2010-12-01,6,3.3900,20.3400,GBP,"
            + "United Kingdom,false,online_retail.csv], [536366,1,22633,17850,2010-12-03 08:28:00.0,2010-12-03,6,"
            + "1.8500,11.1000,GBP,United Kingdom,false,online_retail.csv], [536367,1,84879,13047,2010-12-05 08:34:00.0,"
            + "2010-12-05,32,1.6900,54.0800,GBP,United Kingdom,false,online_retail.csv], [536368,1,22960,12583,"
            + "2010-12-09 09:00:00.0,2010-12-09,3,4.2500,12.7500,GBP,France,false,online_retail.csv]]",
            rows(lake.silver("orders"), "order_id;line;product_id;customer_id;event_ts;event_date;quantity;unit_price;"
                + "amount;currency;country;cancelled;source_file", "order_id,amount"),
            "6 x 2.55 = 15.30; 6 x 3.39 = 20.34; 32 x 1.69 = 54.08; a customer saved as 13047.0 is 13047");
        final String quarantine = "[[536380,negative quantity (a return),-2], [536381,customer is missing,null], "
            + "[536382,time does not read as M/d/yyyy H:mm,13/45/2010 10:00], [536383,quantity is not a number,four], "
            + "[536384,price is missing,null], [C536379,cancelled order,invoice C536379]]";
        assertEquals(quarantine, rows(lake.silver("orders_quarantine"), "order_id;reason;value", "order_id"));
        assertEquals(Map.of("negative quantity (a return)", 1L, "customer is missing", 1L,
            "time does not read as M/d/yyyy H:mm", 1L, "quantity is not a number", 1L, "price is missing", 1L,
            "cancelled order", 1L), first.quarantined());

        final String before = rows(lake.silver("orders"), "*", "order_id,amount");
        final long version = spark.sql("DESCRIBE HISTORY delta.`" + lake.silver("orders") + "`").selectExpr(
            "max(version)").first().getLong(0);
        final OrderImport.Result again = importInto(lake, file, Map.of("--preset", "uci"));
        assertEquals(0, again.inserted());
        assertEquals(0, again.updated());
        assertEquals(before, rows(lake.silver("orders"), "*", "order_id,amount"), "no row rewritten: same import time");
        assertEquals(0, spark.read().format("delta").option("versionAsOf", version).load(lake.silver("orders"))
            .exceptAll(spark.read().format("delta").load(lake.silver("orders"))).count());
        assertEquals(quarantine, rows(lake.silver("orders_quarantine"), "order_id;reason;value", "order_id"),
            "each bad row quarantined once");

        assertEquals("[[12583,0,1,12.7500,GBP], [13047,4,1,54.0800,GBP], [17850,6,2,46.7400,GBP]]",
            rfm(lake, PurchaseRules.DEFAULT), "as of 12-09, the last order: 17850 bought on 12-01 (15.30 + 20.34) and "
                + "12-03 (11.10): recency 6, 2 orders, 46.74; 13047 on 12-05: 4 days, 54.08; 12583 on 12-09: 0, 12.75");
    }

    /**
     * The same order lines as JSON lines and as Parquet (every value a string, as an export gives them) make the same
     * silver rows and the same quarantine as the CSV.
     */
    @Test
    void shouldReadTheSameOrdersFromJsonLinesAndParquet() throws Exception {
        final String columns = "order_id;line;product_id;customer_id;event_ts;quantity;unit_price;amount;currency;"
            + "country;cancelled";
        final Lake csvLake = new Lake(dir.resolve("formats-csv").toString());
        importInto(csvLake, uci(), Map.of("--preset", "uci"));
        final String expected = rows(csvLake.silver("orders"), columns, "order_id,amount");
        final String quarantined = rows(csvLake.silver("orders_quarantine"), "order_id;reason", "order_id");

        final org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> lines = spark.read().option("header", true)
            .csv(uci().toString());
        final List<String> json = lines.toJSON().collectAsList();
        final Path jsonl = Files.write(dir.resolve("online_retail.jsonl"), json);
        final Lake jsonLake = new Lake(dir.resolve("formats-jsonl").toString());
        final OrderImport.Result fromJson = importInto(jsonLake, jsonl, Map.of("--preset", "uci"));
        assertEquals(11, fromJson.read(), "the format told by the file's name");
        assertEquals(expected, rows(jsonLake.silver("orders"), columns, "order_id,amount"));
        assertEquals(quarantined, rows(jsonLake.silver("orders_quarantine"), "order_id;reason", "order_id"));

        final Path parquetDir = dir.resolve("parquet-out");
        lines.coalesce(1).write().parquet(parquetDir.toString());
        final Path part;
        try (var found = Files.list(parquetDir)) {
            part = found.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        final Path parquet = Files.copy(part, dir.resolve("online_retail.parquet"));
        final Lake parquetLake = new Lake(dir.resolve("formats-parquet").toString());
        final OrderImport.Result fromParquet = importInto(parquetLake, parquet, Map.of("--preset", "uci",
            "--format", "parquet"));
        assertEquals(11, fromParquet.read());
        assertEquals(expected, rows(parquetLake.silver("orders"), columns, "order_id,amount"));
        assertEquals(quarantined, rows(parquetLake.silver("orders_quarantine"), "order_id;reason", "order_id"));
    }

    @Test
    void shouldKeepReturnsWhenAskedAndLeaveThemOutOfThePurchases() throws Exception {
        final Lake lake = new Lake(dir.resolve("uci-keep").toString());
        importInto(lake, uci(), Map.of("--preset", "uci", "--returns", "keep"));
        assertEquals("[[536365,6,15.3000,false], [536365,6,20.3400,false], [536366,6,11.1000,false], "
            + "[536367,32,54.0800,false], [536368,3,12.7500,false], [536380,-2,-2.9000,false], "
            + "[C536379,-1,-27.5000,true]]", rows(lake.silver("orders"), "order_id;quantity;amount;cancelled",
                "order_id,amount"), "the return and the cancelled invoice kept, flagged or negative");
        final Purchases purchases = Purchases.of(spark, lake, "rfm", PurchaseRules.DEFAULT, null);
        assertEquals(List.of("2 order cancelled or returned"), purchases.excluded());
        assertEquals("4 imported orders count as purchases (up to 2010-12-09, in GBP); excluded: 2 order cancelled "
            + "or returned", purchases.describe(PurchaseRules.DEFAULT));
    }

    @Test
    void shouldCountAnOrderThatIsAlsoAnEngineTransactionOnceAsTheTransaction() throws Exception {
        final Lake lake = new Lake(dir.resolve("both").toString());
        importInto(lake, uci(), Map.of("--preset", "uci"));
        spark.sql(String.join("\n", "SELECT txn_id, customer_id, decision, DATE(event_date) AS event_date, currency,",
            "  CAST(amount AS DECIMAL(18,4)) AS amount FROM VALUES",
            "('536366', '17850', 'DECLINE', '2010-12-03', 'GBP', 11.10),",
            "('t-9', '99999', 'APPROVE', '2010-12-08', 'GBP', 20.00)",
            "AS t(txn_id, customer_id, decision, event_date, currency, amount)"))
            .write().format("delta").save(lake.silver("transactions"));
        final Purchases both = Purchases.of(spark, lake, "rfm", PurchaseRules.DEFAULT, null);
        assertEquals(List.of("1 decision DECLINE", "1 order also an engine transaction (the transaction counts)"),
            both.excluded(), "order 536366 is the declined transaction 536366: its decision applies");
        assertEquals("4 purchases count: 1 transactions (decisions APPROVE) and 3 imported orders, up to 2010-12-09, "
            + "in GBP; excluded: 1 decision DECLINE, 1 order also an engine transaction (the transaction counts)",
            both.describe(PurchaseRules.DEFAULT));
        assertEquals("[[12583,0,1,12.7500,GBP], [13047,4,1,54.0800,GBP], [17850,8,1,35.6400,GBP], "
            + "[99999,1,1,20.0000,GBP]]", rfm(lake, PurchaseRules.DEFAULT), "17850 keeps only 536365");
        assertEquals(List.of("1 decision DECLINE"), Purchases.of(spark, lake, "rfm",
            PurchaseRules.parse(null, null, "transactions"), null).excluded());
        assertEquals(4, Purchases.of(spark, lake, "rfm", PurchaseRules.parse(null, null, "orders"), null)
            .counted(), "orders alone: all four (536365 has two lines)");
    }

    @Test
    void shouldImportTheShopifyLayoutWithOrderFieldsOnlyOnTheFirstLine() throws Exception {
        final Lake lake = new Lake(dir.resolve("shopify").toString());
        final String header = "Name,Email,Financial Status,Paid at,Currency,Subtotal,Created at,Lineitem quantity,"
            + "Lineitem name,Lineitem price,Lineitem sku,Billing Country,Cancelled at";
        final Path file = file("orders_export_1.csv", header,
            "#1001,ann@example.com,paid,,EUR,30.00,2024-03-13 23:27:41 -0400,2,\"Mug, large\",10.00,MUG-1,DE,",
            "#1001,,,,,,,1,Tea,10.00,TEA-1,,",
            "#1002,bob@example.com,paid,,EUR,15.50,2024-03-20 10:00:00 +0100,1,\"Mug, large\",15.50,MUG-1,FR,",
            "#1003,ann@example.com,paid,,EUR,5.25,2024-03-25 12:00:00 +0000,3,Spoon,1.75,SPN-1,DE,",
            "#1004,cat@example.com,refunded,,EUR,9.00,2024-03-26 12:00:00 +0000,1,Mug,9.00,MUG-1,DE,",
            "#1005,,paid,,EUR,9.00,2024-03-26 12:00:00 +0000,1,Mug,9.00,MUG-1,DE,",
            "#1006,dan@example.com,paid,,XYZ,9.00,2024-03-26 12:00:00 +0000,1,Mug,9.00,MUG-1,DE,",
            "#1007,dan@example.com,paid,,EUR,9.00,yesterday,1,Mug,9.00,MUG-1,DE,",
            "#1008,dan@example.com,paid,,EUR,9.00,2024-03-26 12:00:00 +0000,1,Mug,abc,MUG-1,DE,",
            "#1009,eve@example.com,paid,,EUR,9.00,2024-03-26 12:00:00 +0000,1,Mug,9.00,MUG-1,DE,"
                + "2024-03-27 10:00:00 +0000");
        final OrderImport.Result result = importInto(lake, file, Map.of("--preset", "shopify"));
        assertEquals(4, result.valid());
        assertEquals("[[#1001,MUG-1,ann@example.com,2024-03-14 03:27:41.0,2024-03-14,2,10.0000,20.0000,EUR,DE], "
            + "[#1001,TEA-1,ann@example.com,2024-03-14 03:27:41.0,2024-03-14,1,10.0000,10.0000,EUR,DE], "
            + "[#1002,MUG-1,bob@example.com,2024-03-20 09:00:00.0,2024-03-20,1,15.5000,15.5000,EUR,FR], "
            + "[#1003,SPN-1,ann@example.com,2024-03-25 12:00:00.0,2024-03-25,3,1.7500,5.2500,EUR,DE]]",
            rows(lake.silver("orders"), "order_id;product_id;customer_id;event_ts;event_date;quantity;unit_price;"
                + "amount;currency;country", "order_id,product_id"),
            "23:27:41 at -04:00 is 03:27:41 UTC the next day; #1001's second line takes the order's email, time, "
                + "currency and country from its first");
        assertEquals("[[#1004,cancelled order,status refunded], [#1005,customer is missing,null], "
            + "[#1006,currency is not ISO 4217,XYZ], [#1007,time does not read as yyyy-MM-dd HH:mm:ss Z,yesterday], "
            + "[#1008,price is not a number,abc], [#1009,cancelled order,cancelled at 2024-03-27 10:00:00 +0000]]",
            rows(lake.silver("orders_quarantine"), "order_id;reason;value", "order_id"));
        final OrderImport.Result again = importInto(lake, file, Map.of("--preset", "shopify"));
        assertEquals(List.of(0L, 0L, 4L), List.of(again.inserted(), again.updated(), again.tableRows()));
        assertEquals("[[ann@example.com,0,2,35.2500,EUR], [bob@example.com,5,1,15.5000,EUR]]",
            rfm(lake, PurchaseRules.DEFAULT), "as of 03-25: ann bought on 03-14 (20 + 10) and 03-25 (5.25); bob on "
                + "03-20, 5 days before, 15.50");
    }

    @Test
    void shouldImportTheWooCommerceLayoutInTheShopsTimeZoneFromLineTotals() throws Exception {
        final Lake lake = new Lake(dir.resolve("woo").toString());
        final Path file = file("woo_orders.csv",
            "order_number,order_date,status,order_currency,billing_email,billing_country,item_sku,item_quantity,"
                + "item_total",
            "501,2024-06-01 21:30:00,completed,USD,zed@example.com,US,SKU-A,2,25.00",
            "501,2024-06-01 21:30:00,completed,USD,zed@example.com,US,SKU-B,1,9.99",
            "502,2024-06-10 09:00:00,completed,USD,yan@example.com,US,SKU-A,3,37.50",
            "503,2024-06-12 09:00:00,cancelled,USD,yan@example.com,US,SKU-A,1,12.50",
            "504,2024-06-12 09:00:00,completed,USD,yan@example.com,US,SKU-A,,12.50",
            "505,2024-06-12 09:00:00,completed,USD,xi@example.com,US,SKU-A,1,-3.00",
            "506,2024-06-12 09:00:00,completed,ABC,xi@example.com,US,SKU-A,1,3.00",
            "507,2024-06-14 09:00:00,completed,USD,xi@example.com,US,SKU-C,1,8.00");
        final Map<String, String> options = Map.of("--preset", "woocommerce", "--timezone", "America/New_York");
        importInto(lake, file, options);
        assertEquals("[[501,SKU-A,2024-06-02 01:30:00.0,2024-06-02,2,12.5000,25.0000], "
            + "[501,SKU-B,2024-06-02 01:30:00.0,2024-06-02,1,9.9900,9.9900], "
            + "[502,SKU-A,2024-06-10 13:00:00.0,2024-06-10,3,12.5000,37.5000], "
            + "[507,SKU-C,2024-06-14 13:00:00.0,2024-06-14,1,8.0000,8.0000]]",
            rows(lake.silver("orders"), "order_id;product_id;event_ts;event_date;quantity;unit_price;amount",
                "order_id,product_id"), "21:30 in New York in June (UTC-4) is 01:30 UTC the next day; unit price = "
                + "line total / quantity");
        assertEquals("[[503,cancelled order,status cancelled], [504,quantity is missing,null], "
            + "[505,total is negative,-3.00], [506,currency is not ISO 4217,ABC]]",
            rows(lake.silver("orders_quarantine"), "order_id;reason;value", "order_id"));
        final OrderImport.Result again = importInto(lake, file, options);
        assertEquals(List.of(0L, 0L, 4L), List.of(again.inserted(), again.updated(), again.tableRows()));
        assertEquals("[[xi@example.com,0,1,8.0000,USD], [yan@example.com,4,1,37.5000,USD], "
            + "[zed@example.com,12,1,34.9900,USD]]", rfm(lake, PurchaseRules.DEFAULT),
            "as of 06-14: zed on 06-02 (25.00 + 9.99), yan on 06-10, xi on 06-14");
    }
}
