package io.ecap.ops.generate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic stream of e-commerce payments: the same settings always give the same stream.
 *
 * <p>Normal traffic: customers with a home city, one or two cards and devices, a home network address and a typical
 * spend (log-normal); skewed popularity of customers and merchants; a daily rhythm (quiet nights, busy evenings) and
 * busier weekends. Fraud: at {@code fraudRate} per normal payment a {@link Scenario} starts and schedules its own
 * payments into the future; each carries its scenario as ground truth, kept apart from the JSON sent for scoring.
 *
 * <p>Customers are either a fixed population that never leaves, picked by skewed popularity (the default, for load),
 * or, with {@link Lifecycles}, customers who arrive, buy at a pace of their own, slow down and leave, in a shop whose
 * pace follows the year ({@link Customers}): history for the lake's customer analytics.
 */
public final class WorkloadGenerator {
    /**
     * @param customers     the population; with lifecycles, the customers buying at any one time (one who leaves is
     *                      replaced by a new one)
     * @param eventsPerHour average normal payments per hour of event time (before the daily rhythm)
     * @param fraudRate     chance that a normal payment also starts a fraud scenario
     * @param lifecycles    customers who come and go, or null for a fixed population
     */
    public record Settings(long seed, int customers, int merchants, long startMs, double eventsPerHour,
        double fraudRate, Lifecycles lifecycles) {
        public Settings {
            if (customers < 10 || merchants < 5 || eventsPerHour <= 0 || fraudRate < 0 || fraudRate > 0.5) {
                throw new IllegalArgumentException("need at least 10 customers and 5 merchants, a positive rate and "
                    + "a fraud rate from 0 to 0.5");
            }
        }

        /** A fixed population of customers picked by skewed popularity. */
        public Settings(final long seed, final int customers, final int merchants, final long startMs,
            final double eventsPerHour, final double fraudRate) {
            this(seed, customers, merchants, startMs, eventsPerHour, fraudRate, null);
        }

        public Settings withLifecycles(final Lifecycles cycles) {
            return new Settings(seed, customers, merchants, startMs, eventsPerHour, fraudRate, cycles);
        }

        /** 2026-11-02 00:00 UTC (a Monday), 100 000 customers, 500 merchants, 10 000 payments an hour, 0.4% fraud. */
        public static Settings defaults(final long seed) {
            return new Settings(seed, 100_000, 500, 1_793_577_600_000L, 10_000, 0.004);
        }
    }

    private static final int[] MCCS = {5411, 5812, 5999, 5732, 5651, 4121, 5815, 5942, 7011, 4511, 5311, 5691};

    private final Settings settings;
    private final SplittableRandom random;
    private final PriorityQueue<GeneratedTransaction> scheduled = new PriorityQueue<>(
        (a, b) -> a.tsMs() != b.tsMs() ? Long.compare(a.tsMs(), b.tsMs()) : a.txnId().compareTo(b.txnId()));
    private int[] homeCity;
    private double[] medianUsd;
    private final int[] merchantMcc;
    private final int colludingMerchant;
    private final Customers lifecycles;
    /** With lifecycles: a victim's card replaced a day after its fraud (when it takes effect, and the new number). */
    private final Map<Integer, long[]> reissued = new HashMap<>();
    private long clockMs;
    private long nextId;
    private long fraudAccounts;

    public WorkloadGenerator(final Settings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.clockMs = settings.startMs();
        homeCity = new int[settings.customers()];
        medianUsd = new double[settings.customers()];
        if (settings.lifecycles() == null) {
            for (int c = 0; c < settings.customers(); c++) {
                arrived(c);
            }
        }
        merchantMcc = new int[settings.merchants()];
        for (int m = 0; m < settings.merchants(); m++) {
            merchantMcc[m] = MCCS[random.nextInt(MCCS.length)];
        }
        colludingMerchant = settings.merchants() - 1;
        lifecycles = settings.lifecycles() == null ? null : new Customers(random, settings.lifecycles(),
            settings.customers(), settings.eventsPerHour(), settings.startMs(), this::arrived);
    }

