package io.ecap.hotpath.features;

/** How a feature's number is to be read, so rules can compare it with the right kind of literal. */
public enum FeatureType {
    /** A count, amount, ratio or flag (0/1). */
    NUMBER,
    /** A packed ISO 3166 code; rules compare it with two-letter strings such as "DE". */
    COUNTRY,
    /** A channel code; rules compare it with "WEB", "APP" or "POS". */
    CHANNEL,
    /** An RFM segment code ({@code io.ecap.model.field.Segments}); rules compare it with names such as "At Risk". */
    SEGMENT
}
