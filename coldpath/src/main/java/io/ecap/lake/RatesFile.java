package io.ecap.lake;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's file of dated exchange rates, read and checked before Spark starts: CSV with the header
 * {@code date,from,to,rate} and one rate a line, {@code 2011-01-04,EUR,GBP,0.8532}: on and after that day (until the
 * pair's next line), 1 unit of {@code from} is worth {@code rate} units of {@code to}. Currencies are ISO 4217 codes,
 * rates positive decimals (kept exactly, up to 10 decimal places). A line that does not read is a usage error naming
 * the file, the line and the field.
 */
final class RatesFile {
    static final String HEADER = "date,from,to,rate";

    /** One line of the file. */
    record Rate(LocalDate date, String from, String to, BigDecimal rate) {
    }

    private RatesFile() {
    }

    static List<Rate> read(final String file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file));
        } catch (final IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": "
                + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage())));
        }
        if (lines.isEmpty() || !lines.get(0).strip().replace(" ", "").equalsIgnoreCase(HEADER)) {
            throw new IllegalArgumentException(file + " line 1: expected the header " + HEADER + ", found '"
                + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        final List<Rate> rates = new ArrayList<>();
        final Map<String, Integer> seen = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                final Rate rate = parse(lines.get(i), file + " line " + (i + 1));
                final Integer earlier = seen.putIfAbsent(rate.date() + " " + rate.from() + "->" + rate.to(), i + 1);
                if (earlier != null) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": a second " + rate.from() + "->"
                        + rate.to() + " rate for " + rate.date() + " (line " + earlier + " has one): keep one");
                }
                rates.add(rate);
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rates after the header");
        }
        return rates;
    }

    static Rate parse(final String line, final String where) {
        final String[] fields = line.split(",", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException(where + ": expected 4 fields (" + HEADER + "), found " + fields.length);
        }
        final LocalDate date;
        try {
            date = LocalDate.parse(fields[0].strip());
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": date: expected a day such as 2011-01-04, found '"
                + fields[0] + "'");
        }
        final String from = currency(fields[1], where + ": from");
        final String to = currency(fields[2], where + ": to");
        if (from.equals(to)) {
            throw new IllegalArgumentException(where + ": from and to are both " + from);
        }
        final BigDecimal rate;
        try {
            rate = new BigDecimal(fields[3].strip());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(where + ": rate: expected a positive decimal, found '" + fields[3]
                + "'");
        }
        if (rate.signum() <= 0 || rate.scale() > 10 || rate.precision() - rate.scale() > 10) {
            throw new IllegalArgumentException(where + ": rate: expected a positive decimal with at most 10 digits"
                + " before and after the point, found '" + fields[3] + "'");
        }
        return new Rate(date, from, to, rate);
    }

    /** An ISO 4217 code, checked; also used for {@code --currency}. */
    static String currency(final String value, final String label) {
        final String code = value.strip();
        try {
            if (code.matches("[A-Z]{3}")) {
                Currency.getInstance(code);
                return code;
            }
        } catch (final IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(label + ": expected an ISO 4217 currency code such as EUR, found '" + value
            + "'");
    }
}
