package io.ecap.hotpath.state;

import io.ecap.model.binary.TransactionFlyweight;

/**
 * The entities ECAP keeps features for, one Chronicle Map each. Each kind knows which transaction field is its key and
 * which other entity it counts distinct values of (devices per card, cards per device...).
 */
public enum EntityKind {
    CARD("card", TransactionFlyweight.CARD_ID, TransactionFlyweight.DEVICE_ID, "devices"),
    CUSTOMER("customer", TransactionFlyweight.CUSTOMER_ID, TransactionFlyweight.DEVICE_ID, "devices"),
    DEVICE("device", TransactionFlyweight.DEVICE_ID, TransactionFlyweight.CARD_ID, "cards"),
    IP("ip", TransactionFlyweight.IP, TransactionFlyweight.CARD_ID, "cards"),
    MERCHANT("merchant", TransactionFlyweight.MERCHANT_ID, -1, null);

    /** All kinds, in map order; shared to avoid the copy {@link #values()} makes. */
    public static final EntityKind[] ALL = values();
    public static final int COUNT = ALL.length;

    private final String featurePrefix;
    private final int keyField;
    private final int counterpartField;
    private final String counterpartName;

    EntityKind(final String featurePrefix, final int keyField, final int counterpartField,
        final String counterpartName) {
        this.featurePrefix = featurePrefix;
        this.keyField = keyField;
        this.counterpartField = counterpartField;
        this.counterpartName = counterpartName;
    }

    /** Prefix of this kind's feature names and the file name of its map. */
    public String prefix() {
        return featurePrefix;
    }

    /** The transaction field that holds this entity's id. */
    public int keyField() {
        return keyField;
    }

    /** The transaction field whose distinct values this entity counts, or -1. */
    public int counterpartField() {
        return counterpartField;
    }

    /** Plural name of the counted counterpart ("devices"), or null. */
    public String counterpartName() {
        return counterpartName;
    }
}
