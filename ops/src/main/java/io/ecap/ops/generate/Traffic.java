package io.ecap.ops.generate;

import io.ecap.ops.generate.GeneratedEvent.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Everything an e-commerce site sends, in event-time order: the payments of {@link WorkloadGenerator}, the
 * clickstream sessions around them (and the sessions that end without a purchase), catalog updates, and labels that
 * arrive late: chargebacks days after most fraud, analysts' verdicts on a few legitimate payments hours after.
 *
 * <p>Deterministic for a seed, and the payments are the same whichever kinds are kept: the clickstream, catalog and
 * labels draw from their own random streams.
 */
public final class Traffic {
    /**
     * @param abandonedPerPurchase sessions without a purchase per payment
     * @param productUpdateRate    catalog updates per payment
     * @param chargebackShare      share of fraudulent payments that come back as chargebacks
     * @param labelDelayHours      median delay of a chargeback (log-normal)
     * @param analystShare         share of legitimate payments an analyst confirms as legitimate
     * @param endMs                event time at which the traffic ends ({@link Long#MAX_VALUE}: never)
     */
    public record Settings(WorkloadGenerator.Settings payments, int products, double abandonedPerPurchase,
        double productUpdateRate, double chargebackShare, double labelDelayHours, double analystShare,
        Set<Kind> kinds, long endMs) {
        public Settings {
            if (products < 10 || abandonedPerPurchase < 0 || productUpdateRate < 0 || chargebackShare < 0
                || chargebackShare > 1 || labelDelayHours <= 0 || analystShare < 0 || analystShare > 1
                || kinds.isEmpty() || endMs <= payments.startMs()) {
                throw new IllegalArgumentException("traffic needs at least 10 products, shares from 0 to 1, a "
                    + "positive label delay, at least one kind of event and an end after its start");
            }
            kinds = Set.copyOf(kinds);
        }

        /**
         * 2 000 products, one abandoned session per purchase, chargebacks for 85% of fraud after ~3 days, no end.
         */
        public static Settings defaults(final WorkloadGenerator.Settings payments) {
            return new Settings(payments, 2_000, 1.0, 0.05, 0.85, 72, 0.005, EnumSet.allOf(Kind.class),
                Long.MAX_VALUE);
        }

        public Settings withKinds(final Set<Kind> only) {
            return new Settings(payments, products, abandonedPerPurchase, productUpdateRate, chargebackShare,
                labelDelayHours, analystShare, only, endMs);
        }

        public Settings withLabelDelayHours(final double hours) {
            return new Settings(payments, products, abandonedPerPurchase, productUpdateRate, chargebackShare, hours,
                analystShare, kinds, endMs);
        }

        /** Sessions that end without a purchase, per payment (15 with history: about one session in eighteen buys). */
        public Settings withAbandonedPerPurchase(final double sessions) {
            return new Settings(payments, products, sessions, productUpdateRate, chargebackShare, labelDelayHours,
                analystShare, kinds, endMs);
        }

        /** Ends the traffic at this event time. */
        public Settings withEndMs(final long end) {
            return new Settings(payments, products, abandonedPerPurchase, productUpdateRate, chargebackShare,
                labelDelayHours, analystShare, kinds, end);
        }
    }

    private record Pending(long seq, GeneratedEvent event) {
    }

    private final Settings settings;
    private final WorkloadGenerator payments;
    private final SplittableRandom random;
    private final Catalog catalog;
    private final ClickSessions sessions;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(
        (a, b) -> a.event.tsMs() != b.event.tsMs() ? Long.compare(a.event.tsMs(), b.event.tsMs())
            : Long.compare(a.seq, b.seq));
    private long seq;
    private long horizonMs = Long.MIN_VALUE;

