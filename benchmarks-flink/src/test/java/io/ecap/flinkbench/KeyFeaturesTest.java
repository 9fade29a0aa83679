package io.ecap.flinkbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyFeaturesTest {
    private static final long T0 = 1_793_664_000_000L; // a multiple of 5 min

    private static Txn txn(final long ts, final double amount, final Double lat, final Double lon) {
        final Txn t = new Txn();
        t.txnId = "t" + ts;
        t.ts = ts;
        t.cardId = "k";
        t.customerId = "c";
        t.amount = amount;
        t.lat = lat;
        t.lon = lon;
        return t;
    }

    @Test
    void windowsCountAndSumTheLastMinuteAndHour() {
        final KeyFeatures f = new KeyFeatures();
        for (int i = 0; i < 6; i++) {
            f.apply(txn(T0 + i * 1_000L, 10, null, null));
        }
        assertEquals(6, f.count60s);
        assertEquals(60.0, f.sum60s, 1e-9);
        assertEquals(6, f.count1h);
        // 2 minutes later: the minute ring has moved past all six, the hour still holds them
        f.apply(txn(T0 + 120_000L, 5, null, null));
        assertEquals(1, f.count60s);
        assertEquals(5.0, f.sum60s, 1e-9);
        assertEquals(7, f.count1h);
        assertEquals(65.0, f.sum1h, 1e-9);
        // a late event whose 5 s bucket left the ring counts in the hour only
        f.apply(txn(T0 + 2_000L, 1, null, null));
        assertEquals(1, f.count60s);
        assertEquals(8, f.count1h);
        // 2 hours later: both windows hold only the new event
        f.apply(txn(T0 + 7_200_000L, 3, null, null));
        assertEquals(1, f.count60s);
        assertEquals(1, f.count1h);
        assertEquals(3.0, f.sum1h, 1e-9);
    }

    @Test
    void zScoreAgainstTheEarlierAmountsFromTheSixth() {
        final KeyFeatures f = new KeyFeatures();
        final double[] amounts = {10, 12, 8, 11, 9};
        for (int i = 0; i < amounts.length; i++) {
            f.apply(txn(T0 + i * 10_000L, amounts[i], null, null));
            assertTrue(Double.isNaN(f.z), "no z-score before " + KeyFeatures.MIN_HISTORY + " earlier amounts");
        }
        f.apply(txn(T0 + 60_000L, 100, null, null));
        final double sd = Math.sqrt(10.0 / 4); // mean 10, squared deviations 0+4+4+1+1
        assertEquals((100 - 10) / sd, f.z, 1e-9);
    }

    @Test
    void travelSpeedFromTheLastLocation() {
        final double km = KeyFeatures.haversineKm(40.7128, -74.0060, 51.5074, -0.1278);
        assertEquals(5_570, km, 15); // New York - London
        final KeyFeatures f = new KeyFeatures();
        f.apply(txn(T0, 10, 40.7128, -74.0060));
        assertEquals(0, f.kmh);
        f.apply(txn(T0 + 3_600_000L, 10, 51.5074, -0.1278)); // an hour later in London
        assertEquals(km, f.kmh, 1e-6);
        f.apply(txn(T0 + 3_700_000L, 10, null, null)); // no location: no speed, last location kept
        assertEquals(0, f.kmh);
        f.apply(txn(T0 + 7_200_000L, 10, 51.5074, -0.1278));
        assertEquals(0, f.kmh, 1e-9);
    }
}
