package io.ecap.hotpath.state;

import net.openhft.chronicle.values.Array;

/**
 * The Chronicle Map value type of an entity: {@link EntityLayout#VALUE_LENGTH} bytes, read and written in place
 * through its off-heap address, never through these accessors on the hot path.
 */
public interface EntityValue {
    int WORDS = EntityLayout.VALUE_LENGTH / 8;

    @Array(length = WORDS)
    long getWordAt(int index);

    void setWordAt(int index, long value);
}
