package io.ecap.gateway;

import static io.ecap.gateway.GatewayFixture.T0;
import static io.ecap.gateway.GatewayFixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every scoring route, its status codes and its error bodies, against a real engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringApiTest {
    private GatewayFixture f;

    @BeforeAll
    void start(@TempDir final Path dir) throws Exception {
        f = GatewayFixture.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    private static JsonObject json(final HttpResponse<Buffer> response) {
        return response.bodyAsJsonObject();
    }

    @Test
    void shouldScoreAndAnswerARepeatWithTheFirstDecision() throws Exception {
        final HttpResponse<Buffer> first = f.post("/v1/score", f.scoreKey, own(txn("s-1", T0, "c-1", "k-1", "19.99")));
        assertEquals(200, first.statusCode(), first.bodyAsString());
        assertEquals("application/json", first.getHeader("content-type"));
        final JsonObject d = json(first);
        assertEquals("s-1", d.getString("txnId"));
        assertEquals("APPROVE", d.getString("decision"), d.encode());
        assertTrue(d.getInteger("score") >= 0);
        assertNotNull(d.getJsonArray("reasons"));
        assertEquals("default@2", d.getString("ruleSetVersion"));
        assertEquals("none", d.getString("modelVersion"));
        assertTrue(d.getLong("engineNanos") > 0);
        assertTrue(d.getLong("journalIndex") > 0);

        final JsonObject again = json(f.post("/v1/score", f.scoreKey, own(txn("s-1", T0, "c-1", "k-1", "19.99"))));
        assertEquals(d.getLong("journalIndex"), again.getLong("journalIndex"));
        assertEquals(d.getInteger("score"), again.getInteger("score"));

        final HttpResponse<Buffer> other = f.post("/v1/score", f.scoreKey, own(txn("s-1", T0, "c-1", "k-1", "500")));
        assertEquals(409, other.statusCode(), "the same txnId with another amount");
        assertEquals("idempotency_conflict", json(other).getString("error"));
        assertEquals("txnId", json(other).getString("field"));
        assertEquals(d.getLong("journalIndex"), json(other).getLong("firstJournalIndex"));
        final HttpResponse<Buffer> batch = f.post("/v1/score/batch", f.scoreKey, "[" + own(txn("s-1b", T0, "c-1", "k-1",
            "1.00")) + "," + own(txn("s-1", T0, "c-1", "k-1", "2.00")) + "]");
        assertEquals(200, batch.statusCode(), batch.bodyAsString());
        assertEquals("s-1b", batch.bodyAsJsonArray().getJsonObject(0).getString("txnId"));
        assertEquals("idempotency_conflict", batch.bodyAsJsonArray().getJsonObject(1).getString("error"),
            "a conflicting item is answered in its place");
        assertEquals(1, batch.bodyAsJsonArray().getJsonObject(1).getInteger("item"));

        final HttpResponse<Buffer> found = f.get("/v1/decisions/s-1", f.scoreKey);
        assertEquals(200, found.statusCode());
        assertEquals(d.getLong("journalIndex"), json(found).getLong("journalIndex"));
        assertEquals(404, f.get("/v1/decisions/nobody", f.scoreKey).statusCode());
        assertEquals("not_found", json(f.get("/v1/decisions/nobody", f.scoreKey)).getString("error"));
    }

    /**
     * The transaction at a merchant of this test's own: the fixture's engine is shared by the class's tests, and what
     * they send to merchant m-1 (new cards, bursts) must not decide this test's first decision.
     */
    private static String own(final String txn) {
        return txn.replace("\"merchantId\":\"m-1\"", "\"merchantId\":\"m-repeat\"");
    }

    @Test
    void shouldAnswerWithTheRequestIdItWasGivenOrOneOfItsOwn() throws Exception {
        final HttpResponse<Buffer> given = GatewayFixture.await(f.web.post(f.gateway.port(), "127.0.0.1", "/v1/score")
            .putHeader("X-API-Key", f.scoreKey).putHeader("Content-Type", "application/json")
            .putHeader("X-Request-Id", "order-42:try.1_a").sendBuffer(Buffer.buffer(own(txn("rid-1", T0, "c-9", "k-9",
                "5.00")))));
        assertEquals(200, given.statusCode(), given.bodyAsString());
        assertEquals("order-42:try.1_a", given.getHeader("X-Request-Id"));
        final HttpResponse<Buffer> made = f.get("/v1/decisions/rid-1", f.scoreKey);
        assertTrue(made.getHeader("X-Request-Id").matches("[0-9a-f]{16}"), made.getHeader("X-Request-Id"));
        assertFalse(made.getHeader("X-Request-Id").equals(f.get("/v1/decisions/rid-1", f.scoreKey)
            .getHeader("X-Request-Id")), "one id per request");
        final HttpResponse<Buffer> bad = GatewayFixture.await(f.web.get(f.gateway.port(), "127.0.0.1",
            "/v1/decisions/rid-1").putHeader("X-API-Key", f.scoreKey).putHeader("X-Request-Id", "a b").send());
        assertEquals(400, bad.statusCode());
        assertEquals("invalid_header", json(bad).getString("error"));
        assertEquals("X-Request-Id", json(bad).getString("field"));
        assertTrue(bad.getHeader("X-Request-Id").matches("[0-9a-f]{16}"), "answered with an id of its own");
        assertTrue(json(bad).getString("message").startsWith("X-Request-Id: expected 1 to 64"), bad.bodyAsString());
    }

    @Test
    void shouldNameTheFieldOfInvalidInput() throws Exception {
        final HttpResponse<Buffer> bad = f.post("/v1/score", f.scoreKey,
            txn("s-2", T0, "c-1", "k-1", "1.999"));
        assertEquals(400, bad.statusCode());
        assertEquals("invalid_field", json(bad).getString("error"));
        assertEquals("amount", json(bad).getString("field"));
        assertTrue(json(bad).getString("message").contains("USD allows 2"));

        final HttpResponse<Buffer> malformed = f.post("/v1/score", f.scoreKey, "{\"txnId\": ");
        assertEquals(400, malformed.statusCode());
        assertEquals("invalid_json", json(malformed).getString("error"));
        assertEquals("$", json(malformed).getString("field"));

        assertEquals(400, f.post("/v1/score", f.scoreKey, null).statusCode(), "no body");
        final HttpResponse<Buffer> future = f.post("/v1/score", f.scoreKey,
            txn("s-3", System.currentTimeMillis() + 3_600_000L, "c", "k", "1"));
        assertEquals("ts", json(future).getString("field"));
    }

    @Test
    void shouldFetchBackEveryIdItScoresAndRefuseTheOthers() throws Exception {
        for (final String id : new String[] {"a/b", "a?b", "a#b", "a%b", "a+b", ".x", "x.", "...", "%2E%2E"}) {
            assertEquals(200, f.post("/v1/score", f.scoreKey, txn(id, T0, "c-f", "k-f", "1")).statusCode(), id);
            final String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            final HttpResponse<Buffer> found = f.get("/v1/decisions/" + encoded, f.scoreKey);
            assertEquals(200, found.statusCode(), id + " as " + encoded);
            assertEquals(id, json(found).getString("txnId"));
        }
        for (final String id : new String[] {".", ".."}) {
            final HttpResponse<Buffer> refused = f.post("/v1/score", f.scoreKey, txn(id, T0, "c-f", "k-f", "1"));
            assertEquals(400, refused.statusCode(), id + " could be scored but never fetched");
            assertEquals("txnId", json(refused).getString("field"));
        }
    }

    @Test
    void shouldReadOnlyTheMediaTypeEachRouteTakes() throws Exception {
        final String body = txn("ct-1", T0, "c", "k", "1");
        for (final String type : new String[] {"application/x-www-form-urlencoded", "text/plain", null}) {
            final HttpResponse<Buffer> refused = f.send(HttpMethod.POST, "/v1/score", f.scoreKey, body, type);
            assertEquals(415, refused.statusCode(), type);
            assertEquals("unsupported_media_type", json(refused).getString("error"));
            assertTrue(json(refused).getString("message").startsWith("expected Content-Type: application/json"),
                json(refused).getString("message"));
        }
        // what curl -F a=b sends: a multipart form, which the body reader decodes into attributes, leaving no body
        final HttpResponse<Buffer> multipart = f.send(HttpMethod.POST, "/v1/score", f.scoreKey, "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--\r\n",
            "multipart/form-data; boundary=XyZ");
        assertEquals(415, multipart.statusCode(), multipart.bodyAsString());
        assertTrue(json(multipart).getString("message").startsWith("expected Content-Type: application/json "
            + "(found multipart/form-data"), json(multipart).getString("message"));
        for (final String path : new String[] {"/v1/score/batch", "/v1/labels", "/v1/events", "/v1/products"}) {
            assertEquals(415, f.send(HttpMethod.POST, path, f.allKey, "{}", "application/x-www-form-urlencoded")
                .statusCode(), path);
        }
        assertEquals(200, f.send(HttpMethod.POST, "/v1/score", f.scoreKey, body, "application/json; charset=utf-8")
            .statusCode(), "a charset parameter is fine");
        assertEquals(200, f.send(HttpMethod.POST, "/v1/score", f.scoreKey, body, "Application/JSON").statusCode());
        final HttpResponse<Buffer> form = f.send(HttpMethod.POST, "/v1/admin/rules", f.adminKey, "ruleset x",
            "application/x-www-form-urlencoded");
        assertEquals(415, form.statusCode());
        assertTrue(json(form).getString("message").startsWith("expected Content-Type: text/plain"));
    }

    @Test
    void shouldRefuseACardNumberInEveryFieldNamingTheField() throws Exception {
        final String score = txn("p-1", T0, "c", "k", "1").replace("}", ",\"deviceId\":\"d\",\"ip\":\"10.0.0.1\","
            + "\"email\":\"9f86d081\"}");
        final String event = "{\"eventId\":\"e\",\"ts\":1795500000000,\"type\":\"search\",\"sessionId\":\"s\","
            + "\"customerId\":\"c\",\"productId\":\"p\",\"campaign\":\"x\"}";
        final String label = "{\"txnId\":\"t\",\"label\":\"FRAUD\",\"source\":\"ANALYST\",\"ts\":1795500000000}";
        final String product = "{\"productId\":\"p\",\"ts\":1795500000000,\"category\":\"shoes\"}";
        final String[][] routes = {
            {"/v1/score", score, "txnId customerId cardId merchantId deviceId ip email"},
            {"/v1/events", event, "eventId sessionId customerId productId campaign"},
            {"/v1/labels", label, "txnId"},
            {"/v1/products", product, "productId category"},
        };
        for (final String[] route : routes) {
            for (final String field : route[2].split(" ")) {
                final String body = route[1].replaceFirst("\"" + field + "\":\"[^\"]*\"",
                    "\"" + field + "\":\"4111 1111 1111 1111\"");
                final HttpResponse<Buffer> refused = f.post(route[0], f.allKey, body);
                assertEquals(400, refused.statusCode(), route[0] + " " + field + ": " + refused.bodyAsString());
                assertEquals(field, json(refused).getString("field"));
                assertTrue(json(refused).getString("message").contains("looks like a card number"));
                assertTrue(!refused.bodyAsString().contains("1111"), "the number is not repeated");
            }
        }
        final HttpResponse<Buffer> lookup = f.get("/v1/decisions/4111111111111111", f.scoreKey);
        assertEquals(400, lookup.statusCode());
        assertEquals("txnId", json(lookup).getString("field"));
    }

    @Test
    void shouldRefuseOversizedBodies() throws Exception {
        final String huge = "{\"txnId\":\"" + "x".repeat(70_000) + "\"}";
        final HttpResponse<Buffer> response = f.post("/v1/score", f.scoreKey, huge);
        assertEquals(413, response.statusCode());
        assertEquals("payload_too_large", json(response).getString("error"));
        assertEquals("the request body is over this route's limit of 65536 bytes", json(response).getString("message"));
        // a rule set or model file may be megabytes: those routes take up to 16 MiB
        final String commented = "# a comment\n".repeat(10_000) + "ruleset big version 1\n"
            + "thresholds review 400 decline 700\n" + "rule ANY weight 50\n    when txn.amount_usd > 0\n";
        final HttpResponse<Buffer> big = f.post("/v1/admin/shadow/rules", f.adminKey, commented);
        assertEquals(200, big.statusCode(), big.bodyAsString());
        final HttpResponse<Buffer> tooBig = f.post("/v1/admin/models", f.adminKey, "x".repeat(17 << 20));
        assertEquals(413, tooBig.statusCode());
        assertEquals("the request body is over this route's limit of 16777216 bytes",
            json(tooBig).getString("message"));
    }

    @Test
    void shouldCheckKeysAndScopes() throws Exception {
        final String body = txn("s-4", T0, "c", "k", "1");
        final HttpResponse<Buffer> none = f.post("/v1/score", null, body);
        assertEquals(401, none.statusCode());
        assertEquals("unauthorized", json(none).getString("error"));
        assertEquals(401, f.post("/v1/score", "ecap_" + "0".repeat(64), body).statusCode(), "unknown key");
        assertEquals(403, f.post("/v1/score", f.labelKey, body).statusCode(), "label key cannot score");
        assertEquals(403, f.post("/v1/labels", f.scoreKey, "{}").statusCode(), "score key cannot label");
        assertEquals(403, f.get("/v1/admin/rules", f.scoreKey).statusCode(), "score key is not admin");
        final HttpResponse<Buffer> bearer = f.web.post(f.gateway.port(), "127.0.0.1", "/v1/score")
            .putHeader("Authorization", "Bearer " + f.scoreKey).putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(body))
            .toCompletionStage().toCompletableFuture().get();
        assertEquals(200, bearer.statusCode(), "Authorization: Bearer works too");
        assertEquals(200, f.get("/health/live", null).statusCode(), "health is open");
        assertEquals(200, f.get("/health/ready", null).statusCode());
    }

    @Test
    void shouldScoreABatchInOrderAndNameTheBadElement() throws Exception {
        final JsonArray batch = new JsonArray();
        for (int i = 0; i < 20; i++) {
            batch.add(new JsonObject(txn("b-" + i, T0 + i, "c-b", "k-b", "2.00")));
        }
        final HttpResponse<Buffer> ok = f.post("/v1/score/batch", f.scoreKey, batch.encode());
        assertEquals(200, ok.statusCode(), ok.bodyAsString());
        final JsonArray decisions = ok.bodyAsJsonArray();
        assertEquals(20, decisions.size());
        for (int i = 0; i < 20; i++) {
            assertEquals("b-" + i, decisions.getJsonObject(i).getString("txnId"));
        }
        batch.getJsonObject(3).put("amount", "abc");
        final HttpResponse<Buffer> bad = f.post("/v1/score/batch", f.scoreKey, batch.encode());
        assertEquals(400, bad.statusCode());
        assertEquals("[3].amount", json(bad).getString("field"));
        assertEquals(400, f.post("/v1/score/batch", f.scoreKey, "{}").statusCode(), "not an array");
    }

    @Test
    void shouldJournalLabelsEventsAndProducts() throws Exception {
        f.post("/v1/score", f.scoreKey, txn("l-1", T0, "c-l", "k-l", "30.00"));
        final HttpResponse<Buffer> label = f.post("/v1/labels", f.labelKey,
            "{\"txnId\":\"l-1\",\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\",\"ts\":\"2026-11-24T10:00:00Z\"}");
        assertEquals(202, label.statusCode(), label.bodyAsString());
        assertEquals(true, json(label).getBoolean("matched"));
        assertTrue(json(label).getLong("journalIndex") > 0);
        final HttpResponse<Buffer> unknown = f.post("/v1/labels", f.labelKey,
            "{\"txnId\":\"nope\",\"label\":\"LEGIT\",\"source\":\"ANALYST\",\"ts\":1795500000000}");
        assertEquals(false, json(unknown).getBoolean("matched"));
        assertEquals(400, f.post("/v1/labels", f.labelKey, "{\"txnId\":\"l-1\"}").statusCode());

        assertEquals(202, f.post("/v1/events", f.scoreKey, "{\"eventId\":\"e-1\",\"ts\":1795500000000,"
            + "\"type\":\"product_view\",\"sessionId\":\"s-1\",\"customerId\":\"c-l\",\"productId\":\"p-1\"}")
            .statusCode());
        assertEquals(202, f.post("/v1/products", f.scoreKey,
            "{\"productId\":\"p-1\",\"ts\":1795500000000,\"price\":\"9.99\",\"currency\":\"EUR\"}").statusCode());
    }

    @Test
    void shouldAnswerJsonForUnknownRoutesAndMethods() throws Exception {
        final HttpResponse<Buffer> missing = f.get("/v2/nothing", f.scoreKey);
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", json(missing).getString("error"));
        final HttpResponse<Buffer> method = f.send(HttpMethod.PUT, "/v1/score", f.scoreKey, "{}");
        assertEquals(405, method.statusCode());
        assertEquals("method_not_allowed", json(method).getString("error"));
        assertEquals("POST", method.getHeader("allow"));
        final HttpResponse<Buffer> lookup = f.send(HttpMethod.DELETE, "/v1/decisions/s-1", f.scoreKey, null);
        assertEquals(405, lookup.statusCode());
        assertEquals("GET, HEAD", lookup.getHeader("allow"));
        assertEquals("GET, HEAD, POST", f.send(HttpMethod.PUT, "/v1/admin/rules", f.adminKey, "x")
            .getHeader("allow"));
    }

    @Test
    void shouldAnswerHeadOnEveryGetRouteLikeGetWithoutTheBody() throws Exception {
        f.post("/v1/score", f.scoreKey, txn("h-1", T0, "c-h", "k-h", "5.00"));
        for (final String path : new String[] {"/health/live", "/health/ready", "/openapi.yaml", "/metrics",
            "/v1/decisions/h-1"}) {
            final HttpResponse<Buffer> get = f.get(path, f.scoreKey);
            final HttpResponse<Buffer> head = f.send(HttpMethod.HEAD, path, f.scoreKey, null);
            assertEquals(200, head.statusCode(), path);
            assertEquals(get.getHeader("content-type"), head.getHeader("content-type"), path);
            assertEquals(null, head.body(), path + ": a HEAD answer has no body");
        }
        assertEquals(200, f.send(HttpMethod.HEAD, "/v1/admin/rules", f.adminKey, null).statusCode());
        assertEquals(404, f.send(HttpMethod.HEAD, "/v1/decisions/unknown", f.scoreKey, null).statusCode());
        assertEquals(401, f.send(HttpMethod.HEAD, "/v1/decisions/h-1", null, null).statusCode());
    }

    @Test
    void shouldPublishMetrics() throws Exception {
        f.post("/v1/score", f.scoreKey, txn("m-1", T0, "c-m", "k-m", "5.00"));
        final String metrics = f.get("/metrics", null).bodyAsString();
        assertTrue(metrics.contains("ecap_decisions_total{outcome=\"APPROVE\"}"), metrics);
        assertTrue(metrics.contains("# HELP ecap_decisions_total decisions made, by outcome (APPROVE, REVIEW, "
            + "DECLINE)\n"), "one HELP line that fits every outcome:\n" + metrics);
        assertTrue(metrics.contains("ecap_engine_time_seconds_bucket{le=\"5.0E-6\"}"),
            "engine time buckets in microseconds");
        assertTrue(metrics.contains("ecap_score_time_seconds_count"));
        for (final String q : new String[] {"0.5", "0.99", "0.999"}) {
            assertTrue(metrics.contains("ecap_engine_time_window_seconds{quantile=\"" + q + "\"} "), metrics);
            assertTrue(metrics.contains("ecap_score_time_window_seconds{quantile=\"" + q + "\"} "), metrics);
        }
        assertTrue(metrics.contains("ecap_ring_occupancy"));
        assertTrue(metrics.contains("ecap_journal_index"));
        assertTrue(metrics.contains("vertx_http_server_requests_total"));
        assertTrue(metrics.contains("ecap_state_entities{kind=\"card\"}"), "entities per kind");
        assertTrue(metrics.contains("ecap_state_fill{kind=\"ip\"}"), "fill per kind");
        assertTrue(metrics.contains("ecap_state_evicted_total{kind=\"device\"}"));
        assertTrue(metrics.contains("ecap_state_disk_used"));
        assertTrue(metrics.contains("ecap_state_snapshot_age_seconds"));
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ecap_journal_index ") && !l.endsWith(" 0.0")),
            "the journal index is right from the start");
    }
}
