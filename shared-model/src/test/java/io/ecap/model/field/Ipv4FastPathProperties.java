package io.ecap.model.field;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The parser's shortcut for IPv4 ({@link IpAddresses#isCanonicalIpv4}) agrees with the full parser: it says yes exactly
 * when {@link IpAddresses#canonical} accepts the text and returns it unchanged as a dotted quad.
 */
class Ipv4FastPathProperties {

    @Property(tries = 3000)
    void shouldAgreeWithTheFullParser(@ForAll("nearlyIpv4") final String text) {
        assertEquals(fullParserKeepsIpv4(text), fast(text), text);
    }

    @Example
    void shouldAgreeOnEdgeCases() {
        for (final String text : new String[] {"0.0.0.0", "255.255.255.255", "256.0.0.0", "1.2.3.04", "1.2.3.",
            ".1.2.3", "1..2.3", "1.2.3.4.", "1.2.3.4.5", "1.2.3.4 ", "::ffff:1.2.3.4", "1.2.3.999", "01.2.3.4",
            "1.2.3.0", "10.0.162.242", "1.2.3.4a", "", "1.2.3.4567"}) {
            assertEquals(fullParserKeepsIpv4(text), fast(text), text);
        }
    }

    @Provide
    Arbitrary<String> nearlyIpv4() {
        return Arbitraries.strings().withChars("0123456789.....:a ").ofMinLength(0).ofMaxLength(17);
    }

    private static boolean fast(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 4]);
        buffer.putBytes(2, bytes);
        return IpAddresses.isCanonicalIpv4(buffer, 2, bytes.length);
    }

    private static boolean fullParserKeepsIpv4(final String text) {
        try {
            return IpAddresses.canonical(text, "ip").equals(text) && text.indexOf(':') < 0;
        } catch (final ValidationException refused) {
            return false;
        }
    }
}
