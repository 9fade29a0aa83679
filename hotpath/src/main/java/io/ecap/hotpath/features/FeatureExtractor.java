package io.ecap.hotpath.features;

import static io.ecap.hotpath.features.EntityFeature.AGE_DAYS;
import static io.ecap.hotpath.features.EntityFeature.AMOUNT_RATIO;
import static io.ecap.hotpath.features.EntityFeature.AMOUNT_ZSCORE;
import static io.ecap.hotpath.features.EntityFeature.AVG_1H_USD;
import static io.ecap.hotpath.features.EntityFeature.CONSECUTIVE_DECLINES;
import static io.ecap.hotpath.features.EntityFeature.COUNTRY_CHANGED;
import static io.ecap.hotpath.features.EntityFeature.COUNT_1H;
import static io.ecap.hotpath.features.EntityFeature.COUNT_1M;
import static io.ecap.hotpath.features.EntityFeature.COUNT_24H;
import static io.ecap.hotpath.features.EntityFeature.COUNT_7D;
import static io.ecap.hotpath.features.EntityFeature.DISTINCT_7D;
import static io.ecap.hotpath.features.EntityFeature.FRAUD_LABELS;
import static io.ecap.hotpath.features.EntityFeature.IS_NEW;
import static io.ecap.hotpath.features.EntityFeature.NEW_COUNTERPART;
import static io.ecap.hotpath.features.EntityFeature.SECONDS_SINCE_LAST;
import static io.ecap.hotpath.features.EntityFeature.SUM_1H_USD;
import static io.ecap.hotpath.features.EntityFeature.SUM_24H_USD;
import static io.ecap.hotpath.features.EntityFeature.TRAVEL_KMH;
import static io.ecap.hotpath.features.EntityFeature.VELOCITY_RATIO;

import io.ecap.hotpath.state.DistinctSketch;
import io.ecap.hotpath.state.EntityKind;
import io.ecap.hotpath.state.EntityState;
import io.ecap.hotpath.state.SlidingWindows;
import io.ecap.hotpath.state.WindowSpec;
import io.ecap.model.Channel;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Countries;

/**
 * Fills the feature vector of {@link FeatureCatalog} for one transaction, from each entity's state before the
 * transaction ({@code before}) and after it was applied ({@code after}). Pure arithmetic over the event and the state:
 * no clock, no allocation; transcendental functions come from {@link StrictMath} so that a replay on any JVM gives the
 * same bits.
 */
public final class FeatureExtractor {
    /** Standard deviation floor for z-scores: 10% of the mean, and never below one dollar. */
    public static final double MIN_SD_CENTS = 100.0;
    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final double MS_PER_DAY = 86_400_000.0;
    private static final double MIN_TRAVEL_HOURS = 1.0 / 60;
    private final FdlibmTrig trig = new FdlibmTrig();
    // the last travel speed computed and what it was computed from (raw bits: exactly the same inputs)
    private boolean speedKnown;
    private long lastFromLat;
    private long lastFromLon;
    private long lastFromMs;
    private long lastToLat;
    private long lastToLon;
    private long lastToMs;
    private double lastSpeed;
    private boolean cosKnown;
    private long cosInputBits;
    private double cosValue;