    /** A customer's home and typical spend. */
    private void arrived(final int c) {
        if (c == homeCity.length) {
            homeCity = Arrays.copyOf(homeCity, c * 2);
            medianUsd = Arrays.copyOf(medianUsd, c * 2);
        }
        homeCity[c] = random.nextInt(City.ALL.length);
        medianUsd[c] = Math.exp(Math.log(35) + 0.7 * random.nextGaussian());
    }

    /** The next payment in event-time order. Never ends. */
    public GeneratedTransaction next() {
        if (lifecycles != null) {
            return nextInLifecycles();
        }
        final GeneratedTransaction pending = scheduled.peek();
        final long regularAt = clockMs + interArrivalMs();
        if (pending != null && pending.tsMs() <= regularAt) {
            return scheduled.poll();
        }
        clockMs = regularAt;
        if (random.nextDouble() < settings.fraudRate()) {
            startScenario(Scenario.values()[random.nextInt(Scenario.values().length)]);
        }
        return normal(customer(), clockMs);
    }

    private GeneratedTransaction nextInLifecycles() {
        final GeneratedTransaction pending = scheduled.peek();
        if (pending != null && pending.tsMs() <= lifecycles.peekMs()) {
            return scheduled.poll();
        }
        final Customers.Purchase purchase = lifecycles.next();
        clockMs = purchase.tsMs();
        if (random.nextDouble() < settings.fraudRate()) {
            startScenario(Scenario.values()[random.nextInt(Scenario.values().length)]);
        }
        return normal(purchase.customer(), clockMs);
    }

