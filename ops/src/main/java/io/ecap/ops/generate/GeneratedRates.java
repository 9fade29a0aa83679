package io.ecap.ops.generate;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generated world's exchange rates as a rates file for the lake ({@code ecap lake load-rates FILE}, or
 * {@code ecap lake all --rates FILE}): one line per currency to USD, at the rate the generator prices with
 * ({@link City#usdPerUnit()}), from the history's first day on. The header is {@code date,from,to,rate}.
 */
public final class GeneratedRates {
    private GeneratedRates() {
    }

    public static void write(final Path file, final LocalDate from) throws IOException {
        final Map<String, Double> usdPerUnit = new TreeMap<>();
        for (final City city : City.ALL) {
            if (!city.currency().equals("USD")) {
                usdPerUnit.put(city.currency(), city.usdPerUnit());
            }
        }
        final StringBuilder csv = new StringBuilder("date,from,to,rate\n");
        usdPerUnit.forEach((currency, rate) -> csv.append(from).append(',').append(currency).append(",USD,")
            .append(BigDecimal.valueOf(rate).toPlainString()).append('\n'));
        Files.writeString(file, csv);
    }
}
