package io.ecap.hotpath.state;

import net.openhft.chronicle.algo.hashing.LongHashFunction;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.PointerBytesStore;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.hash.AbstractData;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.serialization.DataAccess;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

/**
 * How Chronicle Map sees an {@link IdKey}: the key's native bytes, hashed straight from memory. Without it Chronicle
 * Map would encode a CharSequence key character by character or wrap a byte array in a new object on every lookup.
 * The class is named in each map file's header, so it keeps no state worth serialising.
 */
public final class IdKeyAccess extends AbstractData<IdKey> implements DataAccess<IdKey> {
    private transient PointerBytesStore pointer;
    private transient IdKey key;

    public IdKeyAccess() {
        initTransients();
    }

    private void initTransients() {
        pointer = new PointerBytesStore();
    }

    @Override
    public Data<IdKey> getData(final IdKey instance) {
        key = instance;
        pointer.set(instance.address(), Math.max(1, instance.length()));
        return this;
    }

    @Override
    public void uninit() {
        key = null;
    }

    @Override
    public DataAccess<IdKey> copy() {
        return new IdKeyAccess();
    }

    @Override
    public RandomDataInput bytes() {
        return pointer;
    }

    @Override
    public long offset() {
        return 0;
    }

    @Override
    public long size() {
        return key.length();
    }

    @Override
    public long hash(final LongHashFunction f) {
        return f.hashMemory(key.address(), key.length());
    }

    @Override
    public IdKey get() {
        return key;
    }

    @Override
    public IdKey getUsing(final IdKey using) {
        final IdKey target = using == null ? new IdKey() : using;
        return target.set(key.buffer(), 0, key.length());
    }

    @Override
    public void readMarshallable(final WireIn wire) {
        initTransients();
    }

    @Override
    public void writeMarshallable(final WireOut wire) {
        // stateless
    }

    /** Reads a stored key back (key iteration, off the hot path). */
    public static final class Reader implements SizedReader<IdKey> {
        @Override
        public IdKey read(final Bytes<?> in, final long size, final IdKey using) {
            final IdKey target = using == null ? new IdKey() : using;
            final byte[] copy = new byte[(int) size];
            in.read(copy);
            return target.set(new org.agrona.concurrent.UnsafeBuffer(copy), 0, copy.length);
        }

        @Override
        public void readMarshallable(final WireIn wire) {
            // stateless
        }

        @Override
        public void writeMarshallable(final WireOut wire) {
            // stateless
        }
    }
}
