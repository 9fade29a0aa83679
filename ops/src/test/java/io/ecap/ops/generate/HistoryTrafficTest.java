package io.ecap.ops.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.ops.generate.GeneratedEvent.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * History (what the demo feeds the engine): customers who arrive, repeat, slow down and leave over months, the
 * year's seasons, and few sessions ending in a purchase; and the classic stream, which benchmarks and
 * {@code ecap score --sample} use, left exactly as it was.
 */
class HistoryTrafficTest {
    private static final long DAY_MS = 86_400_000L;
    /** 2026-12-01 00:00 UTC. */
    private static final long END_MS = 1_796_083_200_000L;
    private static final int DAYS = 210;
    private static final Pattern CUSTOMER = Pattern.compile("\"customerId\":\"c-(\\d+)\"");
    private static final Pattern SESSION = Pattern.compile("\"type\":\"([a-z_]+)\",\"sessionId\":\"([^\"]+)\"");

    private static Traffic history() {
        final WorkloadGenerator.Settings payments = new WorkloadGenerator.Settings(42, 1_500, 500,
            END_MS - DAYS * DAY_MS, 2, 0.004, Lifecycles.DEFAULT);
        return new Traffic(Traffic.Settings.defaults(payments).withAbandonedPerPurchase(15).withEndMs(END_MS));
    }

    @Test
    void shouldGiveMonthsOfCustomersWhoArriveRepeatAndLeaveWithSeasonsAndFewSessionsBuying() {
        final Traffic traffic = history();
        final Map<Integer, long[]> customers = new HashMap<>();
        final Map<String, Set<String>> sessions = new HashMap<>();
        final long[] perDay = new long[DAYS];
        long last = Long.MIN_VALUE;
        long payments = 0;
        for (GeneratedEvent e = traffic.next(); e != null; e = traffic.next()) {
            assertTrue(e.tsMs() >= last && e.tsMs() < END_MS, "in order and before the end: " + e);
            last = e.tsMs();
            if (e.kind() == Kind.TRANSACTION && !e.isFraud()) {
                payments++;
                perDay[(int) ((e.tsMs() - (END_MS - DAYS * DAY_MS)) / DAY_MS)]++;
                final Matcher m = CUSTOMER.matcher(e.json());
                assertTrue(m.find(), e.json());
                final long ts = e.tsMs();
                customers.merge(Integer.parseInt(m.group(1)), new long[] {ts, ts, 1},
                    (a, b) -> new long[] {a[0], b[1], a[2] + 1});
            } else if (e.kind() == Kind.USER_EVENT) {
                final Matcher m = SESSION.matcher(e.json());
                assertTrue(m.find(), e.json());
                sessions.computeIfAbsent(m.group(2), s -> new HashSet<>()).add(m.group(1));
            }
        }
        assertNull(traffic.next(), "history ends at its end, for good");
        assertTrue(payments > 7_000 && payments < 12_000, "about 2 an hour: " + payments);
        final long repeat = customers.values().stream().filter(c -> c[2] > 1).count();
        assertTrue(repeat > customers.size() / 2, repeat + " of " + customers.size() + " buy again");
        final long arrivedLate = customers.values().stream().filter(c -> c[0] > END_MS - 60 * DAY_MS).count();
        assertTrue(arrivedLate > customers.size() / 10, arrivedLate + " customers first bought in the last 60 days");
        final long gone = customers.values().stream().filter(c -> c[1] < END_MS - 90 * DAY_MS).count();
        assertTrue(gone > customers.size() / 10, gone + " customers bought nothing in the last 90 days");
        assertTrue(customers.size() > 1_500 * 1.2, customers.size() + " customers: leavers are replaced");
        final long june = sum(perDay, 25, 55);
        final long november = sum(perDay, 178, 208);
        assertTrue(november > june * 1.25, "seasons: June " + june + ", November " + november);
        final long viewed = sessions.values().stream().filter(s -> s.contains("product_view")).count();
        final long bought = sessions.values().stream().filter(s -> s.contains("purchase")).count();
        final double conversion = (double) bought / sessions.size();
        assertTrue(conversion > 0.02 && conversion < 0.10, "sessions ending in a purchase: " + conversion);
        assertTrue((double) bought / viewed < 0.15, "product views ending in a purchase: " + bought + " of "
            + viewed);
    }

    @Test
    void shouldGiveTheSameHistoryForTheSameSeed() {
        final Traffic a = history();
        final Traffic b = history();
        for (int i = 0; i < 50_000; i++) {
            assertEquals(a.next(), b.next());
        }
    }

    /** The classic payments for seed 42, as before lifecycles existed: their fingerprint must not move. */
    @Test
    void shouldKeepTheClassicStreamAsItWas() throws Exception {
        final WorkloadGenerator generator = new WorkloadGenerator(WorkloadGenerator.Settings.defaults(42));
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 20_000; i++) {
            sha.update(generator.next().json().getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("56a1e36a95979a9712cf18d666751b6d32201743782e27b6f257f393b4ac5273",
            java.util.HexFormat.of().formatHex(sha.digest()));
    }

    private static long sum(final long[] values, final int from, final int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n += values[i];
        }
        return n;
    }
}
