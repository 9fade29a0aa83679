package io.ecap.hotpath.crash;

import io.ecap.hotpath.engine.Commands;
import io.ecap.model.json.CustomerProfileJson;
import io.ecap.model.json.LabelJson;
import io.ecap.model.json.TransactionJson;
import io.ecap.model.json.UserEventJson;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The deterministic input of the crash test: item {@code i} of seed {@code s} is always the same transaction, label,
 * user event or customer profile, so a restarted child can resend from any position.
 *
 * <p>Two workloads. {@code mixed}: 40 customers, 60 cards, 30 devices, a few dozen IPs, seven seconds apart, so
 * almost every transaction updates entities that exist. {@code fresh}: most transactions bring a new customer, card,
 * device and IP, half an hour apart over three months, so a crash usually interrupts the creation of entities, the
 * indexes grow, old entities are removed by retention and the transaction index rotates.
 */
final class CrashStream {
    static final long T0 = 1_795_500_000_000L;

    /** The two workloads. */
    enum Mode { MIXED, FRESH }

    private final Mode mode;
    private final long seed;
    private final TransactionJson transactions = new TransactionJson();
    private final LabelJson labels = new LabelJson();
    private final UserEventJson events = new UserEventJson();
    private final CustomerProfileJson profiles = new CustomerProfileJson();

    CrashStream(final long seed, final Mode mode) {
        this.seed = seed;
        this.mode = mode;
    }

    /** Command type of item {@code i}. */
    static int typeOf(final int i) {
        if (i > 20 && i % 17 == 0) {
            return Commands.LABEL;
        }
        if (i > 0 && i % 13 == 0) {
            return Commands.CUSTOMER_PROFILE;
        }
        return i % 11 == 0 ? Commands.USER_EVENT : Commands.SCORE;
    }

    /** A customer profile of customer {@code c-<customer>}, as the lake would push it. */
    private static String profileJson(final long ts, final int customer, final SplittableRandom r) {
        final String[] segments = {"Champions", "At Risk", "Lost", "New Customers"};
        return "{\"customerId\":\"c-" + customer + "\",\"ts\":" + ts + ",\"segment\":\""
            + segments[r.nextInt(segments.length)] + "\",\"clv\":\"" + r.nextInt(5000) + ".50\",\"currency\":\"EUR\","
            + "\"churnRisk\":" + r.nextInt(1001) / 1000.0 + ",\"lifetimeOrders\":" + r.nextInt(80) + "}";
    }

    static String idOf(final int i) {
        return switch (typeOf(i)) {
            case Commands.SCORE -> "t-";
            case Commands.LABEL -> "l-";
            case Commands.CUSTOMER_PROFILE -> "p-";
            default -> "e-";
        } + i;
    }

    /** Encodes item {@code i} into {@code out}; returns its length. */
    int encode(final int i, final MutableDirectBuffer out) {
        final SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        if (mode == Mode.FRESH) {
            return encode(i, r, freshJson(i, r), out);
        }
        final long ts = T0 + i * 7_000L + r.nextLong(-60_000, 60_000);
        final String json;
        switch (typeOf(i)) {
            case Commands.LABEL -> json = "{\"txnId\":\"t-" + (i - 1 - r.nextInt(20)) + "\",\"label\":\""
                + (r.nextInt(4) == 0 ? "LEGIT" : "FRAUD") + "\",\"source\":\"CHARGEBACK\",\"ts\":" + ts + "}";
            case Commands.USER_EVENT -> json = "{\"eventId\":\"e-" + i + "\",\"ts\":" + ts
                + ",\"type\":\"product_view\",\"sessionId\":\"s-" + i / 10 + "\",\"customerId\":\"c-"
                + r.nextInt(40) + "\"}";
            case Commands.CUSTOMER_PROFILE -> json = profileJson(ts, r.nextInt(40), r);
            default -> {
                final StringBuilder sb = new StringBuilder("{\"txnId\":\"t-").append(i).append("\",\"ts\":").append(ts)
                    .append(",\"customerId\":\"c-").append(r.nextInt(40)).append("\",\"cardId\":\"k-")
                    .append(r.nextInt(60)).append("\",\"merchantId\":\"m-").append(r.nextInt(8))
                    .append("\",\"amount\":\"").append(1 + r.nextInt(900)).append('.').append(r.nextInt(10))
                    .append("0\",\"currency\":\"").append(r.nextInt(5) == 0 ? "EUR" : "USD").append('"');
                if (r.nextInt(3) > 0) {
                    sb.append(",\"deviceId\":\"d-").append(r.nextInt(30)).append('"');
                }
                if (r.nextInt(2) == 0) {
                    sb.append(",\"ip\":\"10.0.").append(r.nextInt(4)).append('.').append(r.nextInt(20)).append('"');
                }
                if (r.nextInt(2) == 0) {
                    sb.append(",\"lat\":").append(r.nextInt(120) - 60).append(",\"lon\":").append(r.nextInt(300) - 150)
                        .append(",\"country\":\"").append(r.nextBoolean() ? "DE" : "US").append('"');
                }
                json = sb.append('}').toString();
            }
        }
        return encode(i, r, json, out);
    }

