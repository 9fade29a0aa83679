package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.churn.ChurnModel;
import io.ecap.model.churn.PurchaseDays;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn risk as of now on {@code GET /v1/customers/{id}}: a real engine and gateway, the churn model and purchase days
 * laid out as {@code ecap lake publish} writes them (PublishTest checks that side against the churn job's own scores)
 * on a real PostgreSQL, and payments scored after the model's day, which the gateway reads from the journal: those
 * whose decision the model counted, in its currency or converted at the published rate, move the score; the others
 * are counted apart. The expected features are worked out here from the days themselves.
 */
class LiveChurnTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 20);
    /** The payments' day (ScoringClient.T0), and the day scored at: the next day is the cutoff. */
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
    private static final double[] MEANS = {30, 200, 5, 500, 100, 1, 2, 200};
    private static final double[] STDS = {20, 100, 4, 0, 50, 1, 2, 150};
    private static final double[] COEFFICIENTS = {1.5, -0.2, -0.5, 0.7, -0.1, -0.8, -0.6, 0.1};
    private static final ChurnModel MODEL = new ChurnModel(PurchaseDays.FEATURES, MEANS, STDS, COEFFICIENTS, -0.3);

    @TempDir
    Path dir;

    private static String tables(final long through) {
        return String.join(";\n",
            "CREATE TABLE analytics_customers (customer_id TEXT PRIMARY KEY, segment TEXT, churn_probability DOUBLE "
                + "PRECISION, churn_as_of DATE)",
            "INSERT INTO analytics_customers VALUES ('c-1', 'Champions', 0.4, '" + AS_OF + "'), ('c-2', 'At risk', "
                + "0.5, '" + AS_OF + "')",
            "CREATE TABLE analytics_churn_model (model_version TEXT, horizon_days INTEGER, features TEXT, "
                + "feature_means TEXT, feature_stds TEXT, coefficients TEXT, intercept DOUBLE PRECISION, currency TEXT,"
                + " purchase_source TEXT, counted_decisions TEXT, through_journal_index BIGINT, rates TEXT, "
                + "as_of DATE)",
            "INSERT INTO analytics_churn_model VALUES ('churn-lr-test', 90, '" + new io.vertx.core.json.JsonArray(
                PurchaseDays.FEATURES).encode() + "', '" + array(MEANS) + "', '" + array(STDS) + "', '"
                + array(COEFFICIENTS) + "', -0.3, 'USD', 'transactions', 'APPROVE', " + through
                + ", '[{\"currency\":\"EUR\",\"day\":"
                + "\"2026-11-10\",\"rate\":\"1.1000000000\"},{\"currency\":\"EUR\",\"day\":\"2026-11-30\",\"rate\":"
                + "\"9.0000000000\"}]', '" + AS_OF + "')",
            "CREATE TABLE analytics_churn_basis (customer_id TEXT PRIMARY KEY, first_purchase DATE, last_purchase "
                + "DATE, purchase_days BIGINT, spend NUMERIC(28,4), recent_spend TEXT)",
            "INSERT INTO analytics_churn_basis VALUES ('c-1', '2026-05-01', '2026-10-11', 6, 300.0, "
                + "'[{\"day\":\"2026-09-11\",\"spend\":25.0},{\"day\":\"2026-10-11\",\"spend\":50.0}]'), "
                + "('c-2', '2026-01-10', '2026-11-15', 12, 960.0, '[{\"day\":\"2026-08-01\",\"spend\":40.0},"
                + "{\"day\":\"2026-09-30\",\"spend\":60.0},{\"day\":\"2026-11-15\",\"spend\":80.0}]')");
    }

    private static String array(final double[] values) {
        final io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
        for (final double v : values) {
            out.add(v);
        }
        return out.encode();
    }

    private static JsonObject payment(final String id, final String customer, final int minute, final String amount,
        final String currency) {
        return new JsonObject().put("txnId", id).put("ts", ScoringClient.T0 + minute * 60_000L)
            .put("customerId", customer).put("cardId", "card-" + customer).put("merchantId", "m-1")
            .put("deviceId", "dev-" + customer).put("ip", "10.0.0.9").put("email", "9f86d0aa")
            .put("amount", amount).put("currency", currency);
    }

    private static long days(final LocalDate from, final LocalDate to) {
        return ChronoUnit.DAYS.between(from, to);
    }

    @Test
    void scoresChurnAsOfTheNewestPaymentWithThePaymentsSinceTheModelsDay() throws Exception {
        try (Postgres pg = Postgres.start(dir.resolve("pg"))) {
            pg.createDatabase("shop");
            try (CaseApiFixture f = new CaseApiFixture(dir.resolve("service"), pg.url("shop"))) {
                // the churn run read the journal up to this payment (of another customer, on the model's day)
                final long through = f.score(payment("t-0", "c-7", -4 * 24 * 60, "9.00", "USD"))
                    .getLong("journalIndex");
                for (final String sql : tables(through).split(";\n")) {
                    pg.update("shop", sql);
                }
                BigDecimal today = BigDecimal.ZERO;
                int countedPayments = 0;
                for (final JsonObject p : new JsonObject[] {payment("t-a", "c-1", 0, "20.00", "USD"),
                    payment("t-b", "c-1", 1, "10.00", "EUR"), payment("t-c", "c-1", 2, "500", "JPY")}) {
                    final boolean approved = "APPROVE".equals(f.score(p).getString("decision"));
                    if (approved && !"JPY".equals(p.getString("currency"))) {
                        // EUR at the rate of 2026-11-10, the latest on or before the payment's day: 11.00 USD
                        today = today.add(new BigDecimal(p.getString("amount")).multiply(
                            "EUR".equals(p.getString("currency")) ? new BigDecimal("1.1") : BigDecimal.ONE));
                        countedPayments++;
                    }
                }
                // journaled after the run though not after its day: later on the model's day, and one that arrived
                // late for an old purchase day (10-11)
                countedPayments += "APPROVE".equals(f.score(payment("t-e", "c-1", -4 * 24 * 60 + 600, "7.00", "USD"))
                    .getString("decision")) ? 1 : 0;
                countedPayments += "APPROVE".equals(f.score(payment("t-f", "c-1", -44 * 24 * 60, "3.00", "USD"))
                    .getString("decision")) ? 1 : 0;
                final boolean newcomerApproved = "APPROVE".equals(f.score(payment("t-d", "c-9", 3, "15.00", "USD"))
                    .getString("decision"));
                f.score(payment("t-g", "c-8", 4, "800", "JPY"));

                assertEquals(4, countedPayments, "the bundled rules approve these small payments (the test reads "
                    + "each decision, so another rule set changes only this line)");
                final JsonObject c1 = ready(f, "c-1");
                final LocalDate cutoff = TODAY.plusDays(1);
                final double s = today.doubleValue() + 7 + 3;
                // purchase days: the six published, today and the model's day; 10-11 got 3.00 more
                final double[] expected = {1, days(LocalDate.of(2026, 5, 1), cutoff), 8, 300 + s, (300 + s) / 8, 2, 4,
                    75 + s};
                assertEquals(MODEL.probability(expected), c1.getDouble("probability"), 1e-12, c1.encode());
                assertEquals(TODAY.toString(), c1.getString("day"), "the newest event day in the journal");
                assertEquals(4, c1.getInteger("purchasesSince"), "t-0 was in the run: not again");
                assertEquals(1, c1.getInteger("notCounted"), "JPY has no rate");
                assertEquals("churn-lr-test", c1.getString("modelVersion"));
                assertEquals(AS_OF.toString(), c1.getString("modelAsOf"));

                // no payment since: the published days, aged to today (08-01 is out of the 90-day window)
                final JsonObject c2 = ready(f, "c-2");
                assertEquals(MODEL.probability(new double[] {days(LocalDate.of(2026, 11, 15), cutoff),
                    days(LocalDate.of(2026, 1, 10), cutoff), 12, 960, 80, 1, 2, 140}), c2.getDouble("probability"),
                    1e-12, c2.encode());
                assertEquals(0, c2.getInteger("purchasesSince"));

                // a customer the churn run never saw, who bought since: scored from that purchase alone
                final HttpResponse<Buffer> c9 = f.get("/v1/customers/c-9", f.analyst);
                assertTrue(newcomerApproved, "approved by the bundled rules");
                if (newcomerApproved) {
                    assertEquals(200, c9.statusCode(), c9.bodyAsString());
                    final JsonObject live = c9.bodyAsJsonObject().getJsonObject("churnLive");
                    assertEquals(MODEL.probability(new double[] {1, 1, 1, 15, 15, 1, 1, 15}),
                        live.getDouble("probability"), 1e-12, live.encode());
                    assertNull(c9.bodyAsJsonObject().getValue("analytics"), "nothing published of c-9");
                } else {
                    assertEquals(404, c9.statusCode(), "no counted purchase: nothing known of c-9");
                }
                // a customer whose only payment does not count: known, with no probability
                final JsonObject c8 = ready(f, "c-8");
                assertNull(c8.getValue("probability"), c8.encode());
                assertEquals(1, c8.getInteger("notCounted"));
            }
        }
    }

    /** The customer's live churn, once the payments since the model's day have been read (the first ask starts it). */
    private static JsonObject ready(final CaseApiFixture f, final String customer) throws Exception {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            final HttpResponse<Buffer> response = f.get("/v1/customers/" + customer, f.analyst);
            assertEquals(200, response.statusCode(), response.bodyAsString());
            final JsonObject live = response.bodyAsJsonObject().getJsonObject("churnLive");
            assertTrue(live != null, response.bodyAsString());
            if (live.getBoolean("ready")) {
                return live;
            }
            assertTrue(System.nanoTime() < deadline, "live churn never ready: " + live.encode());
            Thread.sleep(100);
        }
    }
}
