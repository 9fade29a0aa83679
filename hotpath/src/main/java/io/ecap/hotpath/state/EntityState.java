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
import static io.ecap.hotpath.state.EntityLayout.SKETCH_HASHES;
import static io.ecap.hotpath.state.EntityLayout.SKETCH_SEEN;
import static io.ecap.hotpath.state.EntityLayout.TXN_COUNT;
import static io.ecap.hotpath.state.EntityLayout.WINDOW_COUNTS;
import static io.ecap.hotpath.state.EntityLayout.WINDOW_SUMS;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A flyweight over one entity's state (see {@link EntityLayout}), in a map entry or in a copy. Plain accessors; the
 * rules for how events change the state live in {@link EntityUpdater}, {@link SlidingWindows} and
 * {@link DistinctSketch}.
 */
public final class EntityState {
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    public EntityState wrap(final long address) {
        buffer.wrap(address, EntityLayout.LENGTH);
        return this;
    }

    public EntityState wrap(final DirectBuffer source, final int offset) {
        buffer.wrap(source, offset, EntityLayout.LENGTH);
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public void clear() {
        buffer.setMemory(0, EntityLayout.LENGTH, (byte) 0);
        lastLat(Double.NaN);
        lastLon(Double.NaN);
    }

    /** True if this slot never saw an event (a fresh entity). */
    public boolean isEmpty() {
        return lastAppliedIndex() == 0;
    }

    public long lastAppliedIndex() {
        return buffer.getLong(LAST_APPLIED_INDEX, LITTLE_ENDIAN);
    }

    public void lastAppliedIndex(final long v) {
        buffer.putLong(LAST_APPLIED_INDEX, v, LITTLE_ENDIAN);
    }

    public long firstSeenMs() {
        return buffer.getLong(FIRST_SEEN_MS, LITTLE_ENDIAN);
    }

    public void firstSeenMs(final long v) {
        buffer.putLong(FIRST_SEEN_MS, v, LITTLE_ENDIAN);
    }

    public long lastSeenMs() {
        return buffer.getLong(LAST_SEEN_MS, LITTLE_ENDIAN);
    }

    public void lastSeenMs(final long v) {
        buffer.putLong(LAST_SEEN_MS, v, LITTLE_ENDIAN);
    }

    public long txnCount() {
        return buffer.getLong(TXN_COUNT, LITTLE_ENDIAN);
    }

    public void txnCount(final long v) {
        buffer.putLong(TXN_COUNT, v, LITTLE_ENDIAN);
    }

    public double amountMean() {
        return buffer.getDouble(AMOUNT_MEAN, LITTLE_ENDIAN);
    }

    public void amountMean(final double v) {
        buffer.putDouble(AMOUNT_MEAN, v, LITTLE_ENDIAN);
    }

    public double amountVariance() {
        return buffer.getDouble(AMOUNT_VARIANCE, LITTLE_ENDIAN);
    }

    public void amountVariance(final double v) {
        buffer.putDouble(AMOUNT_VARIANCE, v, LITTLE_ENDIAN);
    }

    public double lastLat() {
        return buffer.getDouble(LAST_LAT, LITTLE_ENDIAN);
    }

    public void lastLat(final double v) {
        buffer.putDouble(LAST_LAT, v, LITTLE_ENDIAN);
    }

    public double lastLon() {
        return buffer.getDouble(LAST_LON, LITTLE_ENDIAN);
    }

    public void lastLon(final double v) {
        buffer.putDouble(LAST_LON, v, LITTLE_ENDIAN);
    }

    public long lastLocationMs() {
        return buffer.getLong(LAST_LOCATION_MS, LITTLE_ENDIAN);
    }

    public void lastLocationMs(final long v) {
        buffer.putLong(LAST_LOCATION_MS, v, LITTLE_ENDIAN);
    }

    public int lastCountry() {
        return buffer.getInt(LAST_COUNTRY, LITTLE_ENDIAN);
    }

    public void lastCountry(final int v) {
        buffer.putInt(LAST_COUNTRY, v, LITTLE_ENDIAN);
    }

    public int consecutiveDeclines() {
        return buffer.getInt(CONSECUTIVE_DECLINES, LITTLE_ENDIAN);
    }

    public void consecutiveDeclines(final int v) {
        buffer.putInt(CONSECUTIVE_DECLINES, v, LITTLE_ENDIAN);
    }

    public int fraudLabels() {
        return buffer.getInt(FRAUD_LABELS, LITTLE_ENDIAN);
    }

    public void fraudLabels(final int v) {
        buffer.putInt(FRAUD_LABELS, v, LITTLE_ENDIAN);
    }

    public int declines() {
        return buffer.getInt(DECLINES, LITTLE_ENDIAN);
    }

    public void declines(final int v) {
        buffer.putInt(DECLINES, v, LITTLE_ENDIAN);
    }

    public long outOfOrderEvents() {
        return buffer.getLong(OUT_OF_ORDER, LITTLE_ENDIAN);
    }

    public void outOfOrderEvents(final long v) {
        buffer.putLong(OUT_OF_ORDER, v, LITTLE_ENDIAN);
    }

    long windowHead(final WindowSpec w) {
        return buffer.getLong(EntityLayout.windowOffset(w), LITTLE_ENDIAN);
    }

    void windowHead(final WindowSpec w, final long bucket) {
        buffer.putLong(EntityLayout.windowOffset(w), bucket, LITTLE_ENDIAN);
    }

    int bucketCount(final WindowSpec w, final int slot) {
        return buffer.getInt(EntityLayout.windowOffset(w) + WINDOW_COUNTS + slot * 4, LITTLE_ENDIAN);
    }

    void bucketCount(final WindowSpec w, final int slot, final int v) {
        buffer.putInt(EntityLayout.windowOffset(w) + WINDOW_COUNTS + slot * 4, v, LITTLE_ENDIAN);
    }

    long bucketSum(final WindowSpec w, final int slot) {
        return buffer.getLong(EntityLayout.windowOffset(w) + WINDOW_SUMS + slot * 8, LITTLE_ENDIAN);
    }

    void bucketSum(final WindowSpec w, final int slot, final long v) {
        buffer.putLong(EntityLayout.windowOffset(w) + WINDOW_SUMS + slot * 8, v, LITTLE_ENDIAN);
    }

    int sketchHash(final int i) {
        return buffer.getInt(SKETCH_HASHES + i * 4, LITTLE_ENDIAN);
    }

    void sketchHash(final int i, final int v) {
        buffer.putInt(SKETCH_HASHES + i * 4, v, LITTLE_ENDIAN);
    }

    int sketchSeenSec(final int i) {
        return buffer.getInt(SKETCH_SEEN + i * 4, LITTLE_ENDIAN);
    }

    void sketchSeenSec(final int i, final int v) {
        buffer.putInt(SKETCH_SEEN + i * 4, v, LITTLE_ENDIAN);
    }

    /** Copies this state's bytes into {@code target}, which must wrap another state. */
    public void copyTo(final EntityState target) {
        target.buffer.putBytes(0, buffer, 0, EntityLayout.LENGTH);
    }

    /** True if both hold the same bytes. */
    public boolean sameAs(final EntityState other) {
        return buffer.compareTo(other.buffer) == 0;
    }
}
