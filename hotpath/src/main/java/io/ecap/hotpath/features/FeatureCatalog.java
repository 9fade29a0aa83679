package io.ecap.hotpath.features;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.scoring.FeatureNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The features the engine computes for every transaction, in the order of the feature vector that rules, models and
 * the journal use. Missing values (an entity the transaction does not have, a statistic without enough history) are
 * NaN. Names are stable: rule files and model files refer to them.
 *
 * <p>Per entity kind ({@code card}, {@code customer}, {@code device}, {@code ip}, {@code merchant}), see
 * {@link EntityFeature}; for card and customer also {@code travel_kmh} and {@code country_changed}; for kinds that
 * count a counterpart also {@code distinct_<counterparts>_7d} and {@code new_<counterpart>}. For the customer also
 * {@code clicks_1h} and the lake's profile: {@code segment}, {@code predicted_clv_usd}, {@code churn_risk},
 * {@code lifetime_orders} (feature version 2). Transaction fields: {@code txn.amount_usd}, {@code txn.hour_utc},
 * {@code txn.day_of_week}, {@code txn.channel}, {@code txn.country}, {@code txn.mcc}, {@code txn.has_device},
 * {@code txn.has_ip}, {@code txn.has_location}.
 */
public final class FeatureCatalog {
    public static final int TXN_AMOUNT_USD = 0;
    public static final int TXN_HOUR_UTC = 1;
    public static final int TXN_DAY_OF_WEEK = 2;
    public static final int TXN_CHANNEL = 3;
    public static final int TXN_COUNTRY = 4;
    public static final int TXN_MCC = 5;
    public static final int TXN_HAS_DEVICE = 6;
    public static final int TXN_HAS_IP = 7;
    public static final int TXN_HAS_LOCATION = 8;

    /** Feature set version: bump when features are added, removed or change meaning. */
    public static final int VERSION = 2;

    private static final List<String> NAMES = new ArrayList<>();
    private static final List<FeatureType> TYPES = new ArrayList<>();
    private static final List<String> DESCRIPTIONS = new ArrayList<>();
    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    /** [kind][EntityFeature ordinal] to vector index, or -1 where a feature does not apply to a kind. */
    private static final int[][] ENTITY_INDEX = new int[EntityKind.COUNT][EntityFeature.ALL.length];
    private static final int CUSTOMER_CLICKS_1H;
    private static final int CUSTOMER_SEGMENT;
    private static final int CUSTOMER_PREDICTED_CLV;
    private static final int CUSTOMER_CHURN_RISK;
    private static final int CUSTOMER_LIFETIME_ORDERS;

    static {
        add("txn.amount_usd", FeatureType.NUMBER, "amount in US dollars (reference rate)");
        add("txn.hour_utc", FeatureType.NUMBER, "hour of the event time, UTC, 0-23");
        add("txn.day_of_week", FeatureType.NUMBER, "day of the event time, UTC, 0 = Monday");
        add("txn.channel", FeatureType.CHANNEL, "WEB, APP or POS");
        add("txn.country", FeatureType.COUNTRY, "country of the transaction");
        add("txn.mcc", FeatureType.NUMBER, "merchant category code");
        add("txn.has_device", FeatureType.NUMBER, "1 if a device id was given");
        add("txn.has_ip", FeatureType.NUMBER, "1 if an ip was given");
        add("txn.has_location", FeatureType.NUMBER, "1 if lat/lon were given");
        for (final EntityKind kind : EntityKind.ALL) {
            for (final EntityFeature f : EntityFeature.ALL) {
                ENTITY_INDEX[kind.ordinal()][f.ordinal()] = f.appliesTo(kind)
                    ? add(kind.prefix() + "." + f.nameFor(kind), FeatureType.NUMBER, f.description(kind)) : -1;
            }
        }
        CUSTOMER_CLICKS_1H = add("customer.clicks_1h", FeatureType.NUMBER,
            "clickstream events of the customer in the hour up to this transaction");
        // version 2: the customer's profile from the lake (the feature-store loop, docs/TRAINING.md)
        CUSTOMER_SEGMENT = add("customer.segment", FeatureType.SEGMENT,
            "RFM segment of the customer's profile from the lake (missing: no profile or no segment)");
        CUSTOMER_PREDICTED_CLV = add("customer.predicted_clv_usd", FeatureType.NUMBER,
            "predicted lifetime value of the customer's profile, whole US dollars at the reference rates");
        CUSTOMER_CHURN_RISK = add("customer.churn_risk", FeatureType.NUMBER,
            "churn probability of the customer's profile, 0 to 1 in steps of 0.004");
        CUSTOMER_LIFETIME_ORDERS = add("customer.lifetime_orders", FeatureType.NUMBER,
            "orders of the customer in the lake's history when the profile was made (at most 65,534)");
    }

    private FeatureCatalog() {
    }

    private static int add(final String name, final FeatureType type, final String description) {
        final int index = NAMES.size();
        NAMES.add(name);
        TYPES.add(type);
        DESCRIPTIONS.add(description);
        BY_NAME.put(name, index);
        return index;
    }

    /** Number of features: the length of every feature vector. */
    public static int size() {
        return NAMES.size();
    }

    public static String name(final int index) {
        return NAMES.get(index);
    }

    public static FeatureType type(final int index) {
        return TYPES.get(index);
    }

    public static String description(final int index) {
        return DESCRIPTIONS.get(index);
    }

    /** Index of a feature by name, or -1. */
    public static int indexOf(final String name) {
        final Integer i = BY_NAME.get(name);
        return i == null ? -1 : i;
    }

    public static List<String> names() {
        return Collections.unmodifiableList(NAMES);
    }

    /** Vector index of an entity feature for a kind, or -1 if it does not apply. */
    public static int of(final EntityKind kind, final EntityFeature feature) {
        return ENTITY_INDEX[kind.ordinal()][feature.ordinal()];
    }

    public static int customerClicks1h() {
        return CUSTOMER_CLICKS_1H;
    }

    public static int customerSegment() {
        return CUSTOMER_SEGMENT;
    }

    public static int customerPredictedClv() {
        return CUSTOMER_PREDICTED_CLV;
    }

    public static int customerChurnRisk() {
        return CUSTOMER_CHURN_RISK;
    }

    public static int customerLifetimeOrders() {
        return CUSTOMER_LIFETIME_ORDERS;
    }


    /** The catalog as a model file sees it ({@code ModelParser}): names to positions in the engine's vector. */
    public static FeatureNames forModels() {
        return ModelNames.INSTANCE;
    }

    private enum ModelNames implements FeatureNames {
        INSTANCE;

        @Override
        public int indexOf(final String name) {
            return FeatureCatalog.indexOf(name);
        }

        @Override
        public String closest(final String name) {
            return FeatureCatalog.closest(name);
        }
    }

    /** The closest known feature name, for "did you mean" hints. */
    public static String closest(final String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : NAMES) {
            final int d = editDistance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(3, name.length() / 3) ? best : null;
    }

    private static int editDistance(final String a, final String b) {
        final int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int up = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
                    diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = up;
            }
        }
        return row[b.length()];
    }
}
