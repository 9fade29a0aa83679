package io.ecap.gateway;

import static io.ecap.gateway.GatewayFixture.T0;
import static io.ecap.gateway.GatewayFixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/admin/profiles}: the lake's customer profiles become the engine's features over HTTP. */
class ProfilesApiTest {
    private static final String RULES = "ruleset loop version 1\nthresholds review 10 decline 20\n"
        + "rule AT_RISK weight 15\n    when customer.segment == \"At Risk\"\n";

    @TempDir
    Path dir;

    @Test
    void takesABatchOfProfilesThatLaterPaymentsAreScoredWith() throws Exception {
        final GatewayFixture f = GatewayFixture.start(dir);
        try {
            assertEquals(200, f.post("/v1/admin/rules", f.adminKey, RULES).statusCode());
            final String batch = "[{\"customerId\":\"c-1\",\"ts\":\"2026-11-30T00:00:00Z\",\"segment\":\"At Risk\","
                + "\"clv\":\"310.50\",\"currency\":\"USD\",\"churnRisk\":0.8,\"lifetimeOrders\":4},"
                + "{\"customerId\":\"c-2\",\"ts\":\"2026-11-30T00:00:00Z\",\"segment\":\"Champions\"}]";
            assertEquals(403, f.post("/v1/admin/profiles", f.scoreKey, batch).statusCode(),
                "an admin key is needed");
            final HttpResponse<Buffer> taken = f.post("/v1/admin/profiles", f.adminKey, batch);
            assertEquals(202, taken.statusCode(), taken.bodyAsString());
            final JsonObject summary = taken.bodyAsJsonObject();
            assertEquals(2, summary.getInteger("accepted"));
            assertEquals(summary.getLong("firstJournalIndex") + 1, summary.getLong("lastJournalIndex"));

            final JsonObject atRisk = f.post("/v1/score", f.scoreKey, txn("p-1", T0, "c-1", "k-1", "20"))
                .bodyAsJsonObject();
            assertEquals("REVIEW", atRisk.getString("decision"), atRisk.encode());
            assertEquals("AT_RISK", atRisk.getJsonArray("reasons").getJsonObject(0).getString("code"));
            assertEquals("APPROVE", f.post("/v1/score", f.scoreKey, txn("p-2", T0, "c-2", "k-2", "20"))
                .bodyAsJsonObject().getString("decision"));

            final HttpResponse<Buffer> bad = f.post("/v1/admin/profiles", f.adminKey,
                "[{\"customerId\":\"c-3\",\"ts\":\"2026-11-30T00:00:00Z\",\"segment\":\"Champions\"},"
                    + "{\"customerId\":\"c-4\",\"ts\":\"2026-11-30T00:00:00Z\",\"segment\":\"VIP\"}]");
            assertEquals(400, bad.statusCode());
            assertEquals("[1].segment", bad.bodyAsJsonObject().getString("field"));
            assertTrue(bad.bodyAsJsonObject().getString("message").contains("is not an RFM segment"));
            assertEquals("APPROVE", f.post("/v1/score", f.scoreKey, txn("p-3", T0, "c-3", "k-3", "20"))
                .bodyAsJsonObject().getString("decision"), "nothing of a refused batch is taken");
            assertEquals(400, f.post("/v1/admin/profiles", f.adminKey, "{\"customerId\":\"c-1\"}").statusCode(),
                "a batch is an array");
            final HttpResponse<Buffer> escaped = f.post("/v1/admin/profiles", f.adminKey,
                "[{\"customerId\":\"c-5\",\"ts\":\"2026-11-30T00:00:00Z\",\"seg\\u006dent\":\"Lost\"}]");
            assertEquals("invalid_json", escaped.bodyAsJsonObject().getString("error"), escaped.bodyAsString());
            assertEquals("[0].$", escaped.bodyAsJsonObject().getString("field"));
            final HttpResponse<Buffer> future = f.post("/v1/admin/profiles", f.adminKey,
                "[{\"customerId\":\"c-5\",\"ts\":\"2099-01-01T00:00:00Z\",\"segment\":\"Lost\"}]");
            assertEquals("[0].ts", future.bodyAsJsonObject().getString("field"), future.bodyAsString());
            assertEquals(415, f.send(io.vertx.core.http.HttpMethod.POST, "/v1/admin/profiles", f.adminKey, batch,
                "text/plain").statusCode(), "JSON only");
        } finally {
            f.close();
        }
    }
}
