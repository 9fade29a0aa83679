package io.ecap.hotpath.sim;

import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import java.util.SplittableRandom;

/**
 * What the simulated clients send, step by step, from one seeded random source: new payments (customers, cards,
 * devices, IPs and merchants new or seen before; event time moving on by about two seconds a step and now and then
 * by days; some payments late), repeats of recent payments (the same bytes, or changed: an idempotency conflict),
 * labels, clickstream events, customer profiles, block list changes (some sent twice) and erasures of customers and
 * cards. Event time moves on far
 * enough that entities outlive their retention and are removed, and the entity indexes and the transaction index
 * grow and rotate.
 */
final class SimWorkload {
    /** What a step does. */
    enum Kind { SCORE, REPEAT, CONFLICT, LABEL, EVENT, PROFILE, LIST, ERASE, RULES, MODEL, SHADOW, SETTINGS }

    /**
     * One step: its kind, the payment's number (payments), the JSON (all but lists and configuration: their text;
     * an erasure: {@code kind:id}) or the list change.
     */
    record Action(Kind kind, int txn, String json, ListChange change) {
    }

    /** Recent payments a repeat, a conflict or a label is about: fewer than the transaction index's window. */
    static final int RECENT = 1024;
    static final long T0 = 1_795_500_000_000L;
    private static final String[] EVENT_TYPES = {"page_view", "search", "product_view", "add_to_cart",
        "checkout_start"};
    private static final String[] SEGMENTS = {"Champions", "At Risk", "Lost", "New Customers"};
    private static final String[] CURRENCIES = {"USD", "USD", "USD", "EUR", "GBP"};

    private final SplittableRandom random;
    private final int[] recentTxn = new int[RECENT];
    private final String[] recentJson = new String[RECENT];
    private int recentCount;
    private int nextTxn;
    private int customers;
    private long eventTime = T0;
    private long listStream = T0;
    private ListChange lastList;

