package io.ecap.analytics.revenue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.analytics.clv.CdnowData;
import io.ecap.analytics.clv.CdnowFormat;
import io.ecap.lake.Lake;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Daily revenue against values worked out by hand, and against the CDNOW sample summed line by line. */
class RevenueTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Lake.session("revenue-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String line(final Row r) {
        return r.getAs("day") + " " + r.getAs("channel") + " " + r.getAs("country") + " "
            + r.<BigDecimal>getAs("revenue").stripTrailingZeros().toPlainString() + " " + r.getAs("purchases") + " "
            + r.<BigDecimal>getAs("average_purchase").stripTrailingZeros().toPlainString() + " " + r.getAs("customers")
            + " " + r.getAs("new_customers") + " " + r.getAs("returning_customers");
    }

    @Test
    void shouldSplitRevenueByChannelAndCountryWithNewAndReturningCustomers() {
        final Dataset<Row> purchases = spark.sql(String.join("\n",
            "SELECT customer_id, DATE(purchase_date) AS purchase_date, CAST(amount AS DECIMAL(18,4)) AS amount,",
            "  channel, country FROM VALUES",
            "('a', '2026-03-01', 10.00, 'web', 'US'),", // a's first purchase
            "('b', '2026-03-01', 30.00, 'app', 'US'),", // b's first
            "('a', '2026-03-02', 5.50, 'web', 'US'),", // a returns
            "('a', '2026-03-02', 4.50, 'web', 'US'),", // a again the same day: one customer, two purchases
            "('c', '2026-03-02', 20.00, NULL, 'FR'),", // c's first, an imported order without a channel
            "('b', '2026-03-03', 1.00, 'app', 'US')", // after the as-of day: not counted
            "AS t(customer_id, purchase_date, amount, channel, country)"));
        final List<String> rows = Revenue.daily(purchases, LocalDate.of(2026, 3, 2)).collectAsList().stream()
            .map(RevenueTest::line).toList();
        assertEquals(List.of(
            "2026-03-01 all all 40 2 20 2 2 0",
            "2026-03-01 app US 30 1 30 1 1 0",
            "2026-03-01 web US 10 1 10 1 1 0",
            "2026-03-02 all all 30 3 10 2 1 1",
            "2026-03-02 unknown FR 20 1 20 1 1 0",
            "2026-03-02 web US 10 2 5 1 0 1"), rows);
    }

    @Test
    void dailyRevenueOfTheCdnowSampleMatchesASumOfTheFile() throws Exception {
        final Path cdnow = CdnowData.file("CDNOW_sample.txt");
        final LocalDate asOf = LocalDate.of(1997, 6, 30);
        final Map<LocalDate, BigDecimal> revenue = new TreeMap<>();
        final Map<LocalDate, Integer> purchases = new TreeMap<>();
        final Map<String, LocalDate> first = new HashMap<>();
        final DateTimeFormatter format = DateTimeFormatter.BASIC_ISO_DATE;
        for (final String l : Files.readAllLines(cdnow)) {
            if (l.isBlank()) {
                continue;
            }
            final String[] f = l.trim().split("\\s+");
            final LocalDate day = LocalDate.parse(f[2], format);
            if (!day.isAfter(asOf)) {
                revenue.merge(day, new BigDecimal(f[4]), BigDecimal::add);
                purchases.merge(day, 1, Integer::sum);
                first.merge(f[1], day, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        final Map<LocalDate, Long> newCustomers = first.values().stream()
            .collect(Collectors.groupingBy(d -> d, TreeMap::new, Collectors.counting()));
        final Dataset<Row> rows = CdnowFormat.read(spark, cdnow.toString()).selectExpr("customer_id",
            "purchase_date", "CAST(amount AS DECIMAL(18,4)) AS amount", "CAST(NULL AS STRING) AS channel",
            "CAST(NULL AS STRING) AS country");
        final List<Row> totals = Revenue.daily(rows, asOf).where("channel = 'all'").orderBy("day").collectAsList();
        assertEquals(revenue.size(), totals.size(), "one row a day with a purchase");
        for (final Row r : totals) {
            final LocalDate day = r.<java.sql.Date>getAs("day").toLocalDate();
            assertEquals(0, revenue.get(day).compareTo(r.getAs("revenue")), day + " revenue");
            assertEquals((long) purchases.get(day), r.<Long>getAs("purchases"), day + " purchases");
            assertEquals(newCustomers.getOrDefault(day, 0L), r.<Long>getAs("new_customers"), day + " new customers");
        }
    }
}
