package io.ecap.ops.cli;

import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Lifecycles;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options that shape generated traffic, shared by generate, load and demo. Two kinds of traffic: a steady stream
 * from a fixed population (for load; its event time starts at --start), or, with --days (always in the demo),
 * history: the --days before today's midnight UTC, with customers who come and go, the year's seasons and a few
 * percent of sessions ending in a purchase, ending at that midnight.
 */
public final class TrafficOptions {
    /** History's defaults: customers buying at any one time and payments an hour. */
    static final int HISTORY_CUSTOMERS = 1_500;
    static final double HISTORY_PER_HOUR = 2;
    /** Sessions without a purchase per payment, in history: about one session in eighteen buys. */
    static final double HISTORY_ABANDONED = 15;

    @Option(names = "--seed", description = "the same seed and start give the same traffic (default: 42; "
        + "for load, a new one each run)")
    Long seed;

    @Option(names = "--fraud-rate", defaultValue = "0.004",
        description = "chance that a payment starts a fraud scenario, 0 to 0.5 (default: ${DEFAULT-VALUE})")
    double fraudRate;

    @Option(names = "--customers", description = "customers; with --days, those buying at any one time (one "
        + "who leaves is replaced) (default: 100000; with --days: " + HISTORY_CUSTOMERS + ")")
    Integer customers;

    @Option(names = "--per-hour", description = "payments per hour of event time, before the daily rhythm "
        + "(default: 10000; with --days: " + HISTORY_PER_HOUR + ")")
    Double perHour;

    @Option(names = "--days", paramLabel = "N", description = "history: the N days of event time before today's "
        + "midnight UTC, ending there (or from --start on), with customers who arrive, repeat, slow down and leave, "
        + "the year's seasons and about one session in eighteen ending in a purchase (the demo's default: 210)")
    Integer days;

    @Option(names = "--label-delay-hours", defaultValue = "72",
        description = "median delay of a chargeback after the payment, in hours (default: ${DEFAULT-VALUE})")
    double labelDelayHours;

    @Option(names = "--start", paramLabel = "DATE",
        description = "event time starts at this date's midnight UTC, e.g. 2026-11-02 (default: 30 days ago; "
            + "with --days, the history's first day, e.g. --start 2011-01-01 --days 365 for the year 2011)")
    String start;

    /** The seed given, or {@code fallback}. */
    long seed(final long fallback) {
        return seed != null ? seed : fallback;
    }

    /** The traffic settings, keeping only {@code kinds}; errors name the option. */
    Traffic.Settings settings(final Set<Kind> kinds) {
        return settings(kinds, 42);
    }

    /** Whether this is history (--days given, or the demo's default {@code defaultDays} when positive). */
    boolean history(final int defaultDays) {
        return days != null || defaultDays > 0;
    }

    /** The end of history's event time: today's midnight UTC. */
    static long historyEndMs() {
        return LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The traffic settings with {@code fallbackSeed} unless --seed was given. */
    Traffic.Settings settings(final Set<Kind> kinds, final long fallbackSeed) {
        return settings(kinds, fallbackSeed, 0);
    }

    /**
     * The traffic settings with {@code fallbackSeed} unless --seed was given; history of {@code defaultDays} unless
     * --days was given (0: no history unless --days was given).
     */
    Traffic.Settings settings(final Set<Kind> kinds, final long fallbackSeed, final int defaultDays) {
        final long seed = seed(fallbackSeed);
        final boolean history = history(defaultDays);
        final int customers = this.customers != null ? this.customers : history ? HISTORY_CUSTOMERS : 100_000;
        final double perHour = this.perHour != null ? this.perHour : history ? HISTORY_PER_HOUR : 10_000;
        if (days != null && (days < 1 || days > 3_650)) {
            throw new IllegalArgumentException("--days: expected 1 to 3650, found " + days);
        }
        if (fraudRate < 0 || fraudRate > 0.5) {
            throw new IllegalArgumentException("--fraud-rate: expected 0 to 0.5, found " + fraudRate);
        }
        if (customers < 10) {
            throw new IllegalArgumentException("--customers: expected at least 10, found " + customers);
        }
        if (!(perHour > 0)) {
            throw new IllegalArgumentException("--per-hour: expected a positive number, found " + perHour);
        }
        if (!(labelDelayHours > 0)) {
            throw new IllegalArgumentException("--label-delay-hours: expected a positive number, found "
                + labelDelayHours);
        }
        final WorkloadGenerator.Settings defaults = WorkloadGenerator.Settings.defaults(seed);
        if (!history) {
            return Traffic.Settings.defaults(new WorkloadGenerator.Settings(seed, customers, defaults.merchants(),
                startMs(), perHour, fraudRate)).withKinds(kinds).withLabelDelayHours(labelDelayHours);
        }
        // history ends at today's midnight, or N days after --start when both are given (a past year, say)
        final long spanMs = (days != null ? days : defaultDays) * 86_400_000L;
        final long endMs = days != null && start != null ? startMs() + spanMs : historyEndMs();
        return Traffic.Settings.defaults(new WorkloadGenerator.Settings(seed, customers, defaults.merchants(),
                endMs - spanMs, perHour, fraudRate, Lifecycles.DEFAULT)).withKinds(kinds)
            .withLabelDelayHours(labelDelayHours).withAbandonedPerPurchase(HISTORY_ABANDONED)
            .withEndMs(endMs);
    }

    private long startMs() {
        if (start == null) {
            return LocalDate.now(ZoneOffset.UTC).minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        try {
            return LocalDate.parse(start).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("--start: expected a date like 2026-11-02, found '" + start + "'");
        }
    }

    /** Parses {@code transactions,events,products,labels} (or {@code all}). */
    static Set<Kind> kinds(final String list) {
        if (list.equals("all")) {
            return EnumSet.allOf(Kind.class);
        }
        final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (final String name : list.split(",")) {
            switch (name.trim()) {
                case "transactions" -> kinds.add(Kind.TRANSACTION);
                case "events" -> kinds.add(Kind.USER_EVENT);
                case "products" -> kinds.add(Kind.PRODUCT_UPDATE);
                case "labels" -> kinds.add(Kind.LABEL);
                default -> throw new IllegalArgumentException("--kinds: expected a list of transactions, events, "
                    + "products, labels (or all), found '" + name.trim() + "'");
            }
        }
        return kinds;
    }
}
