package io.ecap.lake;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The as-of day of an analytics job: the one given, or else the last day its data has. */
final class AsOf {
    private AsOf() {
    }

    /**
     * A day after today (UTC) would write analytics for a day that has not happened, which later reports would take
     * as the newest: a usage error, checked before Spark starts. Null stays null.
     */
    static LocalDate notInTheFuture(final LocalDate given) {
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (given != null && given.isAfter(today)) {
            throw new IllegalArgumentException("--as-of " + given + ": in the future (today is " + today + " UTC)");
        }
        return given;
    }

    /**
     * @param given the day asked for, or null
     * @param rows the job's input; {@code column} its date column
     */
    static LocalDate orLast(final LocalDate given, final Dataset<Row> rows, final String column, final String job) {
        if (given != null) {
            return given;
        }
        final Row last = rows.selectExpr("max(" + column + ")").first();
        if (last.isNullAt(0)) {
            throw new IllegalArgumentException(job + ": no dated rows to take an as-of day from; give --as-of");
        }
        return last.getDate(0).toLocalDate();
    }
}
