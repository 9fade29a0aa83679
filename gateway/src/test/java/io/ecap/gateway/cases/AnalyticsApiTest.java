package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics API ({@code io.ecap.gateway.analytics}, served from the case database, hence tested here with the
 * case fixture) over serving tables laid out as {@code ecap lake publish} writes them (the publisher's own test,
 * PublishTest in the cold path, checks that side), on a real PostgreSQL beside the review cases of a real engine:
 * paging and filters, one customer's whole picture with its fraud history, scopes, no publication yet, and an outage.
 */
class AnalyticsApiTest {
    @TempDir
    Path dir;

    private static final String TABLES = String.join(";\n",
        "CREATE TABLE analytics_publications (name TEXT PRIMARY KEY, rows BIGINT NOT NULL, as_of DATE, "
            + "published_at TIMESTAMPTZ NOT NULL)",
        "CREATE TABLE analytics_customers (customer_id TEXT PRIMARY KEY, segment TEXT, rfm TEXT, recency_days "
            + "INTEGER, frequency BIGINT, monetary NUMERIC(28,4), segment_currency TEXT, segment_as_of DATE, orders "
            + "BIGINT, revenue NUMERIC(28,4), predicted_clv DOUBLE PRECISION, probability_alive DOUBLE PRECISION, "
            + "expected_purchases DOUBLE PRECISION, clv_currency TEXT, clv_as_of DATE, churn_probability DOUBLE "
            + "PRECISION, churn_model TEXT, churn_as_of DATE)",
        "INSERT INTO analytics_customers (customer_id, segment, monetary, segment_currency, predicted_clv, "
            + "churn_probability, segment_as_of) VALUES ('c-1', 'Champions', 900.5000, 'GBP', 812.25, 0.05, "
            + "'2026-11-30'), ('c-2', 'At risk', 120, 'JPY', NULL, 0.62, '2026-11-30'), "
            + "('c-3', 'Champions', 40, 'GBP', 20.5, 0.81, '2026-11-30')",
        "CREATE TABLE analytics_customer_orders (customer_id TEXT, txn_id TEXT, event_ts TIMESTAMPTZ, amount "
            + "NUMERIC(18,4), currency TEXT, merchant_id TEXT, decision TEXT)",
        "INSERT INTO analytics_customer_orders VALUES ('c-1', 'o-1', '2026-11-20T10:00:00Z', 12.5, 'GBP', 'm-1', "
            + "'APPROVE'), ('c-1', 'o-2', '2026-11-25T10:00:00Z', 30, 'GBP', 'm-1', 'APPROVE')",
        "CREATE TABLE analytics_customer_devices (customer_id TEXT, device_id TEXT, payments BIGINT, not_approved "
            + "BIGINT, first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, PRIMARY KEY (customer_id, device_id))",
        "INSERT INTO analytics_customer_devices VALUES ('c-1', 'd-a', 4, 1, '2026-11-01T10:00:00Z', "
            + "'2026-11-20T10:00:00Z'), ('c-1', 'd-b', 1, 0, '2026-11-25T10:00:00Z', '2026-11-25T10:00:00Z')",
        "CREATE TABLE analytics_segment_sizes (segment TEXT, customers BIGINT, customer_share DOUBLE PRECISION, "
            + "as_of DATE)",
        "INSERT INTO analytics_segment_sizes VALUES ('Champions', 2, 0.6667, '2026-11-30'), "
            + "('At risk', 1, 0.3333, '2026-11-30')",
        "CREATE TABLE analytics_revenue_daily (day DATE, channel TEXT, country TEXT, revenue NUMERIC(18,4), "
            + "purchases BIGINT, currency TEXT)",
        "INSERT INTO analytics_revenue_daily VALUES ('2026-11-28', 'WEB', 'GB', 100.10, 3, 'GBP'), "
            + "('2026-11-29', 'WEB', 'GB', 50, 1, 'GBP'), ('2026-11-30', 'APP', 'GB', 7.5, 1, 'GBP')",
        "CREATE TABLE analytics_feature_drift (model TEXT, feature TEXT, psi DOUBLE PRECISION, band TEXT, bins INT, "
            + "reference_rows BIGINT, current_rows BIGINT, reference_from TIMESTAMPTZ, reference_to TIMESTAMPTZ, "
            + "current_from DATE, current_to DATE, as_of DATE)",
        "INSERT INTO analytics_feature_drift VALUES ('fraud-lr@1', 'txn.amount_usd', 0.04, 'stable', 10, 900, 300, "
            + "'2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z', '2026-11-24', '2026-11-30', '2026-11-30'), "
            + "('fraud-lr@1', 'card.count_1h', 0.31, 'large', 10, 900, 300, '2026-10-01T00:00:00Z', "
            + "'2026-10-31T00:00:00Z', '2026-11-24', '2026-11-30', '2026-11-30'), "
            + "('fraud-gbt@2', 'txn.amount_usd', 0.12, 'moderate', 10, 900, 300, '2026-10-01T00:00:00Z', "
            + "'2026-10-31T00:00:00Z', '2026-11-24', '2026-11-30', '2026-11-30')",
        "INSERT INTO analytics_publications VALUES ('analytics_customers', 3, '2026-11-30', now())");

