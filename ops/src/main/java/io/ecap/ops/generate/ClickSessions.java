package io.ecap.ops.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clickstream sessions: page view, searches, product views, cart changes, checkout and purchase, or the same
 * abandoned on the way. A purchase session ends at its payment; a session that leads nowhere is just as common. The
 * first event of a session names the campaign that brought the visitor (or none: direct traffic).
 */
final class ClickSessions {
    /** The longest a purchase session starts before its payment. */
    static final long MAX_LEAD_MS = 30 * 60_000L;

    private static final String[] CAMPAIGNS = {
        "email-weekly", "search-brand", "search-generic", "social-retarget", "affiliate-deals", "display-seasonal",
    };

    private final SplittableRandom random;
    private final Catalog catalog;
    private long sessions;
    private long events;

    ClickSessions(final SplittableRandom random, final Catalog catalog) {
        this.random = random;
        this.catalog = catalog;
    }

    /**
     * The session that led to payment {@code t}: it ends with checkout just before the payment and a purchase just
     * after. {@code rushed} sessions (a fraudster who knows what to buy) skip browsing and click fast.
     */
    List<GeneratedEvent> purchase(final GeneratedTransaction t, final boolean rushed) {
        final Session s = new Session(t.customerId(), t.channel(), rushed);
        final int product = catalog.pick();
        final List<String> steps = new ArrayList<>(16);
        steps.add("page_view");
        if (!rushed) {
            for (int i = random.nextInt(3); i > 0; i--) {
                steps.add("search");
            }
            for (int i = random.nextInt(5); i > 0; i--) {
                steps.add("product_view");
            }
            if (random.nextInt(6) == 0) {
                steps.add("add_to_cart");
                steps.add("remove_from_cart");
            }
        }
        steps.add("product_view");
        steps.add("add_to_cart");
        steps.add("checkout_start");
        long ts = t.tsMs();
        final long[] at = new long[steps.size()];
        for (int i = steps.size() - 1; i >= 0; i--) {
            ts -= s.gapMs();
            at[i] = ts;
        }
        final List<GeneratedEvent> out = new ArrayList<>(steps.size() + 1);
        for (int i = 0; i < steps.size(); i++) {
            final boolean about = i >= steps.size() - 3;
            out.add(s.event(at[i], steps.get(i), about ? product : catalog.pick(), i == 0, null, null));
        }
        out.add(s.event(t.tsMs() + 500 + random.nextInt(2_500), "purchase", product, false, t.amount(),
            t.currency()));
        return out;
    }

    /**
     * A session that ends before paying, as most do: a bounce (45%: one page), browsing (35%: maybe a search, one
     * to three products), a cart left behind (15%) or a checkout left unfinished (5%).
     */
    List<GeneratedEvent> abandoned(final String customerId, final String channel, final long startMs) {
        final Session s = new Session(customerId, channel, false);
        final int depth = random.nextInt(100);
        final List<GeneratedEvent> out = new ArrayList<>(8);
        long ts = startMs;
        out.add(s.event(ts, "page_view", catalog.pick(), true, null, null));
        if (depth >= 45) {
            if (random.nextBoolean()) {
                ts += s.gapMs();
                out.add(s.event(ts, "search", catalog.pick(), false, null, null));
            }
            for (int i = random.nextInt(3) + 1; i > 0; i--) {
                ts += s.gapMs();
                out.add(s.event(ts, "product_view", catalog.pick(), false, null, null));
            }
        }
        if (depth >= 80) {
            final int product = catalog.pick();
            ts += s.gapMs();
            out.add(s.event(ts, "add_to_cart", product, false, null, null));
            if (depth >= 95) {
                ts += s.gapMs();
                out.add(s.event(ts, "checkout_start", product, false, null, null));
            }
        }
        return out;
    }

    /** One session's identity and pace. */
    private final class Session {
        private final String id = "s-" + sessions++;
        private final String customerId;
        private final String channel;
        private final boolean rushed;
        private final String campaign;

        Session(final String customerId, final String channel, final boolean rushed) {
            this.customerId = customerId;
            this.channel = "APP".equals(channel) ? "APP" : "WEB";
            this.rushed = rushed;
            final int roll = random.nextInt(CAMPAIGNS.length * 2);
            this.campaign = roll < CAMPAIGNS.length ? CAMPAIGNS[roll] : null;
        }

        long gapMs() {
            return rushed ? 800 + random.nextInt(2_500) : 4_000 + random.nextInt(80_000);
        }

        GeneratedEvent event(final long ts, final String type, final int product, final boolean first,
            final String amount, final String currency) {
            final StringBuilder json = new StringBuilder(200).append("{\"eventId\":\"e-").append(events++)
                .append("\",\"ts\":").append(ts).append(",\"type\":\"").append(type).append("\",\"sessionId\":\"")
                .append(id).append('"');
            if (customerId != null) {
                json.append(",\"customerId\":\"").append(customerId).append('"');
            }
            if (!type.equals("page_view") && !type.equals("search")) {
                json.append(",\"productId\":\"").append(Catalog.id(product)).append('"');
            }
            json.append(",\"channel\":\"").append(channel).append('"');
            if (first && campaign != null) {
                json.append(",\"campaign\":\"").append(campaign).append('"');
            }
            if (amount != null) {
                json.append(",\"amount\":\"").append(amount).append("\",\"currency\":\"").append(currency)
                    .append('"');
            }
            return GeneratedEvent.of(GeneratedEvent.Kind.USER_EVENT, ts, json.append('}').toString());
        }
    }
}
