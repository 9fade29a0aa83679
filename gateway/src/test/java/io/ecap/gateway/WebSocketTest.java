package io.ecap.gateway;

import static io.ecap.gateway.GatewayFixture.T0;
import static io.ecap.gateway.GatewayFixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketTest {
    @TempDir
    Path dir;

    private static WebSocket connect(final GatewayFixture f, final String path, final String key) throws Exception {
        final WebSocketClient client = f.vertx.createWebSocketClient();
        return GatewayFixture.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(f.gateway.port()).setURI(path).addHeader("X-API-Key", key)));
    }

    @Test
    void shouldAnswerInOrderAndStopReadingWhenTheWindowIsFull() throws Exception {
        final GatewayFixture f = new GatewayFixture(dir, GatewayConfig.defaults().withStreamWindow(4));
        try {
            final int count = 2000;
            final List<String> answers = new CopyOnWriteArrayList<>();
            final CountDownLatch done = new CountDownLatch(count);
            final WebSocket ws = connect(f, "/v1/stream", f.scoreKey);
            ws.textMessageHandler(text -> {
                answers.add(text);
                done.countDown();
            });
            for (int i = 0; i < count; i++) {
                ws.writeTextMessage(i % 10 == 7 ? "{\"txnId\":\"bad-" + i + "\"}"
                    : i % 10 == 9 ? txn("w-" + (i - 1), T0 + i, "c-w", "k-w", "9.99")
                    : txn("w-" + i, T0 + i, "c-w" + i % 7, "k-w" + i % 9, "3.00"));
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "answered " + answers.size());
            for (int i = 0; i < count; i++) {
                final JsonObject answer = new JsonObject(answers.get(i));
                if (i % 10 == 7) {
                    assertEquals("invalid_field", answer.getString("error"), "answer " + i);
                    assertEquals("ts", answer.getString("field"));
                } else if (i % 10 == 9) {
                    assertEquals("idempotency_conflict", answer.getString("error"), "answer " + i + ": w-" + (i - 1)
                        + " again with other content");
                } else {
                    assertEquals("w-" + i, answer.getString("txnId"), "answer " + i + " out of order");
                }
            }
            assertTrue(f.gateway.context().metrics().streamPauses() > 0, "the stream stopped reading at times");
            GatewayFixture.await(ws.close());
        } finally {
            f.close();
        }
    }

    @Test
    void shouldRefuseAStreamWithoutAKey() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> connect(f, "/v1/stream", "ecap_" + "1".repeat(64)));
            assertTrue(e.getMessage().contains("401"), e.getMessage());
            final WebSocketConnectOptions query = new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(f.gateway.port()).setURI("/v1/stream?apiKey=" + f.scoreKey);
            WebSocket byQuery;
            try {
                byQuery = GatewayFixture.await(f.vertx.createWebSocketClient().connect(query));
            } catch (final java.util.concurrent.ExecutionException closed) {
                // seen twice in many runs on a loaded machine: the server closed the connection during the
                // handshake (cause not found yet; the server now logs failed upgrades). A second refusal fails.
                System.err.println("WebSocketTest: first handshake by query key failed (" + closed.getCause()
                    + "); trying once more");
                byQuery = GatewayFixture.await(f.vertx.createWebSocketClient().connect(query));
            }
            GatewayFixture.await(byQuery.close());
        } finally {
            f.close();
        }
    }

    @Test
    void shouldPushReviewAndDeclineDecisionsToAlertSubscribers() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
            final CountDownLatch got = new CountDownLatch(1);
            final WebSocket ws = connect(f, "/v1/alerts", f.labelKey);
            ws.textMessageHandler(text -> {
                alerts.add(new JsonObject(text));
                got.countDown();
            });
            f.post("/v1/admin/rules", f.adminKey, "ruleset strict version 2\nthresholds review 10 decline 20\n"
                + "rule BIG weight 50\n    when txn.amount_usd >= 1000\n");
            f.post("/v1/score", f.scoreKey, txn("ok-1", T0, "c", "k", "5.00"));
            f.post("/v1/score", f.scoreKey, txn("big-1", T0, "c", "k", "5000.00"));
            assertTrue(got.await(10, TimeUnit.SECONDS), "no alert arrived");
            assertEquals(1, alerts.size(), "the approved transaction raised no alert");
            assertEquals("big-1", alerts.get(0).getJsonObject("decision").getString("txnId"));
            assertEquals("DECLINE", alerts.get(0).getJsonObject("decision").getString("decision"));
            assertEquals("k", alerts.get(0).getJsonObject("transaction").getString("cardId"));
            GatewayFixture.await(ws.close());
        } finally {
            f.close();
        }
    }

    @Test
    void shouldAnswerAPlainRequestToASocketRouteWithUpgradeRequired() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            for (final HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
                final HttpResponse<Buffer> plain = f.send(method, "/v1/stream", f.scoreKey, null);
                assertEquals(426, plain.statusCode(), method.name());
                assertEquals("websocket", plain.getHeader("upgrade"));
            }
            assertEquals("upgrade_required", f.get("/v1/alerts", f.labelKey).bodyAsJsonObject().getString("error"));
        } finally {
            f.close();
        }
    }

    @Test
    void shouldAnswerAMessageOverTheLimitInItsPlaceAndGoOn() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final WebSocketClient client = f.vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
            final WebSocket ws = GatewayFixture.await(client.connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(f.gateway.port()).setURI("/v1/stream").addHeader("X-API-Key",
                    f.scoreKey)));
            final List<String> answers = new CopyOnWriteArrayList<>();
            final CountDownLatch done = new CountDownLatch(5);
            ws.textMessageHandler(text -> {
                answers.add(text);
                done.countDown();
            });
            final String big = txn("big", T0, "c", "k", "1").replace("}", ",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            ws.writeTextMessage(txn("o-1", T0, "c", "k", "1"));
            ws.writeTextMessage(big); // one frame of 70 kB, as a browser sends it
            ws.writeTextMessage(txn("o-2", T0, "c", "k", "1"));
            for (int at = 0; at < big.length(); at += 10_000) { // the same in frames of 10 kB
                final String part = big.substring(at, Math.min(big.length(), at + 10_000));
                final boolean last = at + 10_000 >= big.length();
                ws.writeFrame(at == 0 ? WebSocketFrame.textFrame(part, last)
                    : WebSocketFrame.continuationFrame(Buffer.buffer(part), last));
            }
            ws.writeTextMessage(txn("o-3", T0, "c", "k", "1"));
            assertTrue(done.await(30, TimeUnit.SECONDS), "answered " + answers);
            assertEquals("o-1", new JsonObject(answers.get(0)).getString("txnId"));
            for (final int tooLarge : new int[] {1, 3}) {
                final JsonObject error = new JsonObject(answers.get(tooLarge));
                assertEquals("payload_too_large", error.getString("error"), answers.get(tooLarge));
                assertTrue(error.getString("message").startsWith("the message is " + big.length() + " bytes"),
                    error.getString("message"));
            }
            assertEquals("o-2", new JsonObject(answers.get(2)).getString("txnId"));
            assertEquals("o-3", new JsonObject(answers.get(4)).getString("txnId"));
            GatewayFixture.await(ws.close());
        } finally {
            f.close();
        }
    }

    @Test
    void shouldCloseWith1009AndTheReasonOnAFrameOverTheFrameLimit() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final WebSocketClient client = f.vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 21));
            final WebSocket ws = GatewayFixture.await(client.connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(f.gateway.port()).setURI("/v1/stream").addHeader("X-API-Key",
                    f.scoreKey)));
            final CountDownLatch closed = new CountDownLatch(1);
            ws.closeHandler(ignored -> closed.countDown());
            ws.writeTextMessage("x".repeat(GatewayConfig.defaults().frameLimitBytes() + 1));
            assertTrue(closed.await(30, TimeUnit.SECONDS), "the stream was not closed");
            assertEquals((short) 1009, ws.closeStatusCode());
            assertTrue(ws.closeReason().startsWith("a frame over 262144 bytes"), ws.closeReason());
        } finally {
            f.close();
        }
    }
}