    /**
     * @param before per kind, the state before this transaction, or null if the transaction has no such entity
     * @param after per kind, the state with this transaction applied (null where {@code before} is null)
     * @param counterpartHashes per kind, the hash of the counterpart id, or 0 if the transaction has none
     */
    public void extract(final TransactionFlyweight txn, final double amountCents, final EntityState[] before,
        final EntityState[] after, final int[] counterpartHashes, final double[] out) {
        final long ts = txn.tsMs();
        out[FeatureCatalog.TXN_AMOUNT_USD] = amountCents / 100.0;
        out[FeatureCatalog.TXN_HOUR_UTC] = Math.floorMod(ts, 86_400_000L) / 3_600_000L;
        out[FeatureCatalog.TXN_DAY_OF_WEEK] = Math.floorMod(Math.floorDiv(ts, 86_400_000L) + 3, 7L);
        out[FeatureCatalog.TXN_CHANNEL] = txn.channel() == Channel.ABSENT ? Double.NaN : txn.channel();
        out[FeatureCatalog.TXN_COUNTRY] = txn.country() == Countries.ABSENT ? Double.NaN : txn.country();
        out[FeatureCatalog.TXN_MCC] = txn.mcc() == TransactionFlyweight.MCC_ABSENT ? Double.NaN : txn.mcc();
        out[FeatureCatalog.TXN_HAS_DEVICE] = txn.stringLength(TransactionFlyweight.DEVICE_ID) > 0 ? 1 : 0;
        out[FeatureCatalog.TXN_HAS_IP] = txn.stringLength(TransactionFlyweight.IP) > 0 ? 1 : 0;
        out[FeatureCatalog.TXN_HAS_LOCATION] = txn.hasLocation() ? 1 : 0;
        for (final EntityKind kind : EntityKind.ALL) {
            final int k = kind.ordinal();
            if (before[k] == null) {
                for (final EntityFeature f : EntityFeature.ALL) {
                    set(out, kind, f, Double.NaN);
                }
            } else {
                history(kind, txn, amountCents, before[k], counterpartHashes[k], out);
                windows(kind, after[k], out);
            }
        }
        final EntityState customer = after[EntityKind.CUSTOMER.ordinal()];
        out[FeatureCatalog.customerClicks1h()] = SlidingWindows.countAt(customer, WindowSpec.CLICKS_HOUR, ts);
        profile(customer, out);
    }

    /** The customer's profile from the lake ({@code EntityUpdater.applyProfile}); NaN where it has none. */
    private static void profile(final EntityState customer, final double[] out) {
        final int segment = customer.profileSegment();
        out[FeatureCatalog.customerSegment()] = segment == 0 ? Double.NaN : segment;
        out[FeatureCatalog.customerPredictedClv()] = customer.profileClvUsd();
        out[FeatureCatalog.customerLifetimeOrders()] = customer.profileLifetimeOrders();
        out[FeatureCatalog.customerChurnRisk()] = customer.profileChurnRisk();
    }

    private void history(final EntityKind kind, final TransactionFlyweight txn, final double amountCents,
        final EntityState s, final int counterpartHash, final double[] out) {
        final long ts = txn.tsMs();
        // no transaction yet: a customer known only from clicks or the lake's profile is new too
        final boolean isNew = s.txnCount() == 0;
        set(out, kind, IS_NEW, isNew ? 1 : 0);
        set(out, kind, AGE_DAYS, isNew ? 0 : Math.max(0, ts - s.firstSeenMs()) / MS_PER_DAY);
        set(out, kind, SECONDS_SINCE_LAST, isNew ? Double.NaN : Math.max(0, ts - s.lastSeenMs()) / 1000.0);
        set(out, kind, CONSECUTIVE_DECLINES, s.consecutiveDeclines());
        set(out, kind, FRAUD_LABELS, s.fraudLabels());
        final long n = s.txnCount();
        final double mean = s.amountMean();
        if (n >= 3) {
            final double sd = Math.max(Math.sqrt(s.amountVariance()), Math.max(0.1 * mean, MIN_SD_CENTS));
            set(out, kind, AMOUNT_ZSCORE, (amountCents - mean) / sd);
        } else {
            set(out, kind, AMOUNT_ZSCORE, Double.NaN);
        }
        set(out, kind, AMOUNT_RATIO, n >= 1 ? amountCents / Math.max(mean, 1.0) : Double.NaN);
        set(out, kind, NEW_COUNTERPART, counterpartHash == 0 ? Double.NaN
            : DistinctSketch.contains(s, counterpartHash) ? 0 : 1);
        final int travel = FeatureCatalog.of(kind, TRAVEL_KMH);
        if (travel >= 0) {
            final boolean travelKnown = txn.hasLocation() && !Double.isNaN(s.lastLat()) && ts >= s.lastLocationMs();
            out[travel] = travelKnown ? speedKmh(s, txn) : Double.NaN;
        }
        final boolean countryKnown = txn.country() != Countries.ABSENT && s.lastCountry() != Countries.ABSENT;
        set(out, kind, COUNTRY_CHANGED, countryKnown ? (txn.country() != s.lastCountry() ? 1 : 0) : Double.NaN);
    }

