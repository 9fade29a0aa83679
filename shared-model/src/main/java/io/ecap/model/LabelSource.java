package io.ecap.model;

/** Where a label came from. */
public enum LabelSource {
    CHARGEBACK(1),
    ANALYST(2);

    private final int code;

    LabelSource(final int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LabelSource ofCode(final int code) {
        return switch (code) {
            case 1 -> CHARGEBACK;
            case 2 -> ANALYST;
            default -> throw new IllegalArgumentException("unknown label source code " + code);
        };
    }
}
