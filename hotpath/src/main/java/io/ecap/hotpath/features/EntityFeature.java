package io.ecap.hotpath.features;

import io.ecap.hotpath.state.EntityKind;

/**
 * Features computed for each entity of a transaction. "Before" features describe the entity's history up to, but not
 * including, this transaction; window features include it.
 */
public enum EntityFeature {
    COUNT_1M("count_1m", "transactions in the 1-minute window, this one included"),
    COUNT_1H("count_1h", "transactions in the 1-hour window, this one included"),
    COUNT_24H("count_24h", "transactions in the 24-hour window, this one included"),
    COUNT_7D("count_7d", "transactions in the 7-day window, this one included"),
    SUM_1H_USD("sum_1h_usd", "amount in US dollars in the 1-hour window, this one included"),
    SUM_24H_USD("sum_24h_usd", "amount in US dollars in the 24-hour window, this one included"),
    AVG_1H_USD("avg_1h_usd", "average amount in US dollars in the 1-hour window"),
    VELOCITY_RATIO("velocity_ratio", "transactions in the last hour over the hourly average of the last 24 hours "
        + "(the average counted as at least 1): how unusual this hour is for this entity"),
    AGE_DAYS("age_days", "days since first seen (0 when new)"),
    IS_NEW("is_new", "1 if this is the first transaction seen"),
    SECONDS_SINCE_LAST("seconds_since_last", "seconds since the previous transaction (missing when new)"),
    CONSECUTIVE_DECLINES("consecutive_declines", "declines in a row before this transaction"),
    FRAUD_LABELS("fraud_labels", "earlier transactions confirmed as fraud"),
    AMOUNT_ZSCORE("amount_zscore", "amount against the history: (x - mean) / max(sd, 10% of mean, $1); "
        + "missing before 3 transactions"),
    AMOUNT_RATIO("amount_ratio", "amount over the historical mean (missing when new)"),
    DISTINCT_7D("distinct_%s_7d", "distinct %s in the last 7 days, this one included (saturates at 16)"),
    NEW_COUNTERPART("new_%s", "1 if this %s was not seen with this entity before"),
    TRAVEL_KMH("travel_kmh", "speed in km/h needed from the previous location (time floored at 1 minute)"),
    COUNTRY_CHANGED("country_changed", "1 if the country differs from the previous transaction's");

    public static final EntityFeature[] ALL = values();

    private final String namePattern;
    private final String descriptionPattern;

    EntityFeature(final String namePattern, final String descriptionPattern) {
        this.namePattern = namePattern;
        this.descriptionPattern = descriptionPattern;
    }

    boolean appliesTo(final EntityKind kind) {
        return switch (this) {
            case DISTINCT_7D, NEW_COUNTERPART -> kind.counterpartName() != null;
            case TRAVEL_KMH, COUNTRY_CHANGED -> kind == EntityKind.CARD || kind == EntityKind.CUSTOMER;
            default -> true;
        };
    }

    String nameFor(final EntityKind kind) {
        return switch (this) {
            case DISTINCT_7D -> String.format(namePattern, kind.counterpartName());
            case NEW_COUNTERPART -> String.format(namePattern, singular(kind.counterpartName()));
            default -> namePattern;
        };
    }

    String description(final EntityKind kind) {
        return switch (this) {
            case DISTINCT_7D -> String.format(descriptionPattern, kind.counterpartName());
            case NEW_COUNTERPART -> String.format(descriptionPattern, singular(kind.counterpartName()));
            default -> descriptionPattern;
        };
    }

    private static String singular(final String plural) {
        return plural.substring(0, plural.length() - 1);
    }
}
