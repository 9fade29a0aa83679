package io.ecap.hotpath.engine;

import static io.ecap.hotpath.engine.Harness.txn;
import static io.ecap.hotpath.engine.Txns.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.state.EntityUpdater;
import io.ecap.model.Outcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature-store loop in the engine: a profile from the lake becomes the customer's features and rules' input. */
class CustomerProfileTest {
    @TempDir
    Path dir;

    private static String profile(final String customer, final String fields) {
        return "{\"customerId\":\"" + customer + "\",\"ts\":\"2026-11-30T00:00:00Z\"," + fields + "}";
    }

    @Test
    void aProfileBecomesTheCustomersFeaturesAndRulesCanUseIt() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            h.engine.loadRuleSet("ruleset loop version 1\nthresholds review 10 decline 20\n"
                + "rule AT_RISK_BIG weight 15\n    when customer.segment == \"At Risk\" and txn.amount_usd > 500\n"
                + "rule LOYAL weight 1\n    when customer.lifetime_orders >= 10 and customer.churn_risk < 0.2\n",
                "alice", T0).get();
            final Harness.Answer taken = h.profile(profile("c-1",
                "\"segment\":\"At Risk\",\"clv\":\"1234.56\",\"currency\":\"EUR\",\"churnRisk\":0.9,"
                    + "\"lifetimeOrders\":12"));
            assertEquals(Commands.RESPONSE_ACCEPTED, taken.type());

            final Harness.Answer risky = h.score(txn("t-1", T0, "c-1", "k-1", "900.00", ""));
            assertEquals(Outcome.REVIEW, risky.outcome());
            assertEquals(List.of("AT_RISK_BIG"), risky.reasons());
            assertEquals(8.0, h.journaledFeature(risky.journalIndex(), "customer.segment"), "At Risk is code 8");
            assertEquals(0.9, h.journaledFeature(risky.journalIndex(), "customer.churn_risk"), 1e-12);
            assertEquals(12.0, h.journaledFeature(risky.journalIndex(), "customer.lifetime_orders"));
            final double clv = h.journaledFeature(risky.journalIndex(), "customer.predicted_clv_usd");
            assertTrue(clv > 1234.56 && clv < 2000, "EUR at the reference rate, whole dollars: " + clv);
            assertEquals(1.0, h.journaledFeature(risky.journalIndex(), "customer.is_new"),
                "a profile is not a payment: the customer is new at the first one");

            final Harness.Answer plain = h.score(txn("t-2", T0, "c-2", "k-2", "900.00", ""));
            assertEquals(Outcome.APPROVE, plain.outcome(), "no profile, no profile rule");
            assertTrue(Double.isNaN(h.journaledFeature(plain.journalIndex(), "customer.segment")));
            assertTrue(Double.isNaN(h.journaledFeature(plain.journalIndex(), "customer.churn_risk")));

            // a newer profile replaces the whole profile: fields it does not carry are gone
            h.profile(profile("c-1", "\"segment\":\"Champions\",\"churnRisk\":0.1,\"lifetimeOrders\":100000"));
            final Harness.Answer later = h.score(txn("t-3", T0 + 60_000, "c-1", "k-1", "900.00", ""));
            assertEquals(Outcome.APPROVE, later.outcome());
            assertEquals(List.of("LOYAL"), later.reasons());
            assertTrue(Double.isNaN(h.journaledFeature(later.journalIndex(), "customer.predicted_clv_usd")));
            assertEquals(EntityUpdater.MAX_ORDERS, h.journaledFeature(later.journalIndex(), "customer.lifetime_orders"),
                "kept up to the most the state holds");
            assertEquals(0.1, h.journaledFeature(later.journalIndex(), "customer.churn_risk"), 1e-12);
        }
        try (Harness h = Harness.start(data)) {
            final Harness.Answer afterRestart = h.score(txn("t-4", T0 + 120_000, "c-1", "k-1", "900.00", ""));
            assertEquals(1.0, h.journaledFeature(afterRestart.journalIndex(), "customer.segment"),
                "the profile is part of the state a restart keeps");
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
    }

    @Test
    void aProfileAloneIsRebuiltFromTheJournal() throws Exception {
        final Path data = dir.resolve("data");
        try (Harness h = Harness.start(data)) {
            h.profile(profile("c-9", "\"segment\":\"Lost\",\"churnRisk\":0.997"));
        }
        RecoveryTest.assertReplayReproducesTheState(data, dir.resolve("replay"));
        try (Harness h = Harness.start(data)) {
            final Harness.Answer first = h.score(txn("t-1", T0, "c-9", "k-9", "10.00", ""));
            assertEquals(11.0, h.journaledFeature(first.journalIndex(), "customer.segment"));
            assertEquals(0.996, h.journaledFeature(first.journalIndex(), "customer.churn_risk"), 1e-12,
                "0.997 is kept as the nearest step of 1/250");
        }
    }

    @Test
    void aCustomerKnownOnlyFromClicksIsNewAtTheFirstPayment() throws Exception {
        try (Harness h = Harness.start(dir.resolve("data"))) {
            h.event("{\"eventId\":\"e-1\",\"ts\":" + (T0 - 60_000) + ",\"type\":\"page_view\",\"sessionId\":\"s-1\","
                + "\"customerId\":\"c-5\"}");
            final Harness.Answer first = h.score(txn("t-1", T0, "c-5", "k-5", "10.00", ""));
            assertEquals(1.0, h.journaledFeature(first.journalIndex(), "customer.is_new"));
            assertEquals(0.0, h.journaledFeature(first.journalIndex(), "customer.age_days"));
            assertEquals(1.0, h.journaledFeature(first.journalIndex(), "customer.clicks_1h"));
        }
    }
}
