package io.ecap.model;

/** Ground truth for a transaction, from a chargeback or an analyst. */
public enum LabelValue {
    FRAUD(1),
    LEGIT(2);

    private final int code;

    LabelValue(final int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LabelValue ofCode(final int code) {
        return switch (code) {
            case 1 -> FRAUD;
            case 2 -> LEGIT;
            default -> throw new IllegalArgumentException("unknown label code " + code);
        };
    }
}