    SimWorkload(final long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Payments made so far (new ones). */
    int transactions() {
        return nextTxn;
    }

    /** The event time reached, epoch ms. */
    long eventTime() {
        return eventTime;
    }

    static String txnId(final int txn) {
        return "s" + txn;
    }

    Action next() {
        final int roll = random.nextInt(1000);
        if (recentCount > 0 && roll < 30) {
            final int at = random.nextInt(Math.min(recentCount, RECENT));
            return new Action(Kind.REPEAT, recentTxn[at], recentJson[at], null);
        }
        if (recentCount > 0 && roll < 40) {
            final int at = random.nextInt(Math.min(recentCount, RECENT));
            return new Action(Kind.CONFLICT, recentTxn[at], recentJson[at].replace("\"amount\":\"",
                "\"amount\":\"1"), null);
        }
        if (recentCount > 0 && roll < 90) {
            final int at = random.nextInt(Math.min(recentCount, RECENT));
            return new Action(Kind.LABEL, recentTxn[at], "{\"txnId\":\"" + txnId(recentTxn[at]) + "\",\"label\":\""
                + (random.nextInt(4) == 0 ? "LEGIT" : "FRAUD") + "\",\"source\":\"CHARGEBACK\",\"ts\":" + eventTime
                + "}", null);
        }
        if (customers > 0 && roll < 130) {
            return new Action(Kind.EVENT, -1, "{\"eventId\":\"e" + random.nextLong(Long.MAX_VALUE) + "\",\"ts\":"
                + eventTime + ",\"type\":\"" + EVENT_TYPES[random.nextInt(EVENT_TYPES.length)]
                + "\",\"sessionId\":\"x" + random.nextInt(5000) + "\",\"customerId\":\"c" + customer() + "\"}", null);
        }
        if (customers > 0 && roll < 150) {
            return new Action(Kind.PROFILE, -1, "{\"customerId\":\"c" + customer() + "\",\"ts\":" + eventTime
                + ",\"segment\":\"" + SEGMENTS[random.nextInt(SEGMENTS.length)] + "\",\"clv\":\"" + random.nextInt(5000)
                + ".50\",\"currency\":\"EUR\",\"churnRisk\":" + random.nextInt(1001) / 1000.0 + ",\"lifetimeOrders\":"
                + random.nextInt(80) + "}", null);
        }
        if (customers > 0 && roll < 155) {
            return new Action(Kind.LIST, -1, null, listChange());
        }
        if (customers > 0 && roll < 157) {
            // mostly a customer (seen before, or now and then one never seen), sometimes one of its cards
            final int c = random.nextInt(20) == 0 ? customers + random.nextInt(100) : customer();
            return new Action(Kind.ERASE, -1, random.nextInt(4) == 0 ? "card:k" + (c * 2L + random.nextInt(2))
                : "customer:c" + c, null);
        }
        return newPayment();
    }

    private ListChange listChange() {
        if (lastList != null && random.nextInt(4) == 0) {
            return lastList; // read twice from the stream: applied once
        }
        listStream += 1 + random.nextInt(1000);
        final String card = "k" + (customer() * 2L + random.nextInt(2));
        lastList = new ListChange(ListType.BLOCK, ListKind.CARD, random.nextInt(3) > 0, card, "simulated", "sim",
            eventTime, listStream, random.nextInt(3));
        return lastList;
    }

    /** A customer seen before: mostly a recent one. */
    private int customer() {
        return random.nextInt(100) < 85 ? Math.max(0, customers - 1 - random.nextInt(Math.min(customers, 500)))
            : random.nextInt(customers);
    }

    private Action newPayment() {
        // about two seconds a payment, and now and then a quiet day or three: entities outlive their retention
        eventTime += random.nextInt(2000) == 0 ? 86_400_000L + random.nextLong(2 * 86_400_000L)
            : random.nextInt(4000);
        final long ts = random.nextInt(50) == 0 ? eventTime - random.nextLong(3_600_000L) : eventTime;
        final int c = customers == 0 || random.nextInt(100) < 4 ? customers++ : customer();
        final int txn = nextTxn++;
        final StringBuilder sb = new StringBuilder(320).append("{\"txnId\":\"").append(txnId(txn)).append("\",\"ts\":")
            .append(ts).append(",\"customerId\":\"c").append(c).append("\",\"cardId\":\"k")
            .append(c * 2L + random.nextInt(2)).append("\",\"merchantId\":\"m").append(random.nextInt(300))
            .append("\",\"amount\":\"");
        if (random.nextInt(20) == 0) {
            sb.append(1000 + random.nextInt(9000));
        } else {
            sb.append(1 + random.nextInt(300));
        }
        sb.append('.').append(random.nextInt(100) / 10).append(random.nextInt(10)).append("\",\"currency\":\"")
            .append(CURRENCIES[random.nextInt(CURRENCIES.length)]).append('"');
        if (random.nextInt(10) < 7) {
            sb.append(",\"deviceId\":\"d").append(random.nextInt(10) == 0 ? random.nextInt(customers) : c / 3)
                .append('"');
        }
        if (random.nextBoolean()) {
            final int ip = random.nextInt(8) == 0 ? random.nextInt(1 << 20) : c / 7;
            sb.append(",\"ip\":\"10.").append(ip >> 16 & 255).append('.').append(ip >> 8 & 255).append('.')
                .append(ip & 255).append('"');
        }
        if (random.nextBoolean()) {
            sb.append(",\"lat\":").append(random.nextInt(120) - 60).append(",\"lon\":")
                .append(random.nextInt(300) - 150).append(",\"country\":\"")
                .append(random.nextInt(4) == 0 ? "DE" : "US").append('"');
        }
        final String json = sb.append('}').toString();
        final int at = recentCount++ % RECENT;
        recentTxn[at] = txn;
        recentJson[at] = json;
        return new Action(Kind.SCORE, txn, json, null);
    }
}
