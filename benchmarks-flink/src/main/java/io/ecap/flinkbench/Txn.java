package io.ecap.flinkbench;

/**
 * One transaction of the file `./ecap generate` writes, as Jackson reads it, with the card's features added by
 * {@link CardFeatures}. A Flink POJO (public fields, no-argument constructor): Flink's POJO serializer carries it
 * between the two keyed stages, never Kryo.
 */
public class Txn {
    public String txnId;
    /** Event time, epoch milliseconds. */
    public long ts;
    public String customerId;
    public String cardId;
    public String merchantId;
    /** The decimal string of the file, as a double (no currency conversion). */
    public double amount;
    public String currency;
    public String deviceId;
    public String ip;
    public String country;
    /** Null when the line has no location. */
    public Double lat;
    public Double lon;
    public String channel;
    public int mcc;
    public String email;

    /** The card's features, set by {@link CardFeatures}. */
    public long cardCount60s;
    public double cardSum60s;
    public long cardCount1h;
    public double cardSum1h;
    /** NaN when the card has fewer than {@link KeyFeatures#MIN_HISTORY} earlier amounts. */
    public double cardZ;
    /** Speed from the card's previous location, km/h; 0 without two locations. */
    public double cardKmh;

    public Txn() {
    }

    /** True if the line carried a location. */
    public boolean hasLocation() {
        return lat != null && lon != null;
    }
}
