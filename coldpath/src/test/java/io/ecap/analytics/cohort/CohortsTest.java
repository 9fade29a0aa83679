package io.ecap.analytics.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.analytics.clv.CdnowData;
import io.ecap.analytics.clv.CdnowFormat;
import io.ecap.lake.Lake;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monthly cohorts of the CDNOW sample (2,357 customers who first bought in the first quarter of 1997, purchases to
 * June 1998) against the same figures counted from the file line by line in plain Java.
 */
class CohortsTest {
    private static final Path CDNOW = CdnowData.file("CDNOW_sample.txt");
    private static final LocalDate AS_OF = LocalDate.of(1997, 9, 30);
    private static SparkSession spark;
    private static Dataset<Row> purchases;

    @BeforeAll
    static void start() {
        spark = Lake.session("cohorts-test");
        purchases = CdnowFormat.read(spark, CDNOW.toString())
            .selectExpr("customer_id", "purchase_date", "CAST(amount AS DECIMAL(18,4)) AS amount");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Active customers per cohort month and month index, and revenue, from the file itself. */
    private record Cell(Set<String> active, BigDecimal[] revenue) {
    }

    @Test
    void monthlyCohortsMatchACountOfTheFile() throws Exception {
        final Map<String, LocalDate> first = new HashMap<>();
        final List<String[]> lines = Files.readAllLines(CDNOW).stream().filter(l -> !l.isBlank())
            .map(l -> l.trim().split("\\s+")).toList();
        final DateTimeFormatter day = DateTimeFormatter.BASIC_ISO_DATE;
        for (final String[] f : lines) {
            final LocalDate d = LocalDate.parse(f[2], day);
            if (!d.isAfter(AS_OF)) {
                first.merge(f[1], d, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        final Map<String, Cell> cells = new TreeMap<>();
        final Map<LocalDate, Integer> sizes = new TreeMap<>();
        first.values().forEach(d -> sizes.merge(d.withDayOfMonth(1), 1, Integer::sum));
        for (final String[] f : lines) {
            final LocalDate d = LocalDate.parse(f[2], day);
            if (d.isAfter(AS_OF)) {
                continue;
            }
            final LocalDate cohort = first.get(f[1]).withDayOfMonth(1);
            final long k = ChronoUnit.MONTHS.between(cohort, d.withDayOfMonth(1));
            final Cell cell = cells.computeIfAbsent(cohort + "/" + k, x -> new Cell(new HashSet<>(),
                new BigDecimal[] {BigDecimal.ZERO}));
            cell.active().add(f[1]);
            cell.revenue()[0] = cell.revenue()[0].add(new BigDecimal(f[4]));
        }
        final List<Row> rows = Cohorts.of(purchases, AS_OF, Cohorts.Period.MONTH).collectAsList();
        assertEquals(List.of(LocalDate.of(1997, 1, 1), LocalDate.of(1997, 2, 1), LocalDate.of(1997, 3, 1)),
            List.copyOf(sizes.keySet()), "CDNOW's customers all arrived in the first quarter of 1997");
        assertEquals(9 + 8 + 7, rows.size(), "every cohort's months to September 1997, empty or not");
        final Map<LocalDate, BigDecimal> cumulative = new HashMap<>();
        for (final Row row : rows) {
            final LocalDate cohort = row.<java.sql.Date>getAs("cohort").toLocalDate();
            final int k = row.<Integer>getAs("period_index");
            final Cell cell = cells.get(cohort + "/" + k);
            final int size = sizes.get(cohort);
            final int active = cell == null ? 0 : cell.active().size();
            final BigDecimal revenue = cell == null ? BigDecimal.ZERO : cell.revenue()[0];
            assertEquals(size, row.<Long>getAs("customers"), cohort + " size");
            assertEquals(active, row.<Long>getAs("active_customers"), cohort + " month " + k);
            assertEquals(Math.round(1e6 * active / size) / 1e6, row.<Double>getAs("retention"), 1e-12);
            assertEquals(0, revenue.compareTo(row.getAs("revenue")), cohort + " month " + k + " revenue");
            final BigDecimal sum = cumulative.merge(cohort, revenue, BigDecimal::add);
            assertEquals(0, sum.divide(BigDecimal.valueOf(size), 4, java.math.RoundingMode.HALF_UP)
                .compareTo(row.getAs("cumulative_revenue_per_customer")), cohort + " month " + k + " cumulative");
            assertEquals(cohort.plusMonths(k), row.<java.sql.Date>getAs("period_start").toLocalDate());
            assertTrue(row.<Boolean>getAs("complete"), "September 1997 ends on the as-of day");
            if (k == 0) {
                assertEquals(1.0, row.<Double>getAs("retention"), "everyone buys in their own first month");
            }
        }
        assertEquals(2357, sizes.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void weeksAndAnUnfinishedPeriod() {
        final LocalDate midMonth = LocalDate.of(1997, 2, 12);
        final List<Row> months = Cohorts.of(purchases, midMonth, Cohorts.Period.MONTH).collectAsList();
        assertEquals(2 + 1, months.size(), "January: months 0 and 1; February: month 0");
        assertFalse(months.get(months.size() - 1).<Boolean>getAs("complete"), "February is not over on the 12th");
        final List<Row> weeks = Cohorts.of(purchases, midMonth, Cohorts.Period.WEEK).collectAsList();
        for (final Row row : weeks) {
            assertEquals(java.time.DayOfWeek.MONDAY, row.<java.sql.Date>getAs("cohort").toLocalDate().getDayOfWeek());
            assertTrue(row.<Long>getAs("active_customers") <= row.<Long>getAs("customers"));
        }
        assertEquals(2357 - countAfter(midMonth), weeks.stream().filter(r -> r.<Integer>getAs("period_index") == 0)
            .mapToLong(r -> r.<Long>getAs("customers")).sum(), "each customer who bought by then in one weekly cohort");
        assertEquals("--period: expected month or week, found 'day'", assertThrows(IllegalArgumentException.class,
            () -> Cohorts.Period.parse("day")).getMessage());
    }

    /** Customers whose first purchase is after {@code day}: not in any cohort as of it. */
    private static long countAfter(final LocalDate day) {
        return purchases.groupBy("customer_id").agg(org.apache.spark.sql.functions.min("purchase_date").as("first"))
            .where("first > DATE'" + day + "'").count();
    }
}
