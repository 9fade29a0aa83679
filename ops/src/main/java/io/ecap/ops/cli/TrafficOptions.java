package io.ecap.ops.cli;

import io.ecap.ops.generate.GeneratedEvent.Kind;
import io.ecap.ops.generate.Traffic;
import io.ecap.ops.generate.WorkloadGenerator;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options that shape generated traffic, shared by generate, load and demo. */
public final class TrafficOptions {
    @Option(names = "--seed", description = "the same seed and start give the same traffic (default: 42; "
        + "for load, a new one each run)")
    Long seed;

    @Option(names = "--fraud-rate", defaultValue = "0.004",
        description = "chance that a payment starts a fraud scenario, 0 to 0.5 (default: ${DEFAULT-VALUE})")
    double fraudRate;

    @Option(names = "--customers", defaultValue = "100000", description = "customers (default: ${DEFAULT-VALUE})")
    int customers;

    @Option(names = "--per-hour", defaultValue = "10000",
        description = "payments per hour of event time, before the daily rhythm (default: ${DEFAULT-VALUE})")
    double perHour;

    @Option(names = "--label-delay-hours", defaultValue = "72",
        description = "median delay of a chargeback after the payment, in hours (default: ${DEFAULT-VALUE})")
    double labelDelayHours;

    @Option(names = "--start", paramLabel = "DATE",
        description = "event time starts at this date's midnight UTC, e.g. 2026-11-02 (default: 30 days ago)")
    String start;

    /** The seed given, or {@code fallback}. */
    long seed(final long fallback) {
        return seed != null ? seed : fallback;
    }

    /** The traffic settings, keeping only {@code kinds}; errors name the option. */
    Traffic.Settings settings(final Set<Kind> kinds) {
        return settings(kinds, 42);
    }

    /** The traffic settings with {@code fallbackSeed} unless --seed was given. */
    Traffic.Settings settings(final Set<Kind> kinds, final long fallbackSeed) {
        final long seed = seed(fallbackSeed);
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
        return Traffic.Settings.defaults(new WorkloadGenerator.Settings(seed, customers, defaults.merchants(),
            startMs(), perHour, fraudRate)).withKinds(kinds).withLabelDelayHours(labelDelayHours);
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
