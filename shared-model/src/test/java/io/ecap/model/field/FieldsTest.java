package io.ecap.model.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsTest {
    private static long parse(final String iso) {
        final UnsafeBuffer b = new UnsafeBuffer(iso.getBytes(StandardCharsets.US_ASCII));
        return Timestamps.parseIso(b, 0, b.capacity(), "ts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T08:30:00Z", "2000-01-01T00:00:00Z", "2099-12-31T23:59:59.999Z",
        "2024-02-29T12:00:00.1+05:30", "2026-11-24T08:30:00.123456789-08:00"})
    void shouldParseTimestampsLikeJavaTime(final String iso) {
        final Instant expected = OffsetDateTime.parse(iso).toInstant();
        assertEquals(expected.toEpochMilli(), parse(iso));
        final String formatted = Timestamps.formatIso(expected.toEpochMilli());
        assertEquals(24, formatted.length());
        assertEquals(expected.toEpochMilli(), Instant.parse(formatted).toEpochMilli());
    }

    /** Formatting writes what java.time writes, every field zero-padded, from 1970 to 9999 (seeded instants). */
    @Test
    void shouldFormatTimestampsAsJavaTimeDoes() {
        final java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        final java.util.Random random = new java.util.Random(20261208);
        final long last = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            final long ms = i < 3 ? new long[] {0, 1, last}[i] : (long) (random.nextDouble() * last);
            final StringBuilder out = new StringBuilder();
            Timestamps.formatIso(ms, out);
            assertEquals(iso.format(Instant.ofEpochMilli(ms)), out.toString(), "at " + ms);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-24T24:00:00Z",
        "2026-11-24T08:30:00", "2026-11-24T08:30:00.Z", "2026-11-24T08:30:00+19:00", "2100-01-01T00:00:00Z",
        "26-11-24T08:30:00Z"})
    void shouldRejectBadTimestamps(final String iso) {
        assertThrows(ValidationException.class, () -> parse(iso));
    }

    @Test
    void shouldAgreeWithTheJdkOnCurrencyExponents() {
        for (final String code : Currencies.codes()) {
            final java.util.Currency jdk = java.util.Currency.getInstance(code);
            final int numeric = Currencies.numericOf(code, "currency");
            assertEquals(jdk.getNumericCode(), numeric);
            assertEquals(jdk.getDefaultFractionDigits(), Currencies.exponentOf(numeric));
        }
        assertEquals(0, Currencies.exponentOf(Currencies.numericOf("JPY", "c")));
        assertEquals(3, Currencies.exponentOf(Currencies.numericOf("KWD", "c")));
        assertEquals(100.0, Currencies.toUsdCents(100, Currencies.numericOf("USD", "c")));
        assertEquals(100.0, Currencies.toUsdCents(150, Currencies.numericOf("JPY", "c")), 1e-9);
        assertThrows(ValidationException.class, () -> Currencies.numericOf("ABC", "currency"));
    }

    @ParameterizedTest
    @CsvSource({
        "192.168.0.1,192.168.0.1",
        "::ffff:10.0.0.1,10.0.0.1",
        "2001:0DB8:0000:0000:0000:0000:0000:0001,2001:db8::1",
        "2001:db8:0:0:1:0:0:1,2001:db8::1:0:0:1",
        "::,::",
        "::1,::1",
        "fe80::,fe80::",
        "2001:db8::0:1,2001:db8::1",
        "1:2:3:4:5:6:7:8,1:2:3:4:5:6:7:8",
        "::1.2.3.4,::102:304",
    })
    void shouldNormaliseIpAddresses(final String input, final String canonical) {
        assertEquals(canonical, IpAddresses.canonical(input, "ip"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1:2:3:4:5:6:7:8:9", "1::2::3",
        "fe80::1%eth0", "::g", "1:2:3:4:5:6:7", ":1::", "1:", "localhost"})
    void shouldRejectWhatIsNotAnIpLiteral(final String input) {
        assertThrows(ValidationException.class, () -> IpAddresses.canonical(input, "ip"));
    }

    @Test
    void shouldKnowCountries() {
        assertTrue(Countries.pack("DE") != Countries.ABSENT);
        assertEquals("US", Countries.unpack(Countries.pack("US")));
        assertEquals(Countries.ABSENT, Countries.pack("ZZ"));
        assertEquals(Countries.ABSENT, Countries.pack("de"));
    }
}
