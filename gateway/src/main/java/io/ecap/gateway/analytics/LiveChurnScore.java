package io.ecap.gateway.analytics;

import io.ecap.model.churn.ChurnModel;
import io.ecap.model.churn.PurchaseDays;
import io.ecap.model.field.Currencies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A customer's churn risk as of now: the published churn model ({@code analytics_churn_model}) over the purchase days
 * it was computed from ({@code analytics_churn_basis}) plus the payments journaled since ({@link ChurnLive}), counted
 * and valued as the churn job counts them: a payment counts when its decision is one the model counted, in the model's
 * currency (another currency converted at the published rate of the latest day on or before the payment's, rounded
 * half up to the currency's minor unit; without such a rate it does not count). The day scored at is the newest event
 * day in the journal, of any customer (event time, as everything the engine and the lake compute), never before the
 * model's day: while no payment at all is journaled after the model's day, the score is the published one.
 *
 * @param model the fitted numbers
 * @param version the model's version
 * @param asOf the model's as-of day
 * @param through the newest journal index its purchases were read up to ({@code Long.MAX_VALUE} when it read none:
 *     a model of imported orders only)
 * @param currency the model's (reporting) currency
 * @param counted the decisions whose payments count; empty when the model counted only imported orders
 * @param rates per currency, its dated rates into {@code currency} (day to rate)
 */
record LiveChurnScore(ChurnModel model, String version, LocalDate asOf, long through, String currency,
    Set<String> counted, Map<String, TreeMap<LocalDate, BigDecimal>> rates) {

    /** The published model row: JSON arrays of the numbers as text, as {@code ecap lake publish} writes them. */
    static LiveChurnScore of(final JsonObject row) {
        final String decisions = row.getString("counted_decisions");
        final boolean orders = "orders".equals(row.getString("purchase_source"));
        final Map<String, TreeMap<LocalDate, BigDecimal>> rates = new java.util.HashMap<>();
        final String ratesText = row.getString("rates");
        if (ratesText != null) {
            for (final Object o : new JsonArray(ratesText)) {
                final JsonObject rate = (JsonObject) o;
                rates.computeIfAbsent(rate.getString("currency"), c -> new TreeMap<>())
                    .put(LocalDate.parse(rate.getString("day")), new BigDecimal(rate.getString("rate")));
            }
        }
        return new LiveChurnScore(new ChurnModel(strings(row.getString("features")), doubles(row, "feature_means"),
            doubles(row, "feature_stds"), doubles(row, "coefficients"), row.getDouble("intercept")),
            row.getString("model_version"), LocalDate.parse(row.getString("as_of")),
            row.getValue("through_journal_index") == null ? Long.MAX_VALUE : row.getLong("through_journal_index"),
            row.getString("currency"),
            orders || decisions == null ? Set.of() : Set.of(decisions.split(",")), rates);
    }

    /** The published purchase days of a customer (a row of {@code analytics_churn_basis}), or null for none. */
    PurchaseDays basis(final JsonObject row) {
        if (row == null) {
            return null;
        }
        final Map<Long, Double> recent = new TreeMap<>();
        for (final Object o : new JsonArray(row.getString("recent_spend"))) {
            final JsonObject day = (JsonObject) o;
            recent.put(LocalDate.parse(day.getString("day")).toEpochDay(), day.getDouble("spend"));
        }
        return new PurchaseDays(LocalDate.parse(row.getString("first_purchase")).toEpochDay(),
            LocalDate.parse(row.getString("last_purchase")).toEpochDay(), row.getLong("purchase_days"),
            row.getDouble("spend"), recent, asOf.toEpochDay() + 1 - PurchaseDays.WINDOW_DAYS);
    }

    /**
     * {@code {"probability", "day", "purchasesSince", "notCounted", "modelVersion", "modelAsOf"}} (payments, not days;
     * the probability null when the customer has no purchase that counts, only payments that do not), or null when
     * nothing is known of the customer's payments.
     */
    JsonObject score(final PurchaseDays published, final List<ChurnLive.Payment> since, final long newestDay) {
        final TreeMap<Long, BigDecimal> days = new TreeMap<>();
        int notCounted = 0;
        for (final ChurnLive.Payment payment : since) {
            final BigDecimal amount = counted.contains(payment.outcome().name()) ? valued(payment) : null;
            if (amount == null) {
                notCounted++;
            } else {
                days.merge(payment.day(), amount, BigDecimal::add);
            }
        }
        PurchaseDays purchases = published;
        for (final Map.Entry<Long, BigDecimal> day : days.entrySet()) {
            purchases = purchases == null ? PurchaseDays.first(day.getKey(), day.getValue())
                : purchases.plus(day.getKey(), day.getValue());
        }
        if (purchases == null && notCounted == 0) {
            return null;
        }
        final long day = Math.max(asOf.toEpochDay(), Math.max(newestDay, purchases == null ? 0 : purchases.lastDay()));
        return new JsonObject().put("probability", purchases == null ? null
            : model.probability(purchases.features(day + 1))).put("day", LocalDate.ofEpochDay(day).toString())
            .put("purchasesSince", since.size() - notCounted).put("notCounted", notCounted)
            .put("modelVersion", version).put("modelAsOf", asOf.toString());
    }

    /** The payment's amount in the model's currency, or null when no rate converts it. */
    private BigDecimal valued(final ChurnLive.Payment payment) {
        final String code = Currencies.codeOf(payment.currency());
        final BigDecimal amount = BigDecimal.valueOf(payment.amountMinor(), Currencies.exponentOf(payment.currency()));
        if (code.equals(currency)) {
            return amount;
        }
        final TreeMap<LocalDate, BigDecimal> dated = rates.get(code);
        final Map.Entry<LocalDate, BigDecimal> rate = dated == null ? null
            : dated.floorEntry(LocalDate.ofEpochDay(payment.day()));
        return rate == null ? null : amount.multiply(rate.getValue())
            .setScale(Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits()), RoundingMode.HALF_UP);
    }

    private static List<String> strings(final String json) {
        final List<String> out = new ArrayList<>();
        new JsonArray(json).forEach(o -> out.add((String) o));
        return out;
    }

    private static double[] doubles(final JsonObject row, final String column) {
        final JsonArray array = new JsonArray(row.getString(column));
        final double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) array.getValue(i)).doubleValue();
        }
        return out;
    }
}
