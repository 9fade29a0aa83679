package io.ecap.gateway;

import static io.ecap.gateway.GatewayFixture.T0;
import static io.ecap.gateway.GatewayFixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits, closed metrics and TLS, each on a gateway configured for it. */
class AbuseTest {
    @TempDir
    Path dir;

    @Test
    void shouldRateLimitPerKeyWithRetryAfter() throws Exception {
        // one request a second: requests one after the other are limited before long however slow the machine is
        // (a burst of 12 against 5 a second once passed whole on a machine loaded enough to take a second for it)
        final GatewayFixture f = new GatewayFixture(dir, GatewayConfig.defaults().withRate(1));
        try {
            HttpResponse<Buffer> last = null;
            for (int i = 0; i < 200 && last == null; i++) {
                final HttpResponse<Buffer> r = f.post("/v1/score", f.scoreKey, txn("r-" + i, T0, "c", "k", "1"));
                if (r.statusCode() == 429) {
                    last = r;
                } else {
                    assertEquals(200, r.statusCode(), r.bodyAsString());
                }
            }
            assertNotNull(last, "200 requests in a row against 1 a second: none limited");
            assertEquals("rate_limited", last.bodyAsJsonObject().getString("error"));
            assertTrue(Integer.parseInt(last.getHeader("retry-after")) >= 1);
            assertEquals(200, f.post("/v1/score", f.allKey, txn("r-other", T0, "c", "k", "1")).statusCode(),
                "another key has its own bucket");
        } finally {
            f.close();
        }
    }

    @Test
    void shouldCloseMetricsToAllButAdminsWhenConfigured() throws Exception {
        final GatewayFixture f = new GatewayFixture(dir, GatewayConfig.defaults().withMetricsPublic(false));
        try {
            assertEquals(401, f.get("/metrics", null).statusCode());
            assertEquals(403, f.get("/metrics", f.scoreKey).statusCode());
            assertEquals(200, f.get("/metrics", f.adminKey).statusCode());
        } finally {
            f.close();
        }
    }

    @Test
    void shouldServeTlsWhenGivenACertificate() throws Exception {
        final SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        final GatewayFixture f = new GatewayFixture(dir, GatewayConfig.defaults()
            .withTls(Path.of(cert.certificatePath()), Path.of(cert.privateKeyPath())));
        try {
            final WebClient tls = WebClient.create(f.vertx, new WebClientOptions().setSsl(true).setTrustAll(true)
                .setVerifyHost(false));
            final HttpResponse<Buffer> r = GatewayFixture.await(tls.post(f.gateway.port(), "127.0.0.1", "/v1/score")
                .putHeader("X-API-Key", f.scoreKey).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(txn("tls-1", T0, "c", "k", "1"))));
            assertEquals(200, r.statusCode());
            assertEquals("tls-1", r.bodyAsJsonObject().getString("txnId"));
        } finally {
            cert.delete();
            f.close();
        }
    }
}
