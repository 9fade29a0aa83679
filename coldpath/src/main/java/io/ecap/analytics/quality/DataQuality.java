package io.ecap.analytics.quality;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Data quality of a table as of a day, from one pass over its rows up to that day: completeness per required column,
 * validity per rule, uniqueness of the key, freshness of the newest event and the as-of day's volume against the
 * seven days before. Each check has a measured value, its bar and whether it passed; the table's score is the share
 * of checks passed. Freshness is measured to the end of the as-of day, never to the wall clock, so a rerun for a
 * past day gives the same answer.
 */
public final class DataQuality {
    public static final StructType SCHEMA = (StructType) DataType.fromDDL("table_name STRING, check_name STRING,"
        + " kind STRING, measured DOUBLE, bar DOUBLE, passed BOOLEAN, detail STRING, table_score DOUBLE");

    private DataQuality() {
    }

    /** The checks of one table (rows of {@link #SCHEMA}); {@code rows} is the table. */
    public static List<Row> check(final TableRules rules, final Dataset<Row> rows, final LocalDate asOf,
        final Thresholds bars) {
        final String day = "DATE'" + asOf + "'";
        final List<String> aggregates = new ArrayList<>(List.of("count(*) AS total",
            "max(" + rules.timeColumn() + ") AS newest",
            "count_if(" + rules.dateColumn() + " = " + day + ") AS today",
            "count_if(" + rules.dateColumn() + " BETWEEN date_sub(" + day + ", 7) AND date_sub(" + day + ", 1))"
                + " / 7.0 AS week_mean",
            "count(DISTINCT " + rules.dateColumn() + ") FILTER (WHERE " + rules.dateColumn() + " < " + day
                + ") AS history_days",
            "count(*) - count(DISTINCT " + String.join(", ", rules.key()) + ") AS repeated"));
        for (final String column : rules.required()) {
            aggregates.add("count_if(" + column + " IS NULL) AS `missing " + column + "`");
        }
        for (final Map.Entry<String, String> rule : rules.valid().entrySet()) {
            aggregates.add("count_if(NOT coalesce(" + rule.getValue() + ", false)) AS `invalid " + rule.getKey() + "`");
        }
        final Row m = rows.where(rules.dateColumn() + " <= " + day)
            .selectExpr(aggregates.toArray(new String[0])).first();
        final long total = m.getLong(0);
        final List<Object[]> checks = new ArrayList<>();
        for (final String column : rules.required()) {
            final long missing = m.getAs("missing " + column);
            checks.add(share("completeness(" + column + ")", "completeness", total, missing, bars.completeness(),
                missing + " of " + total + " rows without " + column));
        }
        for (final String rule : rules.valid().keySet()) {
            final long invalid = m.getAs("invalid " + rule);
            checks.add(share("validity(" + rule + ")", "validity", total, invalid, bars.validity(),
                invalid + " of " + total + " rows break: " + rules.valid().get(rule)));
        }
        final long repeated = m.getAs("repeated");
        checks.add(share("uniqueness(" + String.join(", ", rules.key()) + ")", "uniqueness", total, repeated,
            bars.uniqueness(), repeated + " rows repeat a key"));
        checks.add(freshness(m.getAs("newest"), asOf, bars.freshnessHours(),
            ((Number) m.getAs("week_mean")).doubleValue()));
        checks.add(volume(m.getAs("today"), ((Number) m.getAs("week_mean")).doubleValue(),
            m.getAs("history_days"), bars.volumeRatio()));
        final double score = checks.stream().filter(c -> (Boolean) c[4]).count() / (double) checks.size();
        final List<Row> out = new ArrayList<>();
        for (final Object[] c : checks) {
            out.add(RowFactory.create(rules.table(), c[0], c[1], c[2], c[3], c[4], c[5], score));
        }
        return out;
    }

    /** Rows of every table's checks as a Dataset. */
    public static Dataset<Row> toDataset(final SparkSession spark, final List<Row> checks) {
        return spark.createDataFrame(checks, SCHEMA);
    }

    private static Object[] share(final String name, final String kind, final long total, final long bad,
        final double bar, final String detail) {
        final double good = total == 0 ? 1 : 1 - (double) bad / total;
        return new Object[] {name, kind, good, bar, good >= bar, detail};
    }

    /**
     * Stale when the newest event is older than the bar and a quiet spell that long is unlikely at the table's usual
     * rate (a table that gets a row or two a day, such as labels, often goes a day without one).
     */
    private static Object[] freshness(final java.sql.Timestamp newest, final LocalDate asOf, final double bar,
        final double perDay) {
        if (newest == null) {
            return new Object[] {"freshness", "freshness", null, bar, false, "no rows up to " + asOf};
        }
        final double hours = (asOf.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli()
            - newest.getTime()) / 3_600_000.0;
        final boolean quietByChance = perDay > 0 && Math.exp(-perDay * hours / 24) >= UNLIKELY;
        final String detail = String.format(java.util.Locale.ROOT, "newest event %.1f hours before the end of %s",
            hours, asOf);
        return new Object[] {"freshness", "freshness", hours, bar, hours <= bar || quietByChance,
            hours > bar && quietByChance ? detail + String.format(java.util.Locale.ROOT, " (at %.1f a day, a gap "
                + "that long is not unusual)", perDay) : detail};
    }

    /**
     * Normal when the day's rows are within the bar's ratio of the week's mean, or when, at so few rows a day, the
     * count is not unlikely by chance alone (a Poisson count: 0 rows on a day that usually has 1.3 happens one day in
     * four).
     */
    private static Object[] volume(final long today, final double weekMean, final long historyDays,
        final double bar) {
        if (historyDays == 0 || weekMean == 0) {
            return new Object[] {"volume", "volume", (double) today, bar, true,
                today + " rows on the day; no earlier days to compare with"};
        }
        final double ratio = today / weekMean;
        final boolean normal = ratio <= bar && ratio >= 1 / bar || plausibleCount(today, weekMean);
        return new Object[] {"volume", "volume", ratio, bar, normal, String.format(java.util.Locale.ROOT,
            "%d rows on the day, %.1f a day over the week before (x%.2f)", today, weekMean, ratio)};
    }

    /** Below this probability a quiet spell or a day's count is not put down to chance. */
    static final double UNLIKELY = 0.001;

    /** True if {@code count} is not in either {@link #UNLIKELY} tail of a Poisson count of mean {@code mean}. */
    static boolean plausibleCount(final long count, final double mean) {
        if (mean > 200) {
            // e^-mean underflows further out; the normal approximation is close there (z = 3.09: 0.001 a tail)
            return Math.abs(count - mean) <= 3.09 * Math.sqrt(mean) + 0.5;
        }
        double p = Math.exp(-mean);
        double below = 0;
        for (long k = 0; k < count && p > 0; k++) {
            below += p;
            p *= mean / (k + 1);
        }
        final double atMost = below + p;
        return atMost >= UNLIKELY && 1 - below >= UNLIKELY;
    }
}
