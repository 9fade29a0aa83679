package io.ecap.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rates file is read exactly, and a line that does not read names the file, the line and the field. */
class RatesFileTest {
    @TempDir
    Path dir;

    private String file(final String... lines) throws Exception {
        final Path file = dir.resolve("rates-" + lines.length + "-" + Math.abs(String.join("", lines).hashCode())
            + ".csv");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file.toString();
    }

    @Test
    void shouldReadRatesExactly() throws Exception {
        assertEquals(List.of(new RatesFile.Rate(LocalDate.of(2011, 1, 4), "EUR", "GBP", new BigDecimal("0.8532")),
                new RatesFile.Rate(LocalDate.of(2011, 1, 5), "JPY", "USD", new BigDecimal("0.0120481928"))),
            RatesFile.read(file("date,from,to,rate", "2011-01-04,EUR,GBP,0.8532", "", "2011-01-05, JPY,USD ,"
                + "0.0120481928")));
    }

    @Test
    void shouldNameTheLineAndTheFieldThatDoNotRead() throws Exception {
        final String header = "date,from,to,rate";
        assertProblem(" line 1: expected the header date,from,to,rate, found 'day,from,to,rate'",
            file("day,from,to,rate", "2011-01-04,EUR,GBP,0.8532"));
        assertProblem(" line 3: date: expected a day such as 2011-01-04, found '2011-02-30'",
            file(header, "2011-01-04,EUR,GBP,0.8532", "2011-02-30,EUR,GBP,0.85"));
        assertProblem(" line 2: from: expected an ISO 4217 currency code such as EUR, found 'eur'",
            file(header, "2011-01-04,eur,GBP,0.8532"));
        assertProblem(" line 2: to: expected an ISO 4217 currency code such as EUR, found 'XYZ'",
            file(header, "2011-01-04,EUR,XYZ,0.8532"));
        assertProblem(" line 2: rate: expected a positive decimal, found 'abc'",
            file(header, "2011-01-04,EUR,GBP,abc"));
        assertProblem(" line 2: rate: expected a positive decimal with at most 10 digits before and after the point, "
            + "found '-1'", file(header, "2011-01-04,EUR,GBP,-1"));
        assertProblem(" line 2: expected 4 fields (date,from,to,rate), found 3", file(header, "2011-01-04,EUR,0.85"));
        assertProblem(" line 2: from and to are both EUR", file(header, "2011-01-04,EUR,EUR,1"));
        assertProblem(": no rates after the header", file(header));
        assertProblem(" line 4: a second USD->GBP rate for 2011-01-03 (line 2 has one): keep one",
            file(header, "2011-01-03,USD,GBP,0.6", "2011-01-03,EUR,GBP,0.8", "2011-01-03,USD,GBP,0.7"));
    }

    private static void assertProblem(final String expected, final String file) {
        assertEquals(file + expected, assertThrows(IllegalArgumentException.class, () -> RatesFile.read(file))
            .getMessage());
    }
}
