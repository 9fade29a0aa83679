package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send part of a request and stop, or go away in the middle: their connections are closed after
 * {@code gateway.read-timeout-ms} (here 300 ms), and a client that leaves is noted at debug level, never as an error.
 */
class SlowClientTest {
    @TempDir
    Path dir;

    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, GatewayConfig.defaults().withReadTimeoutMs(300));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private Socket connect() throws IOException {
        final Socket socket = new Socket("127.0.0.1", f.gateway.port());
        socket.setSoTimeout(30_000); // a bound for a test that fails, not a timing
        return socket;
    }

    /** Everything the server sends until it closes the connection (a read timeout here fails the test). */
    private static String readToEnd(final Socket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final byte[] buffer = new byte[4096];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private String partialBody() {
        return "POST /v1/score HTTP/1.1\r\nHost: x\r\nX-API-Key: " + f.scoreKey + "\r\nContent-Type: application/json"
            + "\r\nContent-Length: 1000\r\n\r\n{\"txnId\":";
    }

    @Test
    void shouldCloseConnectionsThatStopInTheHeaders() throws Exception {
        final List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                final Socket socket = connect();
                socket.getOutputStream().write("POST /v1/score HTTP/1.1\r\nHost: x\r\nX-API-".getBytes(
                    StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            for (final Socket socket : slow) {
                assertEquals("", readToEnd(socket), "closed without an answer: there is no request to answer");
            }
        } finally {
            for (final Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void shouldAnswer408AndCloseWhenTheBodyStops() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(partialBody().getBytes(StandardCharsets.US_ASCII));
            final String answer = readToEnd(socket);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"error\":\"request_timeout\""), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
        }
    }

    @Test
    void shouldCloseAnIdleKeptAliveConnectionAfterItsAnswer() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
            final String answers = readToEnd(socket);
            assertTrue(answers.startsWith("HTTP/1.1 200"), answers);
            assertFalse(answers.contains("408"), "an idle connection is closed, not answered: " + answers);
        }
    }

    @Test
    void shouldNoteAClientThatLeavesMidBodyAtDebugLevelWithoutAnError() throws Exception {
        final String logged = LogCapture.until(() -> {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(partialBody().getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        }, "the client closed the connection during POST /v1/score", 30);
        assertTrue(logged.contains("DEBUG io.ecap.gateway.Errors - the client closed the connection during POST "
            + "/v1/score"), logged);
        assertFalse(logged.contains("ERROR") || logged.contains("HttpClosedException"), logged);
    }

    @Test
    void shouldServeOrdinaryRequestsAsBefore() throws Exception {
        assertEquals(200, f.post("/v1/score", f.scoreKey, GatewayFixture.txn("s-1", GatewayFixture.T0, "c", "k",
            "1")).statusCode());
    }
}
