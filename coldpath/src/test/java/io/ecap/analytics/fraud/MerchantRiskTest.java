package io.ecap.analytics.fraud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The merchant risk band: enough payments first, then rates at the lower end of their 95% interval. */
class MerchantRiskTest {
    @Test
    void shouldNotCallAMerchantHighForOneChargebackInSeventyThreePayments() {
        assertEquals("normal", MerchantRisk.band(73, 1, 0), "1.4% observed, at least 0.24% with 95% confidence");
        assertEquals("normal", MerchantRisk.band(73, 0, 5));
    }

    @Test
    void shouldLeaveMerchantsWithTooFewPaymentsUnrated() {
        assertEquals("unrated", MerchantRisk.band(29, 29, 29));
        assertEquals("unrated", MerchantRisk.band(0, 0, 0));
    }

    @Test
    void shouldBandOnTheLowerBoundOfEachRate() {
        assertEquals("high", MerchantRisk.band(100, 10, 0), "10% observed, at least 5.5%");
        assertEquals("elevated", MerchantRisk.band(100, 3, 0), "3% observed, at least 1.03%");
        assertEquals("normal", MerchantRisk.band(100, 2, 0), "2% observed, at least 0.55%");
        assertEquals("high", MerchantRisk.band(100, 0, 40), "40% declined, at least 31%");
        assertEquals("elevated", MerchantRisk.band(100, 0, 25), "25% declined, at least 17.5%: not yet high");
        assertEquals("high", MerchantRisk.band(10_000, 250, 0), "2.5% of many payments: at least 2.2%");
    }

    @Test
    void shouldComputeTheWilsonLowerBound() {
        assertEquals(0.002420, MerchantRisk.wilsonLower(1, 73), 1e-5);
        assertEquals(0.055226, MerchantRisk.wilsonLower(10, 100), 1e-5);
        assertEquals(0.0, MerchantRisk.wilsonLower(0, 50), 1e-12);
        assertEquals(0.0, MerchantRisk.wilsonLower(0, 0), 1e-12);
    }
}
