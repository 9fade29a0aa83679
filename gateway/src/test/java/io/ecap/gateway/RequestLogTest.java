package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log.requests}: a line ties each request (and each item of a batch) by its {@code X-Request-Id} to the journal
 * entry it became; the tests' logging has the gateway's loggers on, as {@code log.requests=true} does.
 */
class RequestLogTest {
    private static final String TXN = "{\"txnId\":\"%s\",\"ts\":1795500000000,\"customerId\":\"c-9\","
        + "\"cardId\":\"k-9\",\"merchantId\":\"m-9\",\"amount\":\"20.00\",\"currency\":\"USD\"}";

    @TempDir
    Path dir;

    private static HttpResponse<Buffer> post(final GatewayFixture f, final String path, final String key,
        final String requestId, final String body) throws Exception {
        return GatewayFixture.await(f.web.request(HttpMethod.POST, f.gateway.port(), "127.0.0.1", path)
            .putHeader("X-API-Key", key).putHeader("X-Request-Id", requestId)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    }

    @Test
    void shouldNameTheJournalIndexEachRequestBecame() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            final java.util.List<HttpResponse<Buffer>> answer = java.util.Arrays.asList((HttpResponse<Buffer>) null);
            String log = LogCapture.until(() -> answer.set(0, post(f, "/v1/score", f.scoreKey, "order-77",
                TXN.formatted("t-1"))), "request order-77 POST /v1/score", 10);
            final long scored = answer.get(0).bodyAsJsonObject().getLong("journalIndex");
            assertTrue(log.contains("request order-77 POST /v1/score: " + answer.get(0).bodyAsJsonObject()
                .getString("decision") + ", journal index " + scored), log);

            log = LogCapture.until(() -> answer.set(0, post(f, "/v1/score", f.scoreKey, "order-78",
                TXN.formatted("t-1"))), "request order-78", 10);
            assertTrue(log.contains("request order-78 POST /v1/score: a repeat, answered with its first decision "),
                log);
            assertTrue(log.contains(", journal index " + scored), log);

            log = LogCapture.until(() -> answer.set(0, post(f, "/v1/score/batch", f.scoreKey, "batch-5",
                new JsonArray().add(new JsonObject(TXN.formatted("t-2"))).add(new JsonObject(TXN.formatted("t-3")))
                    .encode())), "request batch-5 POST /v1/score/batch item 1", 10);
            final JsonArray decisions = answer.get(0).bodyAsJsonArray();
            for (int i = 0; i < 2; i++) {
                assertTrue(log.contains("request batch-5 POST /v1/score/batch item " + i + ": "
                    + decisions.getJsonObject(i).getString("decision") + ", journal index "
                    + decisions.getJsonObject(i).getLong("journalIndex")), log);
            }

            log = LogCapture.until(() -> answer.set(0, post(f, "/v1/labels", f.labelKey, "chargeback-1",
                "{\"txnId\":\"t-1\",\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\",\"ts\":1795500100000}")),
                "request chargeback-1", 10);
            assertEquals(202, answer.get(0).statusCode(), answer.get(0).bodyAsString());
            assertTrue(log.contains("request chargeback-1 POST /v1/labels: journaled, journal index "
                + answer.get(0).bodyAsJsonObject().getLong("journalIndex")), log);
        } finally {
            f.closeAndDelete();
        }
    }
}
