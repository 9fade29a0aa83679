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

/**
 * While the engine's disk has less free space than {@code engine.min-free-disk-mb}, scoring and every other write is
 * refused with 503 {@code disk_full} and Retry-After, nothing is journaled, and reads still work.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseNewWorkWhileTheDiskIsNearlyFull() throws Exception {
        final GatewayFixture f = new GatewayFixture(dir, GatewayConfig.defaults(),
            c -> c.withMinFreeDisk(1L << 60)); // more than any disk has: the guard refuses from the start
        try {
            final long journalBefore = f.engine.journal().lastIndex();
            final HttpResponse<Buffer> score = f.post("/v1/score", f.scoreKey,
                txn("disk-1", T0, "c-1", "k-1", "10.00"));
            assertEquals(503, score.statusCode(), score.bodyAsString());
            assertEquals("disk_full", new JsonObject(score.bodyAsString()).getString("error"), score.bodyAsString());
            assertEquals("30", score.getHeader("retry-after"));
            assertTrue(!score.bodyAsString().contains(dir.toString()), "no server path in the answer");

            final HttpResponse<Buffer> batch = f.post("/v1/score/batch", f.scoreKey,
                "[" + txn("disk-2", T0, "c-1", "k-1", "10.00") + "]");
            assertEquals(503, batch.statusCode(), batch.bodyAsString());
            assertEquals("disk_full", new JsonObject(batch.bodyAsString()).getString("error"));

            final HttpResponse<Buffer> profiles = f.post("/v1/admin/profiles", f.adminKey,
                "[{\"customerId\":\"c-1\",\"ts\":" + T0 + ",\"segment\":\"Lost\"}]");
            assertEquals(503, profiles.statusCode(), profiles.bodyAsString());
            assertEquals("disk_full", new JsonObject(profiles.bodyAsString()).getString("error"));
            assertEquals("30", profiles.getHeader("retry-after"));

            final HttpResponse<Buffer> label = f.post("/v1/labels", f.labelKey,
                "{\"txnId\":\"disk-1\",\"label\":\"FRAUD\",\"source\":\"CHARGEBACK\",\"ts\":" + T0 + "}");
            assertEquals(503, label.statusCode(), label.bodyAsString());

            final HttpResponse<Buffer> rules = f.post("/v1/admin/rules", f.adminKey,
                "ruleset disk version 1\nthresholds review 400 decline 700\nrule BIG weight 500\n"
                    + "    when txn.amount_usd > 1000\n    reason \"a big payment\" value txn.amount_usd\n");
            assertEquals(503, rules.statusCode(), "an admin upload is new work too: " + rules.bodyAsString());

            final HttpResponse<Buffer> health = f.get("/health/ready", null);
            assertEquals(503, health.statusCode(), "not ready for new work: a load balancer sends it elsewhere");
            assertEquals("disk_full", new JsonObject(health.bodyAsString()).getString("error"));

            assertEquals(404, f.get("/v1/decisions/disk-1", f.scoreKey).statusCode(), "reads go on");
            assertEquals(journalBefore, f.engine.journal().lastIndex(), "nothing was journaled");
        } finally {
            f.close();
        }
    }
}
