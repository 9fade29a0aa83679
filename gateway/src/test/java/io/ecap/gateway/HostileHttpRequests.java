package io.ecap.gateway;

import io.ecap.testing.fuzz.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile HTTP requests and bodies: odd methods, paths and query strings, wrong or missing media types
 * and keys, oversized and malformed headers, lying Content-Lengths, broken chunking, and bodies that are mutated real
 * documents (transactions, labels, events, products, batches, rule and model files) or random bytes.
 */
final class HostileHttpRequests {
    /** Which key a request carries; resolved against the fixture when sent. */
    enum Key { NONE, SCORE, LABEL, ADMIN, ALL, BOGUS, BEARER_ALL, QUERY_ALL }

    /** How the body is framed. */
    enum Framing { EXACT, NO_LENGTH, SHORT, LONG, CHUNKED, BAD_CHUNK, TWO_LENGTHS, NEGATIVE_LENGTH }

    /**
     * One request, before the key is known. {@code wellFormed}: the server owes it an answer. A body whose framing is
     * broken (a Content-Length longer or shorter than the body, a Transfer-Encoding that says chunked over a body that
     * is not) may instead close the connection: what follows cannot be trusted to start the next request.
     */
    record Request(String method, String target, String version, Key key, String contentType,
        List<String> extraHeaders, byte[] body, Framing framing) {

        boolean wellFormed() {
            return version.equals("HTTP/1.1") && method.matches("[A-Z]+") && target.startsWith("/")
                && !target.contains(" ") && extraHeaders.stream().allMatch(h -> h.matches("[A-Za-z-]+: [ -~]{0,200}")
                    && !h.startsWith("Transfer-Encoding") && !h.startsWith("Content-Length"))
                && (framing == Framing.EXACT || framing == Framing.NO_LENGTH || framing == Framing.CHUNKED);
        }

        /** A version Vert.x serves (any other gets its 501 before the router: see {@link HttpAnswers}). */
        boolean http1x() {
            return version.equals("HTTP/1.1") || version.equals("HTTP/1.0");
        }

        byte[] bytes(final GatewayFixture f) {
            final String keyValue = switch (key) {
                case SCORE -> f.scoreKey;
                case LABEL -> f.labelKey;
                case ADMIN -> f.adminKey;
                case ALL, BEARER_ALL, QUERY_ALL -> f.allKey;
                case BOGUS -> "ecap_" + "0".repeat(64);
                case NONE -> null;
            };
            final StringBuilder head = new StringBuilder();
            final String fullTarget = key == Key.QUERY_ALL ? target + (target.contains("?") ? "&" : "?") + "apiKey="
                + keyValue : target;
            head.append(method).append(' ').append(fullTarget).append(' ').append(version).append("\r\n");
            head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
            if (keyValue != null && key != Key.QUERY_ALL) {
                head.append(key == Key.BEARER_ALL ? "Authorization: Bearer " : "X-API-Key: ").append(keyValue)
                    .append("\r\n");
            }
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            extraHeaders.forEach(h -> head.append(h).append("\r\n"));
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (framing) {
                case EXACT -> head.append("Content-Length: ").append(body.length).append("\r\n");
                case SHORT -> head.append("Content-Length: ").append(body.length + 10).append("\r\n");
                case LONG -> head.append("Content-Length: ").append(Math.max(0, body.length - 3)).append("\r\n");
                case TWO_LENGTHS -> head.append("Content-Length: ").append(body.length)
                    .append("\r\nContent-Length: 1\r\n");
                case NEGATIVE_LENGTH -> head.append("Content-Length: -").append(body.length).append("\r\n");
                case CHUNKED, BAD_CHUNK -> head.append("Transfer-Encoding: chunked\r\n");
                default -> { } // NO_LENGTH
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (framing == Framing.CHUNKED || framing == Framing.BAD_CHUNK) {
                final String size = framing == Framing.CHUNKED ? Integer.toHexString(body.length) : "zz";
                out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
                out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (framing != Framing.NO_LENGTH) {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        String describe() {
            return method + " " + target + " " + version + " key=" + key + " type=" + contentType + " headers="
                + extraHeaders.stream().map(h -> h.length() > 60 ? h.substring(0, 60) + "...(" + h.length() + ")" : h)
                .toList() + " framing=" + framing + " body=" + body.length + " bytes";
        }
    }

    private HostileHttpRequests() {
    }

    static final List<String> ROUTES = List.of("/v1/score", "/v1/score/batch", "/v1/labels", "/v1/events",
        "/v1/products", "/v1/decisions/fuzz-1", "/v1/admin/rules", "/v1/admin/rules/1", "/v1/admin/rules/rollback",
        "/v1/admin/models", "/v1/admin/models/1", "/v1/admin/models/rollback", "/v1/stream", "/v1/alerts",
        "/health/live", "/health/ready", "/openapi.yaml", "/metrics");
    private static final List<String> ODD_TARGETS = List.of("/", "//v1//score", "/v1/score/", "/v1/./score",
        "/v1/../v1/score", "/../../etc/passwd", "/v1/decisions/%", "/v1/decisions/%zz", "/v1/decisions/%2e%2e",
        "/v1/decisions/%FF%FE%00", "/v1/decisions/" + "a".repeat(5000), "/v1/admin/rules/-1",
        "/v1/admin/rules/99999999999999999999", "/v1/admin/models/abc", "/v1/score?x=1&x=2", "/v1/score?%",
        "/v1/score?=&=&", "/v1/score#frag", "/v1/SCORE", "/V1/score", "/v1/score;jsessionid=1", "/v1/score%20",
        "/v1/score\u00e9", "*", "http://127.0.0.1/v1/score", "/v1/decisions/", "/v1/admin", "/v1");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
        "TRACE", "CONNECT", "PROPFIND", "get", "P@ST");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
        "APPLICATION/JSON;CHARSET=UTF-8", "application/json; charset=latin1", "application/json;;;", "text/plain",
        "text/plain; charset=utf-8", "*/*", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/jsonx", "json", "", "\u00e9/\u00e9");

    static Arbitrary<Request> requests(final List<byte[]> seeds) {
        final Arbitrary<String> target = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(ROUTES)), Tuple.of(2, Arbitraries.of(ODD_TARGETS)));
        final Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("POST")),
            Tuple.of(3, Arbitraries.of(METHODS)));
        final Arbitrary<String> version = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of("HTTP/1.1")),
            Tuple.of(1, Arbitraries.of("HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "http/1.1", "", "HTTP/1.1 x")));
        final Arbitrary<String> contentType = Arbitraries.of(CONTENT_TYPES).injectNull(0.15);
        final Arbitrary<List<String>> headers = Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(List.<String>of())),
            Tuple.of(3, Arbitraries.of(headers()).list().ofMaxSize(3)));
        final Arbitrary<Framing> framing = Arbitraries.frequencyOf(Tuple.of(8,
            Arbitraries.just(Framing.EXACT)), Tuple.of(2, Arbitraries.of(Framing.class)));
        return Combinators.combine(method, target, version, Arbitraries.of(Key.class), contentType, headers,
            bodies(seeds), framing).as(Request::new);
    }

    private static List<String> headers() {
        return List.of("X-Big: " + "a".repeat(9_000), "X-Huge: " + "b".repeat(70_000), "X-Empty:", "NoColonHere",
            "X-Latin: caf\u00e9", "X-Ctl: a\u0001b", " X-Folded: continued", "Expect: 100-continue",
            "Content-Encoding: gzip", "Accept: */*", "Transfer-Encoding: gzip, chunked", "Content-Length: abc",
            "X-API-Key: ecap_short", "Authorization: Basic Zm9vOmJhcg==", "Authorization: Bearer",
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "X-Forwarded-For: ::1",
            "Host: evil.example", "X-Many: " + "x,".repeat(2_000));
    }

    static Arbitrary<byte[]> bodies(final List<byte[]> seeds) {
        final List<byte[]> palette = List.of(Mutations.utf8("\""), Mutations.utf8("{"), Mutations.utf8("}"),
            Mutations.utf8("["), Mutations.utf8(","), Mutations.utf8("1e999999"), Mutations.utf8("\\ud800"),
            Mutations.utf8("4111111111111111"), Mutations.utf8(",\"amount\":\"1\""), Mutations.utf8("(((((("),
            Mutations.utf8("\n"), new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {0});
        return Arbitraries.frequencyOf(
            Tuple.of(6, Mutations.of(seeds, palette)),
            Tuple.of(2, Arbitraries.of(seeds)),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(500)),
            Tuple.of(1, Arbitraries.of(new byte[0], new byte[70_000],
                Mutations.utf8("[" + "[".repeat(20_000) + "]".repeat(20_000) + "]"),
                Mutations.utf8("rule X weight 1\n    when " + "(".repeat(30_000)))));
    }

    /** Real documents: the API's own examples, a batch, and the bundled rule file. */
    static List<byte[]> seeds() {
        final String txn = GatewayFixture.txn("fz-1", GatewayFixture.T0, "c-1", "tok-1", "12.50");
        return List.of(Mutations.utf8(txn), Mutations.utf8("[" + txn + "," + txn.replace("fz-1", "fz-2") + "]"),
            Mutations.utf8("{\"txnId\":\"fz-1\",\"label\":\"FRAUD\",\"source\":\"ANALYST\",\"ts\":" + GatewayFixture.T0
                + "}"),
            Mutations.utf8("{\"eventId\":\"e-1\",\"ts\":" + GatewayFixture.T0 + ",\"type\":\"purchase\","
                + "\"sessionId\":\"s-1\",\"amount\":\"3.00\",\"currency\":\"EUR\"}"),
            Mutations.utf8("{\"productId\":\"p-1\",\"ts\":" + GatewayFixture.T0 + ",\"price\":\"9.99\","
                + "\"currency\":\"EUR\",\"stock\":3}"),
            Mutations.utf8("{\"journalIndex\": 1}"), Mutations.utf8("{\"version\": \"none\"}"),
            Mutations.utf8("ecap-model 1\nname lr\nversion 3\ntype logistic\nfeatures txn.amount_usd\n"
                + "intercept -2\nweights 0.01\n"),
            resource("/io/ecap/hotpath/rules/default.rules"));
    }

    private static byte[] resource(final String name) {
        try (InputStream in = HostileHttpRequests.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
