package io.ecap.lake;

import io.ecap.analytics.quality.DataQuality;
import io.ecap.analytics.quality.TableRules;
import io.ecap.analytics.quality.Thresholds;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code data-quality}: checks every silver table that exists ({@link TableRules#SILVER}) as of a day (default: the
 * last day with a transaction or event), writes every check into gold {@code data_quality} for that day, prints the
 * ones that failed and returns how many did: the launcher exits non-zero when any did.
 */
final class QualityJob {
    private final SparkSession spark;
    private final Lake lake;

    QualityJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    long run(final LocalDate asOfOrNull, final Thresholds bars) {
        final List<Row> checks = new ArrayList<>();
        final LocalDate asOf = asOfOrNull != null ? asOfOrNull : lastDay();
        for (final TableRules rules : TableRules.SILVER) {
            final String path = lake.root() + "/" + rules.table();
            if (DeltaWrites.exists(spark, path)) {
                checks.addAll(DataQuality.check(rules, spark.read().format("delta").load(path), asOf, bars));
            }
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("data-quality: no silver table in " + lake.root()
                + " (run bronze-to-silver first)");
        }
        final Dataset<Row> rows = DataQuality.toDataset(spark, checks);
        DeltaWrites.replaceDay(spark, rows, lake.gold("data_quality"), asOf);
        long failed = 0;
        for (final Row check : checks) {
            if (!check.getBoolean(5)) {
                failed++;
                System.out.printf("FAILED %s %s: %s (measured %s, bar %s)%n", check.getString(0), check.getString(1),
                    check.getString(6), check.get(3), check.get(4));
            }
        }
        final String scores = rows.groupBy("table_name").agg(org.apache.spark.sql.functions.first("table_score"))
            .orderBy("table_name").collectAsList().stream()
            .map(r -> String.format(java.util.Locale.ROOT, "%s %.2f", r.getString(0), r.getDouble(1)))
            .collect(java.util.stream.Collectors.joining(", "));
        System.out.printf("data-quality as of %s: %,d checks, %,d failed; share of checks passed per table: %s%n",
            asOf, checks.size(), failed, scores);
        return failed;
    }

    /** The last day with a transaction or an event. */
    private LocalDate lastDay() {
        LocalDate last = null;
        for (final String table : List.of("transactions", "user_events")) {
            if (DeltaWrites.exists(spark, lake.silver(table))) {
                final Dataset<Row> rows = spark.read().format("delta").load(lake.silver(table));
                if (!rows.isEmpty()) {
                    final LocalDate day = AsOf.orLast(null, rows, "event_date", "data-quality");
                    last = last == null || day.isAfter(last) ? day : last;
                }
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("data-quality: no dated rows in silver; give --as-of");
        }
        return last;
    }
}
