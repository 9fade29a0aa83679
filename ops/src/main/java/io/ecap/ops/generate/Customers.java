package io.ecap.ops.generate;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Who buys next and when, under {@link Lifecycles}: a fixed number of places, each held by one customer at a time.
 * A customer buys as a Poisson process at their own rate, shaped by the shop's {@link Rhythm} (drawn by thinning), a
 * third of it once they start fading, until their lifetime ends; then a new customer, with a new id, takes the
 * place. Lifetimes do not depend on rates, so the shop's pace stays steady on average: the places' mean rate over
 * a life is the configured payments per hour, before the rhythm.
 */
final class Customers {
    /** A place and its current customer. */
    private static final class Place {
        int customer;
        double ratePerMs;
        long fadesAtMs;
        long leavesAtMs;
        long nextMs;
    }

    /** What the next purchase is: whose, and when. */
    record Purchase(int customer, long tsMs) {
    }

    /** Called for every new customer, in id order, so the payments know their home and spend. */
    interface Arrivals {
        void arrived(int customer);
    }

    private static final double DAY_MS = 86_400_000.0;

    private final SplittableRandom random;
    private final Lifecycles lifecycles;
    private final double meanRatePerMs;
    private final double maxRhythm;
    private final Arrivals arrivals;
    private final Place[] places;
    private final PriorityQueue<Place> queue = new PriorityQueue<>((a, b) -> a.nextMs != b.nextMs
        ? Long.compare(a.nextMs, b.nextMs) : Integer.compare(a.customer, b.customer));
    private int customers;

    Customers(final SplittableRandom random, final Lifecycles lifecycles, final int places, final double perHour,
        final long startMs, final Arrivals arrivals) {
        this.random = random;
        this.lifecycles = lifecycles;
        this.meanRatePerMs = perHour / places / 3_600_000.0 / lifecycles.meanRateShare();
        this.maxRhythm = Rhythm.max(lifecycles.seasonality());
        this.arrivals = arrivals;
        this.places = new Place[places];
        for (int i = 0; i < places; i++) {
            this.places[i] = new Place();
            arrive(this.places[i], startMs);
        }
    }

    /** The next purchase, in event-time order. Never ends. */
    Purchase next() {
        final Place place = queue.poll();
        final Purchase purchase = new Purchase(place.customer, place.nextMs);
        schedule(place, purchase.tsMs());
        return purchase;
    }

    /** When the next purchase is. */
    long peekMs() {
        return queue.peek().nextMs;
    }

    /** A customer holding a place now, at random (a fraud victim). */
    int anyCustomer() {
        return places[random.nextInt(places.length)].customer;
    }

    /** A new customer takes the place: a rate (gamma, shape 1), a lifetime (exponential), a first purchase. */
    private void arrive(final Place place, final long nowMs) {
        place.customer = customers++;
        place.ratePerMs = meanRatePerMs * exponential();
        final double lifeMs = lifecycles.lifetimeDays() * DAY_MS * exponential();
        place.leavesAtMs = nowMs + Math.max(1, Math.round(lifeMs));
        place.fadesAtMs = place.leavesAtMs - Math.round(lifeMs * lifecycles.fading());
        arrivals.arrived(place.customer);
        schedule(place, nowMs);
    }

    /**
     * Queues the place's next purchase after {@code fromMs}: candidates at the busiest pace, each kept with the share
     * of it the rhythm and fading give at its time. A customer whose life ends first leaves, and the next arrives.
     */
    private void schedule(final Place place, final long fromMs) {
        final double meanGapMs = 1 / (Math.max(place.ratePerMs, 1e-15) * maxRhythm);
        long t = fromMs;
        while (true) {
            t += Math.max(1, Math.round(exponential() * meanGapMs));
            if (t >= place.leavesAtMs) {
                arrive(place, place.leavesAtMs);
                return;
            }
            final double share = Rhythm.at(t, lifecycles.seasonality()) / maxRhythm
                * (t >= place.fadesAtMs ? Lifecycles.FADED_RATE : 1);
            if (random.nextDouble() < share) {
                place.nextMs = t;
                queue.add(place);
                return;
            }
        }
    }

    private double exponential() {
        return -Math.log(1 - random.nextDouble());
    }
}