    /** The published feature drift: the largest shift first, one model's on asking. */
    private static void assertDrift(final CaseApiFixture f) throws Exception {
        final JsonArray drift = ok(f.get("/v1/analytics/drift", f.analytics)).getJsonArray("drift");
        assertEquals(List.of("card.count_1h", "txn.amount_usd", "txn.amount_usd"), drift.stream()
            .map(d -> ((JsonObject) d).getString("feature")).toList(), "the largest shift first");
        assertEquals("large", drift.getJsonObject(0).getString("band"));
        assertEquals("2026-11-24", drift.getJsonObject(0).getString("currentFrom"));
        assertEquals(1, ok(f.get("/v1/analytics/drift?model=fraud-gbt@2", f.analytics)).getJsonArray("drift")
            .size(), "one model's features");
        refused(f.get("/v1/analytics/drift?feature=x", f.analytics), 400, "feature");
    }

    @Test
    void shouldServeWhatTheLakePublishedBesideTheCases() throws Exception {
        try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
            pg.createDatabase("shop");
            try (CaseApiFixture f = new CaseApiFixture(dir.resolve("service"), pg.url("shop"))) {
                long casesOfC1 = 0;
                for (int i = 0; i < 12; i++) {
                    final JsonObject decision = f.score(CaseApiTest.txn(i));
                    casesOfC1 += i % 4 == 1 && !"APPROVE".equals(decision.getString("decision")) ? 1 : 0;
                }
                f.awaitCases();
                assertTrue(casesOfC1 > 0, "the stream opens cases for c-1");

                final HttpResponse<Buffer> unpublished = f.get("/v1/analytics/customers", f.analytics);
                assertEquals(503, unpublished.statusCode(), unpublished.bodyAsString());
                assertEquals("analytics_unpublished", unpublished.bodyAsJsonObject().getString("error"));
                final JsonObject casesOnly = ok(f.get("/v1/customers/c-1", f.analyst));
                assertNull(casesOnly.getValue("analytics"), "nothing published: " + casesOnly);
                assertEquals(false, casesOnly.getBoolean("published"));
                assertEquals(0, casesOnly.getJsonArray("lastOrders").size());
                assertEquals(casesOfC1, casesOnly.getJsonObject("fraud").getLong("cases"));
                final HttpResponse<Buffer> notYet = f.get("/v1/customers/c-99", f.analytics);
                assertEquals(503, notYet.statusCode(), "no case, nothing published: cannot tell yet");
                assertEquals("analytics_unpublished", notYet.bodyAsJsonObject().getString("error"));

                for (final String sql : TABLES.split(";\n")) {
                    pg.update("shop", sql);
                }
                final JsonObject index = ok(f.get("/v1/analytics", f.analytics));
                assertEquals("analytics_customers", index.getJsonArray("tables").getJsonObject(0).getString("name"));
                assertEquals("2026-11-30", index.getJsonArray("tables").getJsonObject(0).getString("asOf"));

                final JsonObject first = ok(f.get("/v1/analytics/customers?segment=Champions&limit=1", f.analytics));
                assertEquals("c-1", first.getJsonArray("customers").getJsonObject(0).getString("customerId"));
                assertEquals("900.50", first.getJsonArray("customers").getJsonObject(0).getString("monetary"),
                    "money as an exact decimal string with its currency's places");
                assertEquals("c-1", first.getString("next"));
                final JsonObject second = ok(f.get("/v1/analytics/customers?segment=Champions&limit=1&after="
                    + first.getString("next"), f.analytics));
                assertEquals("c-3", second.getJsonArray("customers").getJsonObject(0).getString("customerId"));
                assertNull(second.getValue("next"), "the last page");
                final JsonArray risky = ok(f.get("/v1/analytics/customers?minChurn=0.6", f.analytics))
                    .getJsonArray("customers");
                assertEquals(2, risky.size());
                assertEquals("c-2", risky.getJsonObject(0).getString("customerId"));
                assertEquals("120", risky.getJsonObject(0).getString("monetary"), "yen have no decimals");
                assertEquals(404, f.get("/v1/customers/c-99", f.analytics).statusCode(), "published: c-99 is unknown");

                final JsonObject c1 = ok(f.get("/v1/customers/c-1", f.analyst));
                assertEquals("Champions", c1.getJsonObject("analytics").getString("segment"));
                assertEquals(812.25, c1.getJsonObject("analytics").getDouble("predictedClv"));
                assertEquals(0.05, c1.getJsonObject("analytics").getDouble("churnProbability"));
                assertOrdersAndDevicesOfC1(c1);
                assertEquals(0, ok(f.get("/v1/customers/c-2", f.analyst)).getJsonArray("devices").size());
                assertEquals(casesOfC1, c1.getJsonObject("fraud").getLong("cases"));
                assertEquals(casesOfC1, c1.getJsonObject("fraud").getJsonObject("byStatus").getLong("OPEN"));

                assertEquals("Champions", ok(f.get("/v1/analytics/segments", f.analytics)).getJsonArray("segments")
                    .getJsonObject(0).getString("segment"), "largest first");
                final JsonArray days = ok(f.get("/v1/analytics/revenue?from=2026-11-29&to=2026-11-30",
                    f.analytics)).getJsonArray("revenue");
                assertEquals(2, days.size());
                assertEquals("2026-11-29", days.getJsonObject(0).getString("day"));
                assertEquals("50.00", days.getJsonObject(0).getString("revenue"));
                assertEquals(false, ok(f.get("/v1/analytics/revenue?from=2026-11-29&to=2026-11-30", f.analytics))
                    .getBoolean("more"));
                final JsonObject cut = ok(f.get("/v1/analytics/revenue?limit=1", f.analytics));
                assertEquals(1, cut.getJsonArray("revenue").size());
                assertEquals(true, cut.getBoolean("more"), "rows were left out, and the answer says so");
                assertEquals(503, f.get("/v1/analytics/products", f.analytics).statusCode(), "not published");
                assertDrift(f);

                refused(f.get("/v1/analytics/customers?limit=0", f.analytics), 400, "limit");
                refused(f.get("/v1/analytics/customers?minChurn=2", f.analytics), 400, "minChurn");
                refused(f.get("/v1/analytics/customers?colour=red", f.analytics), 400, "colour");
                refused(f.get("/v1/analytics/revenue?from=2026-13-01", f.analytics), 400, "from");
                refused(f.get("/v1/analytics/revenue?from=2026-11-30&to=2026-11-01", f.analytics), 400, "to");
                refused(f.get("/v1/analytics/revenue?to=-4714-01-01", f.analytics), 400, "to");
                refused(f.get("/v1/analytics/revenue?from=%2B10000-01-01", f.analytics), 400, "from");
                refused(f.get("/v1/analytics/segments?limit=5", f.analytics), 400, "limit");
                assertEquals(2, ok(f.get("/v1/analytics/customers?minChurn=0.50000000000000000000", f.analytics))
                    .getJsonArray("customers").size(), "a share written with many digits is a share");
                refused(f.get("/v1/customers/4111111111111111", f.analytics), 400, "customerId");
                assertEquals(403, f.get("/v1/analytics/customers", f.analyst).statusCode(), "an analyst key");
                assertEquals(403, f.get("/v1/analytics/customers", f.scorer).statusCode());
                assertEquals(403, f.get("/v1/customers/c-1", f.limited).statusCode(), "a merchant-limited key");
                assertEquals(401, f.get("/v1/customers/c-1", null).statusCode());

                pg.stop();
                final HttpResponse<Buffer> away = f.get("/v1/analytics/customers", f.analytics);
                assertEquals(503, away.statusCode(), away.bodyAsString());
                assertEquals("analytics_unavailable", away.bodyAsJsonObject().getString("error"));
                assertEquals("5", away.getHeader("retry-after"));
                assertEquals(200, f.post("/v1/score", f.scorer, CaseApiTest.txn(100).encode()).statusCode(),
                    "scoring goes on");
                pg.start();
                assertEquals(3, ok(f.get("/v1/analytics/customers", f.analytics)).getJsonArray("customers").size(),
                    "back with the database");
            }
        }
    }

    /** c-1's last orders and the devices c-1 paid from, as published, the newest first; no row repeats the id. */
    private static void assertOrdersAndDevicesOfC1(final JsonObject c1) {
        assertEquals("o-2", c1.getJsonArray("lastOrders").getJsonObject(0).getString("txnId"), "newest first");
        assertEquals("2026-11-25T10:00:00Z", c1.getJsonArray("lastOrders").getJsonObject(0).getString("eventTs"));
        assertFalse(c1.getJsonArray("lastOrders").getJsonObject(0).containsKey("customerId"));
        final JsonArray devices = c1.getJsonArray("devices");
        assertEquals(2, devices.size());
        assertEquals(new JsonObject().put("deviceId", "d-b").put("payments", 1).put("notApproved", 0)
            .put("firstSeen", "2026-11-25T10:00:00Z").put("lastSeen", "2026-11-25T10:00:00Z"),
            devices.getJsonObject(0), "the device seen last first");
        assertEquals(1, devices.getJsonObject(1).getLong("notApproved"));
    }

    @Test
    void shouldSayAnalyticsAreOffWithoutADatabase() throws Exception {
        try (CaseApiFixture f = new CaseApiFixture(dir.resolve("service"), null)) {
            final HttpResponse<Buffer> off = f.get("/v1/analytics", f.analytics);
            assertEquals(503, off.statusCode());
            assertEquals("analytics_off", off.bodyAsJsonObject().getString("error"));
            final HttpResponse<Buffer> undecodable = f.get("/v1/analytics/customers?after=%zz", f.analytics);
            assertEquals(400, undecodable.statusCode(), "a query that cannot be read is refused first");
            assertEquals("invalid_query", undecodable.bodyAsJsonObject().getString("error"));
        }
    }

    private static JsonObject ok(final HttpResponse<Buffer> response) {
        assertEquals(200, response.statusCode(), response.bodyAsString());
        return response.bodyAsJsonObject();
    }

    private static void refused(final HttpResponse<Buffer> response, final int status, final String field) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals(field, response.bodyAsJsonObject().getString("field"), response.bodyAsString());
    }
}
