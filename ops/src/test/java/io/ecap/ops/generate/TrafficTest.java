package io.ecap.ops.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.ValidationException;
import io.ecap.model.field.PanMask;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.ProductUpdateJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import io.ecap.ops.generate.GeneratedEvent.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TrafficTest {
    private static final Pattern TXN_ID = Pattern.compile("\"txnId\":\"([^\"]+)\"");
    private static final Pattern CUSTOMER = Pattern.compile("\"customerId\":\"([^\"]+)\"");
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z_]+)\"");

    private static Traffic traffic(final long seed, final Set<Kind> kinds) {
        final WorkloadGenerator.Settings payments = new WorkloadGenerator.Settings(seed, 2_000, 50,
            1_793_577_600_000L, 10_000, 0.02);
        return new Traffic(Traffic.Settings.defaults(payments).withKinds(kinds).withLabelDelayHours(1));
    }

    private static List<GeneratedEvent> take(final Traffic traffic, final int n) {
        final List<GeneratedEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(traffic.next());
        }
        return events;
    }

    @Test
    void shouldGiveTheSameTrafficForTheSameSeed() {
        assertEquals(take(traffic(7, EnumSet.allOf(Kind.class)), 20_000),
            take(traffic(7, EnumSet.allOf(Kind.class)), 20_000));
    }

    @Test
    void shouldKeepThePaymentsWhicheverKindsAreKept() {
        final List<GeneratedEvent> all = take(traffic(3, EnumSet.allOf(Kind.class)), 60_000).stream()
            .filter(e -> e.kind() == Kind.TRANSACTION).toList();
        final List<GeneratedEvent> only = take(traffic(3, EnumSet.of(Kind.TRANSACTION)), all.size());
        assertEquals(only, all);
    }

    @Test
    void shouldEmitEveryKindInEventTimeOrderAndValidAgainstTheContracts() {
        final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
        final TransactionJson transactions = new TransactionJson();
        final UserEventJson events = new UserEventJson();
        final ProductUpdateJson products = new ProductUpdateJson();
        final LabelJson labels = new LabelJson();
        final Set<String> paid = new HashSet<>();
        long lastTs = Long.MIN_VALUE;
        for (final GeneratedEvent e : take(traffic(11, EnumSet.allOf(Kind.class)), 200_000)) {
            assertTrue(e.tsMs() >= lastTs, "out of event-time order: " + e);
            lastTs = e.tsMs();
            counts.merge(e.kind(), 1, Integer::sum);
            final byte[] bytes = e.json().getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer in = new UnsafeBuffer(bytes);
            try {
                switch (e.kind()) {
                    case TRANSACTION -> {
                        transactions.parse(in, 0, bytes.length, out, 0);
                        assertEquals(e.txnId(), group(TXN_ID, e.json()));
                        paid.add(e.txnId());
                    }
                    case USER_EVENT -> events.parse(in, 0, bytes.length, out, 0);
                    case PRODUCT_UPDATE -> products.parse(in, 0, bytes.length, out, 0);
                    case LABEL -> {
                        labels.parse(in, 0, bytes.length, out, 0);
                        assertTrue(paid.contains(group(TXN_ID, e.json())), "label before its payment: " + e);
                    }
                    default -> throw new AssertionError(e.kind());
                }
            } catch (final ValidationException ex) {
                throw new AssertionError(ex.getMessage() + " in " + e.json(), ex);
            }
        }
        assertEquals(EnumSet.allOf(Kind.class), counts.keySet(), "every kind appears: " + counts);
        assertTrue(counts.get(Kind.USER_EVENT) > counts.get(Kind.TRANSACTION), "clickstream outnumbers payments");
    }

    @Test
    void shouldNeverSendWhatLooksLikeACardNumber() {
        // ecap load seeds with the time in milliseconds: 1764000000000 passes the Luhn check, and was a "card
        // number" in every transaction id (t-1764000000000-17); customer c-40762's 16-digit e-mail hash was one too
        final TransactionJson transactions = new TransactionJson();
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
        for (final GeneratedEvent e : take(traffic(1_764_000_000_000L, EnumSet.of(Kind.TRANSACTION)), 2_000)) {
            final byte[] bytes = e.json().getBytes(StandardCharsets.UTF_8);
            try {
                transactions.parse(new UnsafeBuffer(bytes), 0, bytes.length, out, 0);
            } catch (final ValidationException ex) {
                throw new AssertionError(ex.getMessage() + " in " + e.json(), ex);
            }
        }
        final StringBuilder email = new StringBuilder();
        for (int c = 0; c < 200_000; c++) {
            email.setLength(0);
            WorkloadGenerator.emailHash(email, "c-" + c);
            assertFalse(PanMask.contains(email.toString()), "c-" + c + ": " + email);
        }
    }

    @Test
    void shouldPrecedeAPurchaseWithItsSessionAndKeepScriptedFraudOutOfTheClickstream() {
        final Map<String, String> lastType = new HashMap<>();
        int purchases = 0;
        int sessionsBeforePayment = 0;
        int scripted = 0;
        int scriptedWithClicks = 0;
        final Set<String> clicked = new HashSet<>();
        for (final GeneratedEvent e : take(traffic(5, EnumSet.of(Kind.TRANSACTION, Kind.USER_EVENT)), 150_000)) {
            final String customer = group(CUSTOMER, e.json());
            if (e.kind() == Kind.USER_EVENT) {
                final String type = group(TYPE, e.json());
                purchases += type.equals("purchase") ? 1 : 0;
                if (customer != null) {
                    lastType.put(customer, type);
                    clicked.add(customer);
                }
            } else if (e.scenario() == Scenario.CARD_TESTING || e.scenario() == Scenario.BOT_BURST) {
                scripted++;
                scriptedWithClicks += clicked.contains(customer) ? 1 : 0;
            } else if (!e.json().contains("\"channel\":\"POS\"") && e.scenario() == null) {
                sessionsBeforePayment += "checkout_start".equals(lastType.get(customer)) ? 1 : 0;
            }
        }
        assertTrue(purchases > 1_000, "purchases " + purchases);
        assertTrue(sessionsBeforePayment > purchases / 2, "checkouts right before payments " + sessionsBeforePayment);
        assertTrue(scripted > 0, "some scripted fraud");
        assertEquals(0, scriptedWithClicks, "scripted fraud accounts never browse");
    }

    @Test
    void shouldLabelMostFraudWithALateChargebackAndNoLegitimatePaymentAsFraud() {
        final Map<String, Scenario> truth = new HashMap<>();
        final Map<String, Long> paidAt = new HashMap<>();
        int chargebacks = 0;
        for (final GeneratedEvent e : take(traffic(9, EnumSet.of(Kind.TRANSACTION, Kind.LABEL)), 100_000)) {
            if (e.kind() == Kind.TRANSACTION) {
                truth.put(e.txnId(), e.scenario());
                paidAt.put(e.txnId(), e.tsMs());
            } else if (e.json().contains("\"FRAUD\"")) {
                final String id = group(TXN_ID, e.json());
                assertTrue(truth.get(id) != null, "a legitimate payment labelled fraud: " + e.json());
                assertTrue(e.tsMs() - paidAt.get(id) >= 3_600_000L, "a chargeback within the hour: " + e.json());
                chargebacks++;
            }
        }
        final long fraud = truth.values().stream().filter(s -> s != null).count();
        assertTrue(chargebacks > fraud / 2 && chargebacks <= fraud, chargebacks + " chargebacks for " + fraud);
    }

    private static String group(final Pattern p, final String text) {
        final Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
