package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile bodies (deep nesting, huge numbers, invalid UTF-8, duplicate keys, wrong types, random bytes) never get a
 * 5xx and never take the server down.
 */
class HostileRequestProperties {
    private static GatewayFixture f;

    @BeforeContainer
    static void start() throws Exception {
        f = GatewayFixture.start(Files.createTempDirectory("ecap-hostile"));
    }

    @AfterContainer
    static void stop() throws Exception {
        f.closeAndDelete();
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        final String valid = GatewayFixture.txn("h-1", GatewayFixture.T0, "c", "k", "1.00");
        final Arbitrary<String> nested = Arbitraries.integers().between(1, 5000)
            .map(n -> "{\"txnId\":" + "[".repeat(n) + "]".repeat(n) + "}");
        final Arbitrary<String> numbers = Arbitraries.of("1e999999", "-0", "123456789012345678901234567890.5",
            "1.0e-400", "0.000000000000000000001", "99999999999999999999").map(n -> valid.replace("\"1.00\"", n));
        final Arbitrary<String> duplicates = Arbitraries.of("amount", "txnId", "ts", "currency")
            .map(k -> valid.replace("}", ",\"" + k + "\":\"x\"}"));
        final Arbitrary<String> types = Arbitraries.of("null", "true", "[]", "{}", "\"\"", "-1", "\"\\u0000\"")
            .flatMap(v -> Arbitraries.of("txnId", "ts", "amount", "currency", "customerId")
                .map(k -> valid.replaceFirst("\"" + k + "\":(\"[^\"]*\"|\\d+)", "\"" + k + "\":" + v)));
        final Arbitrary<byte[]> text = Arbitraries.oneOf(nested, numbers, duplicates, types)
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
        final Arbitrary<byte[]> utf8 = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xF4,
                (byte) 0x90, (byte) 0x80, (byte) 0x80}).map(bad -> {
                    final byte[] base = valid.getBytes(StandardCharsets.UTF_8);
                    final byte[] out = new byte[base.length + bad.length];
                    final int at = valid.indexOf("\"c\"") + 1;
                    System.arraycopy(base, 0, out, 0, at);
                    System.arraycopy(bad, 0, out, at, bad.length);
                    System.arraycopy(base, at, out, at + bad.length, base.length - at);
                    return out;
                });
        final Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        return Arbitraries.oneOf(text, utf8, random);
    }

    @Property(tries = 300)
    void hostileBodiesNeverGetA5xx(@ForAll("hostile") final byte[] body) throws Exception {
        for (final String path : List.of("/v1/score", "/v1/score/batch", "/v1/labels", "/v1/events")) {
            final String key = path.equals("/v1/labels") ? f.labelKey : f.scoreKey;
            final HttpResponse<Buffer> r = GatewayFixture.await(f.web.post(f.gateway.port(), "127.0.0.1", path)
                .putHeader("X-API-Key", key).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)));
            assertTrue(r.statusCode() < 500, path + " answered " + r.statusCode() + ": " + r.bodyAsString());
            if (r.statusCode() == 400) {
                assertTrue(r.bodyAsJsonObject().containsKey("field"), r.bodyAsString());
            }
        }
        assertEquals(200, f.get("/health/live", null).statusCode());
    }
}