    private long interArrivalMs() {
        final double rhythm = Rhythm.week(clockMs);
        final double meanMs = 3_600_000.0 / (settings.eventsPerHour() * rhythm);
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * meanMs));
    }

    /**
     * Customers by skewed popularity: customer {@code i} is chosen with a probability that falls like
     * {@code i^(-1/3)}, so a few buy several times a day and most rarely; with lifecycles, any customer buying now.
     */
    private int customer() {
        if (lifecycles != null) {
            return lifecycles.anyCustomer();
        }
        final double u = random.nextDouble();
        return (int) (settings.customers() * u * Math.sqrt(u));
    }

    private int merchant() {
        final double u = random.nextDouble();
        return (int) ((settings.merchants() - 1) * u * u);
    }

    private GeneratedTransaction normal(final int c, final long ts) {
        final City home = City.ALL[homeCity[c]];
        final Payment p = new Payment(id(), ts, "c-" + c, card(c, ts) + (random.nextInt(8) == 0 ? "b" : ""),
            merchant(), home, Math.exp(Math.log(medianUsd[c]) + 0.6 * random.nextGaussian()));
        p.device = "d-" + c + (random.nextInt(6) == 0 ? "b" : "");
        p.ip = random.nextInt(10) == 0 ? mobileIp() : homeIp(c);
        p.near(home, 0.15);
        return p.build(null);
    }

    /**
     * The card customer {@code c} pays with at {@code ts}: {@code k-<c>}, or with lifecycles, once a card was used in
     * fraud, the one the bank sent a day later ({@code k-<c>r1}, {@code r2}, ...).
     */
    private String card(final int c, final long ts) {
        final long[] reissue = reissued.get(c);
        if (reissue == null) {
            return "k-" + c;
        }
        final long number = ts >= reissue[0] ? reissue[1] : reissue[1] - 1;
        return number == 0 ? "k-" + c : "k-" + c + "r" + number;
    }

    /** With lifecycles, the victim's card is replaced a day after it is first used in fraud. */
    private String stolenCard(final int victim, final long ts) {
        final String card = card(victim, ts);
        if (lifecycles != null) {
            final long[] reissue = reissued.get(victim);
            if (reissue == null || ts >= reissue[0]) {
                reissued.put(victim, new long[] {ts + 86_400_000L, reissue == null ? 1 : reissue[1] + 1});
            }
        }
        return card;
    }

    private void startScenario(final Scenario scenario) {
        final int victim = customer();
        final City home = City.ALL[homeCity[victim]];
        final City far = farFrom(home);
        final String fraudDevice = "fd-" + random.nextInt(1_000_000);
        final String badIp = "185.220." + random.nextInt(256) + "." + random.nextInt(256);
        long ts = clockMs + 1_000 + random.nextInt(60_000);
        switch (scenario) {
            case CARD_TESTING -> {
                final String account = fraudAccount();
                for (int i = 0, n = 8 + random.nextInt(7); i < n; i++, ts += 20_000 + random.nextInt(70_000)) {
                    final Payment p = new Payment(id(), ts, account, stolenCard(victim, ts), merchant(), far,
                        0.5 + random.nextDouble() * 2.5);
                    p.device = fraudDevice;
                    p.ip = badIp;
                    p.mcc = 5815;
                    schedule(p.near(far, 0.05).build(scenario));
                }
            }
            case ACCOUNT_TAKEOVER -> {
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++, ts += 120_000 + random.nextInt(480_000)) {
                    final Payment p = new Payment(id(), ts, "c-" + victim, stolenCard(victim, ts), merchant(), far,
                        600 + random.nextDouble() * 1900);
                    p.device = fraudDevice;
                    p.ip = badIp;
                    schedule(p.near(far, 0.05).build(scenario));
                }
            }
            case IMPOSSIBLE_TRAVEL -> {
                schedule(normal(victim, ts));
                final Payment p = new Payment(id(), ts + 300_000 + random.nextInt(2_100_000), "c-" + victim,
                    stolenCard(victim, ts), merchant(), far, medianUsd[victim] * (1 + random.nextDouble() * 3));
                p.channel = "POS";
                schedule(p.near(far, 0.05).build(scenario));
            }
            case BOT_BURST -> {
                final String account = fraudAccount();
                for (int i = 0, n = 10 + random.nextInt(11); i < n; i++, ts += 5_000 + random.nextInt(25_000)) {
                    final Payment p = new Payment(id(), ts, account, "kb-" + account + "-" + random.nextInt(3),
                        merchant(), far, 20 + random.nextDouble() * 130);
                    p.device = fraudDevice;
                    p.ip = badIp;
                    schedule(p.build(scenario));
                }
            }
            case SPENDING_SPREE -> {
                final String account = fraudAccount();
                for (int i = 0, n = 5 + random.nextInt(5); i < n; i++, ts += 300_000 + random.nextInt(1_200_000)) {
                    final Payment p = new Payment(id(), ts, account, stolenCard(victim, ts), merchant(), home,
                        300 + random.nextDouble() * 1200);
                    p.device = fraudDevice;
                    p.ip = badIp;
                    schedule(p.near(home, 0.3).build(scenario));
                }
            }
            case CARD_FARM -> {
                for (int i = 0, n = 6 + random.nextInt(5); i < n; i++, ts += 60_000 + random.nextInt(300_000)) {
                    final int stolen = customer();
                    final Payment p = new Payment(id(), ts, fraudAccount(), stolenCard(stolen, ts), merchant(), far,
                        50 + random.nextDouble() * 350);
                    p.device = fraudDevice;
                    p.ip = badIp;
                    schedule(p.build(scenario));
                }
            }
            case MERCHANT_COLLUSION -> {
                for (int i = 0, n = 8 + random.nextInt(8); i < n; i++, ts += 60_000 + random.nextInt(400_000)) {
                    final String account = fraudAccount();
                    final Payment p = new Payment(id(), ts, account, "kc-" + account, colludingMerchant, home,
                        500 + random.nextDouble() * 1500);
                    p.device = "d-" + account;
                    schedule(p.near(home, 0.5).build(scenario));
                }
            }
            default -> throw new IllegalStateException("unknown scenario " + scenario);
        }
    }

    private void schedule(final GeneratedTransaction txn) {
        scheduled.add(txn);
    }

    private String fraudAccount() {
        return "g-" + fraudAccounts++;
    }

    private City farFrom(final City home) {
        City far;
        do {
            far = City.ALL[random.nextInt(City.ALL.length)];
        } while (far.country().equals(home.country()));
        return far;
    }

    /**
     * Transaction ids carry the seed, so streams of different seeds never collide in the idempotency index. A letter
     * separates the seed from the count ({@code t-42n17}): a seed like a time in milliseconds followed by a dash and
     * digits could otherwise read as a card number, which the API refuses in any field.
     */
    private String id() {
        return "t-" + settings.seed() + "n" + nextId++;
    }

    /**
     * A stand-in for the hash of a customer's e-mail address: 32 hexadecimal digits, as long as an MD5. (16 were too
     * few: about one customer in 20 000 got only decimal digits that passed the Luhn check, a "card number" the API
     * refuses; 32 digits never look like one.)
     */
    static void emailHash(final StringBuilder out, final String customer) {
        long h = customer.hashCode() * 0x9E3779B97F4A7C15L;
        for (int half = 0; half < 2; half++) {
            for (int shift = 60; shift >= 0; shift -= 4) {
                out.append(Character.forDigit((int) (h >>> shift) & 0xF, 16));
            }
            h = Long.rotateLeft(h, 29) * 0xC2B2AE3D27D4EB4FL;
        }
    }

    private String homeIp(final int c) {
        return "10." + (c >>> 16 & 0xFF) + "." + (c >>> 8 & 0xFF) + "." + (c & 0xFF);
    }

    private String mobileIp() {
        return "100.64." + random.nextInt(256) + "." + random.nextInt(256);
    }

    /** One payment being built. */
    private final class Payment {
        private final String txnId;
        private final long ts;
        private final String customer;
        private final String card;
        private final int merchant;
        private final City city;
        private final double usd;
        private String device;
        private String ip;
        private String channel;
        private int mcc;
        private double lat = Double.NaN;
        private double lon = Double.NaN;

        Payment(final String txnId, final long ts, final String customer, final String card, final int merchant,
            final City city, final double usd) {
            this.txnId = txnId;
            this.ts = ts;
            this.customer = customer;
            this.card = card;
            this.merchant = merchant;
            this.city = city;
            this.usd = usd;
            this.mcc = merchantMcc[merchant];
            final int roll = random.nextInt(10);
            this.channel = roll < 6 ? "WEB" : roll < 9 ? "APP" : "POS";
        }

        Payment near(final City where, final double degrees) {
            lat = where.lat() + (random.nextDouble() - 0.5) * degrees;
            lon = where.lon() + (random.nextDouble() - 0.5) * degrees;
            return this;
        }

        GeneratedTransaction build(final Scenario scenario) {
            final String amount = amount();
            final StringBuilder json = new StringBuilder(320)
                .append("{\"txnId\":\"").append(txnId).append("\",\"ts\":").append(ts)
                .append(",\"customerId\":\"").append(customer).append("\",\"cardId\":\"").append(card)
                .append("\",\"merchantId\":\"m-").append(merchant).append("\",\"amount\":\"").append(amount)
                .append("\",\"currency\":\"").append(city.currency()).append('"');
            if (device != null) {
                json.append(",\"deviceId\":\"").append(device).append('"');
            }
            if (ip != null) {
                json.append(",\"ip\":\"").append(ip).append('"');
            }
            json.append(",\"country\":\"").append(city.country()).append('"');
            if (!Double.isNaN(lat)) {
                json.append(",\"lat\":").append(Math.round(lat * 10_000) / 10_000.0)
                    .append(",\"lon\":").append(Math.round(lon * 10_000) / 10_000.0);
            }
            json.append(",\"channel\":\"").append(channel).append("\",\"mcc\":").append(mcc)
                .append(",\"email\":\"");
            emailHash(json, customer);
            json.append("\"}");
            return new GeneratedTransaction(txnId, ts, customer, channel, amount, city.currency(), json.toString(),
                scenario);
        }

        private String amount() {
            final int exponent = city.exponent();
            final long minor = Math.max(1, Math.round(usd / city.usdPerUnit() * Math.pow(10, exponent)));
            if (exponent == 0) {
                return Long.toString(minor);
            }
            final long unit = (long) Math.pow(10, exponent);
            final String fraction = Long.toString(unit + minor % unit).substring(1);
            return minor / unit + "." + fraction;
        }
    }
}
