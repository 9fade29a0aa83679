package io.ecap.hotpath.state;

import io.ecap.model.Outcome;
import io.ecap.model.binary.CustomerProfileFlyweight;
import io.ecap.model.binary.TransactionFlyweight;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Currencies;

/**
 * How events change one entity's state. Every function depends only on the entity's own state and the event, so
 * entities can be brought up to date independently during recovery and give the same bytes as a live run.
 */
public final class EntityUpdater {
    /** After this many transactions the amount mean and variance weigh recent amounts more (alpha = 1/20). */
    public static final int AMOUNT_HISTORY = 20;

    private EntityUpdater() {
    }

    /**
     * Applies a transaction: first/last seen, count, amount mean and variance, last location and country, the four
     * transaction windows, and the distinct-counterpart sketch.
     *
     * <p>Amount statistics: with {@code n} transactions so far (this one included) and {@code a = max(1/n, 1/20)},
     * {@code mean += a (x - mean)} and {@code variance = (1 - a)(variance + a (x - mean_before)^2)}: the exact
     * population mean and variance for the first 20 amounts, exponentially weighted after that. Location and country
     * are taken only from events at least as new as the newest seen, so a late event never overwrites them.
     *
     * @param buckets the transaction's bucket in each transaction window ({@link WindowSpec#transactionBuckets}),
     *     computed once for the five entities
     */
    public static void applyTransaction(final EntityState s, final TransactionFlyweight txn, final double amountCents,
        final int counterpartHash, final long[] buckets) {
        final long ts = txn.tsMs();
        final long previousLastSeen = s.lastSeenMs();
        final boolean inOrder = s.firstSeenMs() == 0 || ts >= previousLastSeen;
        if (s.firstSeenMs() == 0 || ts < s.firstSeenMs()) {
            s.firstSeenMs(ts);
        }
        if (inOrder) {
            s.lastSeenMs(ts);
            if (txn.country() != Countries.ABSENT) {
                s.lastCountry(txn.country());
            }
        } else {
            s.outOfOrderEvents(s.outOfOrderEvents() + 1);
        }
        final long n = s.txnCount() + 1;
        s.txnCount(n);
        final double alpha = Math.max(1.0 / n, 1.0 / AMOUNT_HISTORY);
        final double delta = amountCents - s.amountMean();
        s.amountMean(s.amountMean() + alpha * delta);
        s.amountVariance((1 - alpha) * (s.amountVariance() + alpha * delta * delta));
        if (txn.hasLocation() && ts >= s.lastLocationMs()) {
            s.lastLat(txn.lat());
            s.lastLon(txn.lon());
            s.lastLocationMs(ts);
        }
        final long cents = Math.round(amountCents);
        for (int i = 0; i < WindowSpec.TRANSACTION_WINDOWS.length; i++) {
            SlidingWindows.addToBucket(s, WindowSpec.TRANSACTION_WINDOWS[i], buckets[i], cents);
        }
        if (counterpartHash != 0) {
            DistinctSketch.add(s, counterpartHash, ts);
        }
    }

    /** Applies the engine's decision: declines in a row (reset by an approval, kept by a review) and in total. */
    public static void applyOutcome(final EntityState s, final Outcome outcome) {
        if (outcome == Outcome.DECLINE) {
            s.consecutiveDeclines(s.consecutiveDeclines() + 1);
            s.declines(s.declines() + 1);
        } else if (outcome == Outcome.APPROVE) {
            s.consecutiveDeclines(0);
        }
    }

    /** A transaction of this entity was confirmed as fraud. */
    public static void applyFraudLabel(final EntityState s) {
        s.fraudLabels(s.fraudLabels() + 1);
    }

    /** Highest value each profile field keeps; larger ones are kept as this. */
    public static final long MAX_CLV_USD = 0xFFFF_FFFEL;
    public static final int MAX_ORDERS = 0xFFFE;
    /** Steps of the churn risk kept in the state: 1/250 (0.004). */
    public static final int CHURN_STEPS = 250;

    /**
     * A customer profile from the lake replaces the one before it, whole: a field the profile does not carry is none
     * afterwards. Kept compact (8 bytes of the record): the lifetime value in whole US dollars at the reference rates
     * (up to {@link #MAX_CLV_USD}), lifetime orders up to {@link #MAX_ORDERS}, the churn risk rounded to steps of
     * 1/{@link #CHURN_STEPS}. Nothing else of the entity changes: a profile is not an event of the customer.
     */
    public static void applyProfile(final EntityState s, final CustomerProfileFlyweight p) {
        long clvRaw = 0;
        if (p.clvMinor() != CustomerProfileFlyweight.ABSENT) {
            final double dollars = Math.rint(Currencies.toUsdCents(p.clvMinor(), p.currency()) / 100.0);
            clvRaw = (long) Math.min(dollars, MAX_CLV_USD) + 1;
        }
        final int ordersRaw = p.lifetimeOrders() < 0 ? 0 : Math.min(p.lifetimeOrders(), MAX_ORDERS) + 1;
        final double churn = p.churnRisk();
        final int churnRaw = Double.isNaN(churn) ? 0 : (int) Math.rint(churn * CHURN_STEPS) + 1;
        s.profile(clvRaw, ordersRaw, churnRaw, p.segment());
    }

    /** A clickstream event of this customer. */
    public static void applyClick(final EntityState s, final long tsMs) {
        SlidingWindows.add(s, WindowSpec.CLICKS_HOUR, tsMs, 0);
    }
}
