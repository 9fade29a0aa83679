package io.ecap.lake;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code show} prints: the rows {@code --where} selects, the {@code --columns} named (all but the raw entry by
 * default), at most {@code --limit} of them, as a {@code table} (Spark's, for people), {@code csv} (a header line,
 * RFC 4180 quoting, nested values as JSON) or {@code json} (one object a line, null values written as null). With
 * csv and json only the rows go to standard output, so they can be piped; the row count goes to standard error.
 *
 * @param columns the columns asked for, or null for all but {@code raw}
 * @param where a SQL condition, or null
 */
record ShowOutput(String format, List<String> columns, String where, int limit) {
    static final Set<String> FORMATS = Set.of("table", "csv", "json");

    static ShowOutput of(final java.util.Map<String, String> options, final int limit) {
        final String format = options.getOrDefault("--format", "table");
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("--format: expected table, csv or json, found '" + format + "'");
        }
        final String columns = options.get("--columns");
        if (columns != null && !columns.matches("[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new IllegalArgumentException("--columns: expected column names separated by commas, found '"
                + columns + "'");
        }
        return new ShowOutput(format, columns == null ? null : List.of(columns.split(",")), options.get("--where"),
            limit);
    }

    /** Selects and filters; a column the table lacks or SQL that does not read is a problem naming the option. */
    Dataset<Row> select(final Dataset<Row> table) {
        final List<String> names = Arrays.asList(table.columns());
        Dataset<Row> rows = table;
        if (where != null) {
            try {
                rows = rows.where(where);
            } catch (final Exception e) {
                if (e instanceof AnalysisException) {
                    throw new IllegalArgumentException("--where: " + LakeMain.firstLine(e.getMessage()));
                }
                throw e;
            }
        }
        if (columns == null) {
            return names.contains("raw") ? rows.drop("raw") : rows;
        }
        for (final String column : columns) {
            if (!names.contains(column)) {
                throw new IllegalArgumentException("--columns: no column " + column + " in the table (it has "
                    + String.join(", ", names) + ")");
            }
        }
        return rows.select(columns.stream().map(functions::col).toArray(Column[]::new));
    }

    /** Prints the rows; the count line ("table: N rows") goes to {@code out} for a table, else to {@code err}. */
    void print(final Dataset<Row> rows, final String header, final PrintStream out, final PrintStream err) {
        try {
            final long count = rows.count();
            (format.equals("table") ? out : err).printf("%s: %,d rows%n", header, count);
            switch (format) {
                case "table" -> rows.show(limit, 40);
                case "json" -> rows.limit(limit).select(functions.to_json(functions.struct(Arrays.stream(
                    rows.columns()).map(functions::col).toArray(Column[]::new)), java.util.Map.of("ignoreNullFields",
                    "false"))).collectAsList().forEach(r -> out.println(r.getString(0)));
                default -> csv(rows, out);
            }
        } catch (final Exception e) {
            // Spark throws its SparkFileNotFoundException (a checked exception) without declaring it, from the count
            // or (when the log's statistics answer the count) from reading the rows, sometimes wrapped
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.io.FileNotFoundException) {
                    throw new IllegalArgumentException(header + ": the files of that version are gone (a vacuum "
                        + "removed them: ecap lake vacuum, or ecap lake erase with --retain-hours below the version's "
                        + "age)");
                }
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private void csv(final Dataset<Row> rows, final PrintStream out) {
        final List<Column> text = new ArrayList<>();
        for (final StructField field : rows.schema().fields()) {
            final boolean nested = field.dataType() instanceof StructType || field.dataType() instanceof MapType
                || field.dataType() instanceof ArrayType;
            text.add((nested ? functions.to_json(functions.col(field.name()))
                : functions.col(field.name()).cast("string")).as(field.name()));
        }
        out.println(String.join(",", Arrays.stream(rows.columns()).map(ShowOutput::quoted).toList()));
        for (final Row row : rows.select(text.toArray(Column[]::new)).limit(limit).collectAsList()) {
            final List<String> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(row.isNullAt(i) ? "" : quoted(row.getString(i)));
            }
            out.println(String.join(",", values));
        }
    }

    /** RFC 4180: a value with a comma, quote or line break is quoted, its quotes doubled. */
    static String quoted(final String value) {
        return value.matches("(?s).*[,\"\\r\\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
