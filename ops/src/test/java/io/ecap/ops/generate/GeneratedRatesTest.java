package io.ecap.ops.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's rates file: every generated currency but USD, to USD, at the generator's own rate, from day one. */
class GeneratedRatesTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteOneRateToUsdPerGeneratedCurrency() throws Exception {
        final Path file = dir.resolve("rates.csv");
        GeneratedRates.write(file, LocalDate.of(2026, 5, 7));
        final List<String> lines = Files.readAllLines(file);
        assertEquals("date,from,to,rate", lines.get(0));
        assertTrue(lines.contains("2026-05-07,EUR,USD,1.087"), lines.toString());
        assertTrue(lines.contains("2026-05-07,JPY,USD,0.00667"), lines.toString());
        assertTrue(lines.contains("2026-05-07,NGN,USD,0.000667"), lines.toString());
        final long currencies = java.util.Arrays.stream(City.ALL).map(City::currency).filter(c -> !c.equals("USD"))
            .distinct().count();
        assertEquals(currencies + 1, lines.size(), "one line per currency besides USD, after the header");
    }
}
