package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.gateway.auth.ApiKeys;
import io.ecap.gateway.auth.Scope;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys rotated while the service runs: a key another process creates in the keys file works without a restart, and a
 * key revoked there is refused, its console session ends and its WebSocket is closed.
 */
class KeyRotationTest {
    private static final String TXN = "{\"txnId\":\"%s\",\"ts\":1795500000000,\"customerId\":\"c-1\","
        + "\"cardId\":\"k-1\",\"merchantId\":\"m-1\",\"amount\":\"12.50\",\"currency\":\"USD\"}";

    @TempDir
    Path dir;

    @Test
    void shouldTakeANewKeyAndRefuseARevokedOneWithoutARestart() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final CompletableFuture<Short> closed = new CompletableFuture<>();
            final WebSocketClient client = f.vertx.createWebSocketClient(); // held: a client collected closes
            final WebSocket stream = GatewayFixture.await(client.connect(
                new WebSocketConnectOptions().setHost("127.0.0.1").setPort(f.gateway.port()).setURI("/v1/stream")
                    .addHeader("X-API-Key", f.scoreKey)));
            stream.closeHandler(ignored -> closed.complete(stream.closeStatusCode()));
            final String cookie = logIn(f, f.scoreKey);
            assertEquals(404, console(f, cookie), "the console session stands for the key");

            final ApiKeys elsewhere = ApiKeys.load(dir.resolve("api-keys")); // as `ecap keys` in another process
            final String rotated = elsewhere.create("scorer-2", EnumSet.of(Scope.SCORE));
            assertEquals(200, within(200, () -> score(f, rotated, "t-new")), "the new key works without a restart");

            assertEquals(1, elsewhere.revoke("scorer"));
            assertEquals(401, within(401, () -> score(f, f.scoreKey, "t-old")), "the revoked key is refused");
            assertEquals(401, console(f, cookie), "its console session is over");
            assertEquals((short) 1008, closed.get(10, TimeUnit.SECONDS), "its WebSocket is closed");
            assertEquals(200, score(f, rotated, "t-after"));
            assertEquals(200, score(f, f.allKey, "t-other"), "other keys are untouched");
            GatewayFixture.await(client.close());
        } finally {
            f.closeAndDelete();
        }
    }

    /**
     * Asks every 100 ms until the answer is {@code expected} (the keys file is looked at every 2 s), at most 20 s;
     * returns the last answer.
     */
    private static int within(final int expected, final IntSupplier status) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int now = status.getAsInt();
        while (now != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = status.getAsInt();
        }
        return now;
    }

    private static int score(final GatewayFixture f, final String key, final String txnId) {
        try {
            return f.send(HttpMethod.POST, "/v1/score", key, TXN.formatted(txnId)).statusCode();
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String logIn(final GatewayFixture f, final String key) throws Exception {
        final HttpResponse<Buffer> login = GatewayFixture.await(f.web.request(HttpMethod.POST, f.gateway.port(),
            "127.0.0.1", "/console/login").putHeader("content-type", "application/json")
            .putHeader("origin", "http://127.0.0.1:" + f.gateway.port())
            .sendBuffer(Buffer.buffer(new JsonObject().put("apiKey", key).encode())));
        assertEquals(200, login.statusCode(), login.bodyAsString());
        final String setCookie = login.getHeader("set-cookie");
        assertTrue(setCookie != null && setCookie.contains(";"), String.valueOf(setCookie));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** A console call (cookie and the console's marker) to a route of the score scope. */
    private static int console(final GatewayFixture f, final String cookie) throws Exception {
        final MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("cookie", cookie).add("X-ECAP-Console", "1");
        return GatewayFixture.await(f.web.request(HttpMethod.GET, f.gateway.port(), "127.0.0.1",
            "/v1/decisions/t-none").putHeaders(headers).send()).statusCode();
    }
}