    public Traffic(final Settings settings) {
        this.settings = settings;
        this.payments = new WorkloadGenerator(settings.payments());
        this.random = new SplittableRandom(settings.payments().seed() * 0x9E3779B97F4A7C15L + 1);
        this.catalog = new Catalog(random.split(), settings.products());
        this.sessions = new ClickSessions(random.split(), catalog);
        for (int p = 0; p < catalog.size(); p++) {
            if (wanted(Kind.PRODUCT_UPDATE)) {
                schedule(GeneratedEvent.of(Kind.PRODUCT_UPDATE, settings.payments().startMs() - 1,
                    catalog.listing(p, settings.payments().startMs() - 1)));
            }
        }
    }

    /**
     * The next event in event-time order (equal times in the order they were made), or null once event time reaches
     * the settings' end (then always null).
     */
    public GeneratedEvent next() {
        while (queue.isEmpty() || queue.peek().event.tsMs() > horizonMs) {
            pull();
        }
        if (queue.peek().event.tsMs() >= settings.endMs()) {
            return null;
        }
        return queue.poll().event;
    }

    public Settings settings() {
        return settings;
    }

    private void pull() {
        final GeneratedTransaction t = payments.next();
        horizonMs = t.tsMs() - ClickSessions.MAX_LEAD_MS;
        schedule(GeneratedEvent.of(t));
        if (wanted(Kind.USER_EVENT)) {
            clickstream(t);
        }
        if (wanted(Kind.PRODUCT_UPDATE) && random.nextDouble() < settings.productUpdateRate()) {
            schedule(GeneratedEvent.of(Kind.PRODUCT_UPDATE, t.tsMs(), catalog.randomUpdate(t.tsMs())));
        }
        if (wanted(Kind.LABEL)) {
            label(t);
        }
    }

    private void clickstream(final GeneratedTransaction t) {
        if (!t.channel().equals("POS") && hasSession(t.scenario())) {
            scheduleAll(sessions.purchase(t, t.isFraud()));
        }
        double abandoned = settings.abandonedPerPurchase();
        for (; abandoned >= 1 || random.nextDouble() < abandoned; abandoned--) {
            final int roll = random.nextInt(10);
            final String customer = roll < 1 && !t.isFraud() ? t.customerId() : roll < 5 ? null
                : "c-" + random.nextInt(settings.payments().customers());
            final long start = t.tsMs() - random.nextLong(ClickSessions.MAX_LEAD_MS / 2);
            scheduleAll(sessions.abandoned(customer, random.nextInt(3) == 0 ? "APP" : "WEB", start));
        }
    }

    /** Scripted fraud pays straight through the API; a person (even a fraudster) browses first. */
    private static boolean hasSession(final Scenario scenario) {
        return scenario == null || scenario == Scenario.ACCOUNT_TAKEOVER || scenario == Scenario.SPENDING_SPREE;
    }

    private void label(final GeneratedTransaction t) {
        if (t.isFraud() && random.nextDouble() < settings.chargebackShare()) {
            final double hours = settings.labelDelayHours() * Math.exp(0.8 * random.nextGaussian());
            schedule(label(t, "FRAUD", "CHARGEBACK", t.tsMs() + Math.max(3_600_000L, (long) (hours * 3.6e6))));
        } else if (!t.isFraud() && random.nextDouble() < settings.analystShare()) {
            final double hours = 4 * Math.exp(0.5 * random.nextGaussian());
            schedule(label(t, "LEGIT", "ANALYST", t.tsMs() + (long) (hours * 3.6e6)));
        }
    }

    private static GeneratedEvent label(final GeneratedTransaction t, final String label, final String source,
        final long ts) {
        return GeneratedEvent.of(Kind.LABEL, ts, "{\"txnId\":\"" + t.txnId() + "\",\"label\":\"" + label
            + "\",\"source\":\"" + source + "\",\"ts\":" + ts + "}");
    }

    private boolean wanted(final Kind kind) {
        return settings.kinds().contains(kind);
    }

    private void scheduleAll(final List<GeneratedEvent> events) {
        for (final GeneratedEvent e : events) {
            schedule(e);
        }
    }

    private void schedule(final GeneratedEvent event) {
        if (wanted(event.kind())) {
            queue.add(new Pending(seq++, event));
        }
    }
}
