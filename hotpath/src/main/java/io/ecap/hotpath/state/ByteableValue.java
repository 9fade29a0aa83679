package io.ecap.hotpath.state;

import net.openhft.chronicle.bytes.Byteable;
import net.openhft.chronicle.bytes.BytesStore;

/**
 * Value type of the engine's Chronicle Maps: a fixed number of raw bytes, accessed in place through the entry's
 * address, never copied into objects. Subclasses only fix the size.
 */
@SuppressWarnings("rawtypes")
public abstract class ByteableValue implements Byteable {
    private BytesStore store;
    private long offset;

    @Override
    public void bytesStore(final BytesStore bytesStore, final long at, final long length) {
        if (length != maxSize()) {
            throw new IllegalArgumentException("value of " + length + " bytes, expected " + maxSize());
        }
        this.store = bytesStore;
        this.offset = at;
    }

    @Override
    public BytesStore bytesStore() {
        return store;
    }

    @Override
    public long offset() {
        return offset;
    }

    /** An entity's state ({@link EntityLayout#LENGTH} bytes). */
    public static final class Entity extends ByteableValue {
        @Override
        public long maxSize() {
            return EntityLayout.LENGTH;
        }
    }

    /** A transaction index entry: scored journal index, first fraud label journal index. */
    public static final class Txn extends ByteableValue {
        public static final int LENGTH = 16;

        @Override
        public long maxSize() {
            return LENGTH;
        }
    }
}
