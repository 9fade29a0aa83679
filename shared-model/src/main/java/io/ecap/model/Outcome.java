package io.ecap.model;

/** What the merchant should do with a payment. Codes are stable: they are stored in binary messages. */
public enum Outcome {
    APPROVE(1),
    REVIEW(2),
    DECLINE(3);

    private static final Outcome[] BY_CODE = {null, APPROVE, REVIEW, DECLINE};

    private final int code;

    Outcome(final int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Outcome ofCode(final int code) {
        if (code < 1 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown outcome code " + code);
        }
        return BY_CODE[code];
    }
}
