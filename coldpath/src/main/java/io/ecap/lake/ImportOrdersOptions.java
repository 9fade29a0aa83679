package io.ecap.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code import-orders}, all checked before Spark starts: the files exist, the format is known (or
 * follows from the names), the preset and {@code --map} name known fields and every field the import needs, the time
 * pattern and zone read, the currency is ISO 4217, and a CSV file's header has every column mapped.
 *
 * @param files the files (or folders) to import
 * @param format csv, jsonl or parquet
 * @param columns the mapping, preset and {@code --map} together
 * @param timestampPattern the time column's pattern, or null for ISO-8601 text
 * @param zone the zone of times written without an offset (default UTC)
 * @param currency the currency of lines whose file has no currency column, or null
 * @param keepReturns whether cancelled orders and negative quantities are kept (flagged) instead of quarantined
 * @param preset the preset's name, or null
 */
record ImportOrdersOptions(List<String> files, String format, OrderColumns columns, String timestampPattern,
    ZoneId zone, String currency, boolean keepReturns, String preset) {

    static final List<String> FORMATS = List.of("csv", "jsonl", "parquet");

    static ImportOrdersOptions parse(final Map<String, String> options, final List<String> files) {
        for (final String file : files) {
            if (LakeArgs.isLocal(file) && !Files.exists(Path.of(file))) {
                throw new IllegalArgumentException("FILE: no file " + file);
            }
        }
        final String format = format(options.get("--format"), files);
        final String preset = options.get("--preset");
        final OrderColumns columns = OrderColumns.preset(preset).withMap(options.get("--map"));
        columns.checkComplete();
        final String pattern = options.getOrDefault("--timestamp-format", columns.timestampPattern());
        if (pattern != null) {
            try {
                DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("--timestamp-format: '" + pattern + "' is not a datetime pattern ("
                    + e.getMessage() + "); expected letters such as M/d/yyyy H:mm");
            }
        }
        final ZoneId zone;
        try {
            zone = ZoneId.of(options.getOrDefault("--timezone", "UTC"));
        } catch (final DateTimeException e) {
            throw new IllegalArgumentException("--timezone: expected a zone such as Europe/London or +01:00, found '"
                + options.get("--timezone") + "'");
        }
        final String currency = options.containsKey("--currency")
            ? RatesFile.currency(options.get("--currency"), "--currency") : columns.currency();
        final String returns = options.getOrDefault("--returns", "quarantine");
        if (!returns.equals("quarantine") && !returns.equals("keep")) {
            throw new IllegalArgumentException("--returns: expected quarantine or keep, found '" + returns + "'");
        }
        if (format.equals("csv")) {
            for (final String file : files) {
                checkHeader(file, columns);
            }
        }
        return new ImportOrdersOptions(List.copyOf(files), format, columns, pattern, zone, currency,
            returns.equals("keep"), preset);
    }

    /** {@code --format}, or else what every file's extension says. */
    private static String format(final String given, final List<String> files) {
        if (given != null) {
            if (!FORMATS.contains(given)) {
                throw new IllegalArgumentException("--format: expected csv, jsonl or parquet, found '" + given + "'");
            }
            return given;
        }
        String found = null;
        for (final String file : files) {
            final String name = file.toLowerCase(Locale.ROOT);
            final String format = name.endsWith(".csv") ? "csv" : name.endsWith(".jsonl") || name.endsWith(".json")
                || name.endsWith(".ndjson") ? "jsonl" : name.endsWith(".parquet") ? "parquet" : null;
            if (format == null || found != null && !found.equals(format)) {
                throw new IllegalArgumentException("--format: give csv, jsonl or parquet (" + file
                    + (format == null ? " does not say by its name)" : " differs from the other files)"));
            }
            found = format;
        }
        return found;
    }

    /** A local CSV file's first line must hold every column mapped: a misspelt column is named before Spark runs. */
    private static void checkHeader(final String file, final OrderColumns columns) {
        if (!LakeArgs.isLocal(file) || Files.isDirectory(Path.of(file))) {
            return;
        }
        final List<String> header;
        try (var lines = Files.lines(Path.of(file))) {
            header = lines.findFirst().map(ImportOrdersOptions::splitHeader).orElse(List.of());
        } catch (final IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("FILE: cannot read " + file + " (" + e.getMessage() + ")");
        }
        for (final Map.Entry<String, String> field : columns.columns().entrySet()) {
            if (!header.contains(field.getValue())) {
                throw new IllegalArgumentException("--map: " + field.getKey() + "=" + field.getValue() + ": no such "
                    + "column in " + file + " (it has " + String.join(", ", header) + ")");
            }
        }
    }

    /** The column names of a CSV header line, unquoted (a name may hold a comma inside quotes). */
    static List<String> splitHeader(final String line) {
        final List<String> names = new ArrayList<>();
        final StringBuilder name = new StringBuilder();
        boolean quoted = false;
        final String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                names.add(name.toString().strip());
                name.setLength(0);
            } else {
                name.append(c);
            }
        }
        names.add(name.toString().strip());
        return names;
    }

    /** Whether the time pattern carries the offset itself (then {@code --timezone} does not apply). */
    boolean patternHasOffset() {
        return timestampPattern != null && timestampPattern.replaceAll("'[^']*'", "").matches(".*[XxZOVz].*");
    }
}