    private static void windows(final EntityKind kind, final EntityState s, final double[] out) {
        final long count1h = SlidingWindows.count(s, WindowSpec.HOUR);
        final long count24h = SlidingWindows.count(s, WindowSpec.DAY);
        final double sum1h = SlidingWindows.sum(s, WindowSpec.HOUR) / 100.0;
        set(out, kind, COUNT_1M, SlidingWindows.count(s, WindowSpec.MINUTE));
        set(out, kind, COUNT_1H, count1h);
        set(out, kind, COUNT_24H, count24h);
        set(out, kind, COUNT_7D, SlidingWindows.count(s, WindowSpec.WEEK));
        set(out, kind, SUM_1H_USD, sum1h);
        set(out, kind, SUM_24H_USD, SlidingWindows.sum(s, WindowSpec.DAY) / 100.0);
        set(out, kind, AVG_1H_USD, count1h == 0 ? Double.NaN : sum1h / count1h);
        set(out, kind, VELOCITY_RATIO, count1h / Math.max(1.0, count24h / 24.0));
        set(out, kind, DISTINCT_7D, DistinctSketch.count(s, s.lastSeenMs()));
    }

    private static void set(final double[] out, final EntityKind kind, final EntityFeature f, final double value) {
        final int index = FeatureCatalog.of(kind, f);
        if (index >= 0) {
            out[index] = value;
        }
    }

    /**
     * Great-circle distance from the entity's last location over the time since, in km/h. The card and the customer
     * of a transaction usually share their last location (the same previous payment): the second asks the same
     * question as the first, and gets the first's answer without the trigonometry.
     */
    double speedKmh(final EntityState s, final TransactionFlyweight txn) {
        final long fromLat = Double.doubleToRawLongBits(s.lastLat());
        final long fromLon = Double.doubleToRawLongBits(s.lastLon());
        final long fromMs = s.lastLocationMs();
        final long toLat = Double.doubleToRawLongBits(txn.lat());
        final long toLon = Double.doubleToRawLongBits(txn.lon());
        final long toMs = txn.tsMs();
        if (fromLat != lastFromLat || fromLon != lastFromLon || fromMs != lastFromMs || toLat != lastToLat
            || toLon != lastToLon || toMs != lastToMs || !speedKnown) {
            final double km = haversineKm(s.lastLat(), s.lastLon(), txn.lat(), txn.lon());
            final double hours = Math.max((toMs - fromMs) / 3_600_000.0, MIN_TRAVEL_HOURS);
            lastSpeed = km / hours;
            lastFromLat = fromLat;
            lastFromLon = fromLon;
            lastFromMs = fromMs;
            lastToLat = toLat;
            lastToLon = toLon;
            lastToMs = toMs;
            speedKnown = true;
        }
        return lastSpeed;
    }

    /** Great-circle distance (haversine), with {@link StrictMath}'s results computed in Java by {@link FdlibmTrig}. */
    public double haversineKm(final double lat1, final double lon1, final double lat2, final double lon2) {
        final double p1 = StrictMath.toRadians(lat1);
        final double p2 = StrictMath.toRadians(lat2);
        final double dp = p2 - p1;
        final double dl = StrictMath.toRadians(lon2 - lon1);
        final double sinDp = trig.sin(dp / 2);
        final double sinDl = trig.sin(dl / 2);
        final double a = sinDp * sinDp + trig.cos(p1) * cosOf(p2) * sinDl * sinDl;
        return 2 * EARTH_RADIUS_KM * trig.asin(StrictMath.sqrt(Math.min(1.0, a)));
    }

    /** Cosine of the destination's latitude, the same for every entity of a transaction: computed once. */
    private double cosOf(final double p2) {
        final long bits = Double.doubleToRawLongBits(p2);
        if (bits != cosInputBits || !cosKnown) {
            cosValue = trig.cos(p2);
            cosInputBits = bits;
            cosKnown = true;
        }
        return cosValue;
    }
}
