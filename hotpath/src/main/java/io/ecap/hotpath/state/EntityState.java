package io.ecap.hotpath.state;

import static io.ecap.hotpath.state.EntityLayout.AMOUNT_MEAN;
import static io.ecap.hotpath.state.EntityLayout.AMOUNT_VARIANCE;
import static io.ecap.hotpath.state.EntityLayout.CONSECUTIVE_DECLINES;
import static io.ecap.hotpath.state.EntityLayout.DECLINES;
import static io.ecap.hotpath.state.EntityLayout.FIRST_SEEN_MS;
import static io.ecap.hotpath.state.EntityLayout.FRAUD_LABELS;
import static io.ecap.hotpath.state.EntityLayout.LAST_APPLIED_INDEX;
import static io.ecap.hotpath.state.EntityLayout.LAST_COUNTRY;
import static io.ecap.hotpath.state.EntityLayout.LAST_LAT;
import static io.ecap.hotpath.state.EntityLayout.LAST_LOCATION_MS;
import static io.ecap.hotpath.state.EntityLayout.LAST_LON;
import static io.ecap.hotpath.state.EntityLayout.LAST_SEEN_MS;
import static io.ecap.hotpath.state.EntityLayout.OUT_OF_ORDER;
import static io.ecap.hotpath.state.EntityLayout.PROFILE_CHURN;
import static io.ecap.hotpath.state.EntityLayout.PROFILE_CLV;
import static io.ecap.hotpath.state.EntityLayout.PROFILE_ORDERS;
import static io.ecap.hotpath.state.EntityLayout.PROFILE_SEGMENT;
import static io.ecap.hotpath.state.EntityLayout.SKETCH_HASHES;
import static io.ecap.hotpath.state.EntityLayout.SKETCH_SEEN;
import static io.ecap.hotpath.state.EntityLayout.TXN_COUNT;
import static io.ecap.hotpath.state.EntityLayout.WINDOW_COUNTS;
import static io.ecap.hotpath.state.EntityLayout.WINDOW_SUMS;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A flyweight over one entity's state (see {@link EntityLayout}), in a record or in a copy. Plain accessors; the
 * rules for how events change the state live in {@link EntityUpdater}, {@link SlidingWindows} and
 * {@link DistinctSketch}.
 *
 * <p>The accessors read and write memory directly, without a bounds check per access: the flyweight is always
 * wrapped over exactly {@link EntityLayout#LENGTH} bytes (checked when it is wrapped over a buffer) and every offset
 * is a layout constant or a window slot below {@link WindowSpec#BUCKETS}. This is the innermost loop of scoring.
 */
public final class EntityState {
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == LITTLE_ENDIAN;

    static {
        if (!NATIVE_LE) {
            throw new ExceptionInInitializerError("the engine's state layout needs a little-endian machine");
        }
    }

    private Object base;
    /** The off-heap buffer a {@link #wrap(DirectBuffer, int)} reads, held so that it is not freed under this view. */
    private Object owner;
    private long address;
    private UnsafeBuffer view;

    /** Wraps the state at a native address (a record, a saved copy). */
    public EntityState wrap(final long at) {
        base = null;
        owner = null;
        address = at;
        return this;
    }

    /**
     * Wraps the state in a buffer, which must hold {@link EntityLayout#LENGTH} bytes from {@code offset}. The buffer's
     * array or byte buffer stays reachable for as long as this view wraps it (a buffer over a raw address is the
     * caller's to keep).
     */
    public EntityState wrap(final DirectBuffer source, final int offset) {
        source.boundsCheck(offset, EntityLayout.LENGTH);
        base = source.byteArray();
        owner = source.byteBuffer();
        address = source.addressOffset() + offset;
        return this;
    }

    /** The state's bytes as a buffer (tools, comparisons; allocates on first use). */
    public MutableDirectBuffer buffer() {
        if (view == null) {
            view = new UnsafeBuffer(0, 0);
        }
        if (base == null) {
            view.wrap(address, EntityLayout.LENGTH);
        } else {
            view.wrap((byte[]) base, (int) (address - UnsafeApi.arrayBaseOffset(byte[].class)), EntityLayout.LENGTH);
        }
        return view;
    }

    /** A fresh entity: all zero, no location (NaN). Stores of 8 bytes: Unsafe's setMemory is slow for this size. */
    public void clear() {
        zero(0, EntityLayout.LENGTH);
        lastLat(Double.NaN);
        lastLon(Double.NaN);
    }

    private void zero(final int from, final int to) {
        for (int at = from; at < to; at += 8) {
            UnsafeApi.putLong(base, address + at, 0L);
        }
    }

    private long getLong(final int offset) {
        return UnsafeApi.getLong(base, address + offset);
    }

    private void putLong(final int offset, final long v) {
        UnsafeApi.putLong(base, address + offset, v);
    }

    private int getInt(final int offset) {
        return UnsafeApi.getInt(base, address + offset);
    }

    private void putInt(final int offset, final int v) {
        UnsafeApi.putInt(base, address + offset, v);
    }

    private double getDouble(final int offset) {
        return UnsafeApi.getDouble(base, address + offset);
    }

    private void putDouble(final int offset, final double v) {
        UnsafeApi.putDouble(base, address + offset, v);
    }

    /** True if this slot never saw an event (a fresh entity). */
    public boolean isEmpty() {
        return lastAppliedIndex() == 0;
    }

    public long lastAppliedIndex() {
        return getLong(LAST_APPLIED_INDEX);
    }

    public void lastAppliedIndex(final long v) {
        putLong(LAST_APPLIED_INDEX, v);
    }

    public long firstSeenMs() {
        return getLong(FIRST_SEEN_MS);
    }

    public void firstSeenMs(final long v) {
        putLong(FIRST_SEEN_MS, v);
    }

    public long lastSeenMs() {
        return getLong(LAST_SEEN_MS);
    }

    public void lastSeenMs(final long v) {
        putLong(LAST_SEEN_MS, v);
    }

    public long txnCount() {
        return getLong(TXN_COUNT);
    }

    public void txnCount(final long v) {
        putLong(TXN_COUNT, v);
    }

    public double amountMean() {
        return getDouble(AMOUNT_MEAN);
    }

    public void amountMean(final double v) {
        putDouble(AMOUNT_MEAN, v);
    }

    public double amountVariance() {
        return getDouble(AMOUNT_VARIANCE);
    }

    public void amountVariance(final double v) {
        putDouble(AMOUNT_VARIANCE, v);
    }

    public double lastLat() {
        return getDouble(LAST_LAT);
    }

    public void lastLat(final double v) {
        putDouble(LAST_LAT, v);
    }

    public double lastLon() {
        return getDouble(LAST_LON);
    }

    public void lastLon(final double v) {
        putDouble(LAST_LON, v);
    }

    public long lastLocationMs() {
        return getLong(LAST_LOCATION_MS);
    }

    public void lastLocationMs(final long v) {
        putLong(LAST_LOCATION_MS, v);
    }

    public int lastCountry() {
        return getInt(LAST_COUNTRY);
    }

    public void lastCountry(final int v) {
        putInt(LAST_COUNTRY, v);
    }

    public int consecutiveDeclines() {
        return getInt(CONSECUTIVE_DECLINES);
    }

    public void consecutiveDeclines(final int v) {
        putInt(CONSECUTIVE_DECLINES, v);
    }

    public int fraudLabels() {
        return getInt(FRAUD_LABELS);
    }

    public void fraudLabels(final int v) {
        putInt(FRAUD_LABELS, v);
    }

    public int declines() {
        return getInt(DECLINES);
    }

    public void declines(final int v) {
        putInt(DECLINES, v);
    }

    public long outOfOrderEvents() {
        return getLong(OUT_OF_ORDER);
    }

    public void outOfOrderEvents(final long v) {
        putLong(OUT_OF_ORDER, v);
    }

    /** The profile's predicted lifetime value, raw: whole US dollars plus one, 0 for none. */
    public long profileClvRaw() {
        return getInt(PROFILE_CLV) & 0xFFFF_FFFFL;
    }

    /** The profile's lifetime orders, raw: orders plus one, 0 for none. */
    public int profileOrdersRaw() {
        return UnsafeApi.getShort(base, address + PROFILE_ORDERS) & 0xFFFF;
    }

    /** The profile's churn risk, raw: steps of 1/250 plus one, 0 for none. */
    public int profileChurnRaw() {
        return UnsafeApi.getByte(base, address + PROFILE_CHURN) & 0xFF;
    }

    /** The profile's RFM segment code, 0 for none. */
    public int profileSegment() {
        return UnsafeApi.getByte(base, address + PROFILE_SEGMENT) & 0xFF;
    }

    /** The profile's predicted lifetime value in whole US dollars, NaN for none. */
    public double profileClvUsd() {
        final long raw = profileClvRaw();
        return raw == 0 ? Double.NaN : raw - 1;
    }

    /** The profile's lifetime orders, NaN for none. */
    public double profileLifetimeOrders() {
        final int raw = profileOrdersRaw();
        return raw == 0 ? Double.NaN : raw - 1;
    }

    /** The profile's churn risk, 0 to 1 in steps of 1/{@link EntityUpdater#CHURN_STEPS}, NaN for none. */
    public double profileChurnRisk() {
        final int raw = profileChurnRaw();
        return raw == 0 ? Double.NaN : (raw - 1) / (double) EntityUpdater.CHURN_STEPS;
    }

    /** Replaces the profile (raw values as the getters return them). */
    public void profile(final long clvRaw, final int ordersRaw, final int churnRaw, final int segment) {
        putInt(PROFILE_CLV, (int) clvRaw);
        UnsafeApi.putShort(base, address + PROFILE_ORDERS, (short) ordersRaw);
        UnsafeApi.putByte(base, address + PROFILE_CHURN, (byte) churnRaw);
        UnsafeApi.putByte(base, address + PROFILE_SEGMENT, (byte) segment);
    }

    long windowHead(final WindowSpec w) {
        return getLong(EntityLayout.windowOffset(w));
    }

    void windowHead(final WindowSpec w, final long bucket) {
        putLong(EntityLayout.windowOffset(w), bucket);
    }

    int bucketCount(final WindowSpec w, final int slot) {
        return getInt(EntityLayout.windowOffset(w) + WINDOW_COUNTS + slot * 4);
    }

    void bucketCount(final WindowSpec w, final int slot, final int v) {
        putInt(EntityLayout.windowOffset(w) + WINDOW_COUNTS + slot * 4, v);
    }

    long bucketSum(final WindowSpec w, final int slot) {
        return getLong(EntityLayout.windowOffset(w) + WINDOW_SUMS + slot * 8);
    }

    void bucketSum(final WindowSpec w, final int slot, final long v) {
        putLong(EntityLayout.windowOffset(w) + WINDOW_SUMS + slot * 8, v);
    }

    /** Zeroes a window's buckets (counts and sums), not its head. */
    void clearWindow(final WindowSpec w) {
        final int at = EntityLayout.windowOffset(w);
        zero(at + WINDOW_COUNTS, at + (w.hasSums() ? WINDOW_SUMS + WindowSpec.BUCKETS * 8 : WINDOW_SUMS));
    }

    int sketchHash(final int i) {
        return getInt(SKETCH_HASHES + i * 4);
    }

    void sketchHash(final int i, final int v) {
        putInt(SKETCH_HASHES + i * 4, v);
    }

    int sketchSeenSec(final int i) {
        return getInt(SKETCH_SEEN + i * 4);
    }

    void sketchSeenSec(final int i, final int v) {
        putInt(SKETCH_SEEN + i * 4, v);
    }

    /** Copies this state's bytes into {@code target}, which must wrap another state. */
    public void copyTo(final EntityState target) {
        UnsafeApi.copyMemory(base, address, target.base, target.address, EntityLayout.LENGTH);
    }

    /** True if both hold the same bytes. */
    public boolean sameAs(final EntityState other) {
        return buffer().compareTo(new UnsafeBuffer(other.buffer())) == 0;
    }
}
