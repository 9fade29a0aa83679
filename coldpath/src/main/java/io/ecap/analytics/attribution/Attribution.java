package io.ecap.analytics.attribution;

import static org.apache.spark.sql.functions.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Multi-touch attribution of purchases to the marketing touches before them. A conversion is a {@code purchase}
 * event of a known customer; a touch is any event of the same customer that carries a campaign, within the lookback
 * window before the conversion (at or before it). Each conversion's credit is shared among its touches by every
 * {@link AttributionModel}; a conversion with no touch in the window is credited whole to campaign {@code (none)},
 * channel {@code DIRECT}, so credit always sums to 1 per conversion and model.
 */
public final class Attribution {
    static final String NO_CAMPAIGN = "(none)";

    private static final StructType CREDIT = (StructType) DataType.fromDDL("conversion_id STRING, "
        + "event_date DATE, model STRING, campaign STRING, channel STRING, credit DOUBLE, currency STRING, "
        + "revenue DECIMAL(28,4)");

    private Attribution() {
    }

    /**
     * @param events silver user events: event_id, customer_id, event_type, campaign, channel, amount, event_ts
     * @return one row per conversion, model and touch: conversion_id, event_date (of the conversion), model,
     *     campaign, channel, credit, currency (the purchase's) and revenue (its amount times the credit, in that
     *     currency, to 4 places, the rounding left on the last touch so that a purchase's shares add up to its
     *     amount exactly; 0 for a purchase without an amount)
     */
    public static Dataset<Row> credits(final Dataset<Row> events, final int lookbackDays,
        final double halfLifeHours) {
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("lookback: expected at least 1 day, found " + lookbackDays);
        }
        if (!(halfLifeHours > 0)) {
            throw new IllegalArgumentException("half-life: expected a positive number of hours, found "
                + halfLifeHours);
        }
        final Dataset<Row> conversions = events.where("event_type = 'purchase' AND customer_id IS NOT NULL")
            .selectExpr("event_id AS conversion_id", "customer_id", "event_ts AS converted_at",
                "currency", "coalesce(amount, 0) AS amount");
        final Dataset<Row> touches = events.where("campaign IS NOT NULL AND customer_id IS NOT NULL")
            .selectExpr("customer_id", "event_ts AS touched_at", "campaign", "coalesce(channel, 'UNKNOWN') AS channel");
        final Dataset<Row> journeys = conversions.join(touches, conversions.col("customer_id")
                .equalTo(touches.col("customer_id"))
                .and(expr("touched_at <= converted_at AND touched_at >= converted_at - INTERVAL " + lookbackDays
                    + " DAYS")), "left")
            .groupBy("conversion_id", "converted_at", "currency", "amount")
            .agg(expr("array_sort(filter(collect_list(struct(touched_at, campaign, channel)), "
                + "t -> t.touched_at IS NOT NULL))").as("touches"));
        return journeys.flatMap(new Share(halfLifeHours), Encoders.row(CREDIT));
    }

    /** Credit and revenue per day, model, campaign, channel and currency (revenue is never added across currencies). */
    public static Dataset<Row> byCampaign(final Dataset<Row> credits) {
        return credits.groupBy("event_date", "model", "campaign", "channel", "currency")
            .agg(expr("sum(credit)").as("conversions"), expr("sum(revenue)").as("revenue"));
    }

    /** Per conversion: every model's shares of it. */
    private static final class Share implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final double halfLifeHours;

        Share(final double halfLifeHours) {
            this.halfLifeHours = halfLifeHours;
        }

        @Override
        public Iterator<Row> call(final Row journey) {
            final String id = journey.getString(0);
            final java.sql.Timestamp at = journey.getTimestamp(1);
            final java.sql.Date day = java.sql.Date.valueOf(at.toInstant().atZone(java.time.ZoneOffset.UTC)
                .toLocalDate());
            final String currency = journey.getString(2);
            final BigDecimal amount = journey.getDecimal(3);
            final List<Row> touches = journey.getList(4);
            final List<Row> out = new ArrayList<>();
            if (touches.isEmpty()) {
                for (final AttributionModel model : AttributionModel.values()) {
                    out.add(RowFactory.create(id, day, model.label(), NO_CAMPAIGN, "DIRECT", 1.0, currency,
                        amount.setScale(4, RoundingMode.HALF_UP)));
                }
                return out.iterator();
            }
            final double[] ages = new double[touches.size()];
            for (int i = 0; i < ages.length; i++) {
                ages[i] = (at.getTime() - touches.get(i).getTimestamp(0).getTime()) / 3_600_000.0;
            }
            for (final AttributionModel model : AttributionModel.values()) {
                final double[] credit = model.credits(ages, halfLifeHours);
                final BigDecimal[] revenue = shares(amount, credit);
                for (int i = 0; i < credit.length; i++) {
                    out.add(RowFactory.create(id, day, model.label(), touches.get(i).getString(1),
                        touches.get(i).getString(2), credit[i], currency, revenue[i]));
                }
            }
            return out.iterator();
        }

        /** The amount split by the credits, to 4 places; the last share takes the rounding, so they add up. */
        static BigDecimal[] shares(final BigDecimal amount, final double[] credit) {
            final BigDecimal whole = amount.setScale(4, RoundingMode.HALF_UP);
            final BigDecimal[] shares = new BigDecimal[credit.length];
            BigDecimal given = BigDecimal.ZERO;
            for (int i = 0; i < credit.length - 1; i++) {
                shares[i] = whole.multiply(BigDecimal.valueOf(credit[i])).setScale(4, RoundingMode.HALF_UP);
                given = given.add(shares[i]);
            }
            shares[credit.length - 1] = whole.subtract(given);
            return shares;
        }
    }
}
