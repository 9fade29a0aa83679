package io.ecap.model;

/** Sales channel of a transaction or user event. Code 0 means "not given". */
public enum Channel {
    WEB(1),
    APP(2),
    POS(3);

    public static final int ABSENT = 0;
    private static final Channel[] BY_CODE = {null, WEB, APP, POS};

    private final int code;

    Channel(final int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The channel for a code, or null for {@link #ABSENT}. */
    public static Channel ofCode(final int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown channel code " + code);
        }
        return BY_CODE[code];
    }
}
