package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-orders} checks its options before Spark starts (run here with a Spark master that cannot start):
 * each mistake is one line naming the option, exit code 2.
 */
class ImportOrdersOptionsTest {
    @TempDir
    Path dir;

    private String[] refused(final String... args) throws Exception {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String before = System.getProperty("spark.master");
        System.setProperty("spark.master", "nowhere://no-spark-in-this-test");
        try {
            final int code = LakeMain.exec(args, new PrintStream(err, true, StandardCharsets.UTF_8));
            final String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, text);
            assertEquals(1, text.lines().count(), text);
            return new String[] {text.strip()};
        } finally {
            if (before == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", before);
            }
        }
    }

    private void assertRefused(final String start, final String... args) throws Exception {
        final String line = refused(args)[0];
        assertTrue(line.startsWith(start), line);
    }

    @Test
    void shouldNameTheOptionOfEveryMistakeBeforeSparkStarts() throws Exception {
        final String data = Files.createDirectories(dir.resolve("data")).toString();
        final Path uci = dir.resolve("online_retail.csv");
        Files.writeString(uci, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
        final String file = uci.toString();
        assertRefused("ecap lake import-orders: --preset: expected uci, shopify or woocommerce, found 'amazon'",
            "import-orders", file, "--data", data, "--preset", "amazon");
        assertRefused("ecap lake import-orders: --map: expected field=Column pairs with fields among cancelled_at, "
            + "country, currency, customer, order, price, product, quantity, status, total, ts, found 'client=Cust'",
            "import-orders", file, "--data", data, "--preset", "uci", "--map", "client=Cust");
        assertRefused("ecap lake import-orders: --timezone: expected a zone such as Europe/London or +01:00, found "
            + "'Mars/Olympus'", "import-orders", file, "--data", data, "--preset", "uci", "--timezone",
            "Mars/Olympus");
        assertRefused("ecap lake import-orders: --timestamp-format: 'yyyy-MM-dd {HH}' is not a datetime pattern",
            "import-orders", file, "--data", data, "--preset", "uci", "--timestamp-format", "yyyy-MM-dd {HH}");
        assertRefused("ecap lake import-orders: FILE: no file " + dir.resolve("nope.csv"), "import-orders", file,
            dir.resolve("nope.csv").toString(), "--data", data, "--preset", "uci");
        assertRefused("ecap lake import-orders: --map: customer=Customer ID: no such column in " + file
            + " (it has InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country)",
            "import-orders", file, "--data", data, "--preset", "uci", "--map", "customer=Customer ID");
        assertRefused("ecap lake import-orders: --map: no column for customer (give --preset or --map customer=Column)",
            "import-orders", file, "--data", data, "--map", "order=InvoiceNo");
        assertRefused("ecap lake import-orders: --returns: expected quarantine or keep, found 'drop'",
            "import-orders", file, "--data", data, "--preset", "uci", "--returns", "drop");
        assertRefused("ecap lake import-orders: --currency: ", "import-orders", file, "--data", data, "--preset",
            "uci", "--currency", "pounds");
        assertRefused("ecap lake import-orders: --format: give csv, jsonl or parquet", "import-orders",
            dir.toString(), "--data", data, "--preset", "uci");
        assertRefused("ecap lake import-orders: FILE... is missing", "import-orders", "--data", data);
        assertRefused("ecap lake rfm: --source: expected transactions, orders or both, found 'shop'", "rfm",
            "--lake", data, "--source", "shop");
    }

    @Test
    void shouldLayTheMapOverThePresetAndReadQuotedHeaders() {
        final OrderColumns columns = OrderColumns.preset("shopify").withMap("customer=Billing Name, status=");
        assertEquals("Billing Name", columns.column("customer"));
        assertEquals(null, columns.column("status"), "an empty column drops the field");
        assertEquals("Name", columns.column("order"));
        assertEquals(List.of("Name", "Lineitem name, long", "Created at"),
            ImportOrdersOptions.splitHeader("\uFEFFName,\"Lineitem name, long\",Created at"));
        final ImportOrdersOptions options = ImportOrdersOptions.parse(Map.of("--preset", "shopify", "--format", "csv"),
            List.of());
        assertTrue(options.patternHasOffset(), "Shopify's times carry their offset: --timezone does not apply");
        assertEquals("GBP", ImportOrdersOptions.parse(Map.of("--preset", "uci", "--format", "csv"), List.of())
            .currency());
    }
}
