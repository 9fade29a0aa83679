package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ecap.testing.fuzz.FuzzProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the HTTP surface of a real gateway in front of a real engine with hostile requests
 * ({@link HostileHttpRequests}) sent as raw bytes: no 5xx, every 4xx the documented JSON error
 * ({@link HttpAnswers}), no hang (every read is bounded), a well-formed request always answered, and after each one
 * a valid transaction still scores. The read timeout is short here so that lying Content-Lengths are answered (408)
 * quickly; the rate limit is out of the way so that it cannot hide anything.
 */
@AddLifecycleHook(FuzzProfile.class)
class HttpSurfaceFuzzProperties {
    private static final AtomicInteger SCORED = new AtomicInteger();
    private static GatewayFixture f;

    @BeforeContainer
    static void start() throws Exception {
        f = new GatewayFixture(Files.createTempDirectory("ecap-http-fuzz"),
            GatewayConfig.defaults().withRate(1_000_000).withReadTimeoutMs(300));
    }

    @AfterContainer
    static void stop() throws Exception {
        f.closeAndDelete();
    }

    @Provide
    Arbitrary<HostileHttpRequests.Request> requests() {
        return HostileHttpRequests.requests(HostileHttpRequests.seeds());
    }

    @Property(tries = 300)
    void hostileRequestsGetNo5xxAndTheDocumentedError(@ForAll("requests") final HostileHttpRequests.Request request)
        throws Exception {
        final RawHttp.Response r = RawHttp.exchange(f.gateway.port(), request.bytes(f), false);
        if (r.status() == 0) {
            assertFalse(request.wellFormed(), "closed without an answer: " + request.describe());
        } else {
            HttpAnswers.check(request.describe(), r, request.method().equals("HEAD"), request.http1x());
        }
        stillScores(f);
    }

    /**
     * A valid transaction still gets a decision, on a connection of its own: a pooled keep-alive connection may be
     * closed by the read timeout (300 ms here) just as it is reused, which is the timeout doing its job.
     */
    static void stillScores(final GatewayFixture f) throws Exception {
        final byte[] body = GatewayFixture.txn("still-" + SCORED.incrementAndGet(), GatewayFixture.T0, "c-ok",
            "tok-ok", "1.00").getBytes(StandardCharsets.UTF_8);
        final byte[] head = ("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-API-Key: "
            + f.scoreKey + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        final RawHttp.Response ok = RawHttp.exchange(f.gateway.port(), request, false);
        assertEquals(200, ok.status(), ok.text());
    }
}
