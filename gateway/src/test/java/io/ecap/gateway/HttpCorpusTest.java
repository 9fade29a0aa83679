package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.testing.fuzz.Corpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the HTTP corpus kept in the repository ({@code src/test/resources/fuzz/http}) against a real gateway and
 * engine on every run. A file is a raw request ({@code \n} becomes CRLF; {@code {KEY}} a key with every scope;
 * Content-Length is added unless the file frames its body itself), named for the status it must get ({@code 000}:
 * the server closes the connection without an answer); every answer is checked by {@link HttpAnswers}, and a valid
 * transaction still scores after each.
 */
class HttpCorpusTest {
    private static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Files.createTempDirectory("ecap-http-corpus"),
            GatewayConfig.defaults().withRate(1_000_000).withReadTimeoutMs(300));
    }

    @AfterAll
    static void stop() throws Exception {
        f.closeAndDelete();
    }

    static Stream<Path> corpus() {
        return Corpus.files(HttpCorpusTest.class, "/fuzz/http").stream();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void shouldAnswerEveryRequestOfTheCorpusAsItsNameSays(final Path file) throws Exception {
        final String name = file.getFileName().toString();
        final int expected = Integer.parseInt(name.substring(0, 3));
        final RawHttp.Response r = RawHttp.exchange(f.gateway.port(), request(Corpus.bytes(file)), false);
        assertEquals(expected, r.status(), name + ": " + r.text());
        HttpAnswers.check(name, r, false, expected != 501);
        HttpSurfaceFuzzProperties.stillScores(f);
    }

    private static byte[] request(final byte[] file) {
        final String text = new String(file, StandardCharsets.UTF_8).replace("{KEY}", f.allKey)
            .replace("\n", "\r\n");
        final int split = text.indexOf("\r\n\r\n");
        final String head = text.substring(0, split);
        final byte[] body = text.substring(split + 4).getBytes(StandardCharsets.UTF_8);
        final boolean framed = head.contains("Content-Length:") || head.contains("Transfer-Encoding:");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + (framed ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