    /** Mostly new entities: 80% of customers and cards never seen before, devices and IPs new or reused. */
    private static String freshJson(final int i, final SplittableRandom r) {
        final long ts = T0 + i * 1_800_000L + r.nextLong(-60_000, 60_000);
        switch (typeOf(i)) {
            case Commands.LABEL -> {
                return "{\"txnId\":\"t-" + (i - 1 - r.nextInt(20)) + "\",\"label\":\""
                    + (r.nextInt(4) == 0 ? "LEGIT" : "FRAUD") + "\",\"source\":\"CHARGEBACK\",\"ts\":" + ts + "}";
            }
            case Commands.USER_EVENT -> {
                return "{\"eventId\":\"e-" + i + "\",\"ts\":" + ts + ",\"type\":\"product_view\",\"sessionId\":\"s-"
                    + i + "\",\"customerId\":\"c-" + pick(i, r) + "\"}";
            }
            case Commands.CUSTOMER_PROFILE -> {
                return profileJson(ts, pick(i, r), r);
            }
            default -> {
                final StringBuilder sb = new StringBuilder("{\"txnId\":\"t-").append(i).append("\",\"ts\":").append(ts)
                    .append(",\"customerId\":\"c-").append(pick(i, r)).append("\",\"cardId\":\"k-").append(pick(i, r))
                    .append("\",\"merchantId\":\"m-").append(r.nextInt(8)).append("\",\"amount\":\"")
                    .append(1 + r.nextInt(900)).append(".00\",\"currency\":\"USD\"");
                if (r.nextInt(10) < 7) {
                    sb.append(",\"deviceId\":\"d-").append(pick(i, r)).append('"');
                }
                if (r.nextBoolean()) {
                    final int ip = pick(i, r);
                    sb.append(",\"ip\":\"10.").append(ip >> 16 & 255).append('.').append(ip >> 8 & 255).append('.')
                        .append(ip & 255).append('"');
                }
                sb.append(",\"lat\":").append(r.nextInt(120) - 60).append(",\"lon\":").append(r.nextInt(300) - 150)
                    .append(",\"country\":\"").append(r.nextBoolean() ? "DE" : "US").append('"');
                return sb.append('}').toString();
            }
        }
    }

    /** Item {@code i}'s own entity (new) four times in five, else one of an earlier item. */
    private static int pick(final int i, final SplittableRandom r) {
        return r.nextInt(5) == 0 ? r.nextInt(i + 1) : i;
    }

    private int encode(final int i, final SplittableRandom r, final String json, final MutableDirectBuffer out) {
        final UnsafeBuffer in = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        return switch (typeOf(i)) {
            case Commands.LABEL -> labels.parse(in, 0, in.capacity(), out, 0);
            case Commands.USER_EVENT -> events.parse(in, 0, in.capacity(), out, 0);
            case Commands.CUSTOMER_PROFILE -> profiles.parse(in, 0, in.capacity(), out, 0);
            default -> transactions.parse(in, 0, in.capacity(), out, 0);
        };
    }
}
