package io.ecap.tailer.columns;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.DataType;
import java.util.Arrays;

/**
 * A column of a batch being built row by row, read by Delta Kernel's Parquet writer as a {@link ColumnVector}. Each
 * subclass keeps its values in an array of its own type; this class keeps the type, the row count and which rows are
 * null. Rows are only ever added at the end; {@link #clear()} empties the column for the next batch.
 */
public abstract class ColumnBuilder implements ColumnVector {
    private final DataType type;
    private boolean[] nulls = new boolean[16];
    protected int size;

    protected ColumnBuilder(final DataType type) {
        this.type = type;
    }

    /**
     * Makes room for one more row and notes whether it is null; returns the row's position. Subclasses must call it
     * before they index their arrays (it may replace them).
     */
    protected final int nextRow(final boolean isNull) {
        if (size == nulls.length) {
            nulls = Arrays.copyOf(nulls, size * 2);
            grow(size * 2);
        }
        nulls[size] = isNull;
        return size++;
    }

    /** Grows the subclass's value arrays to {@code capacity} rows. */
    protected abstract void grow(int capacity);

    /** Adds a null row. */
    public final void addNull() {
        nextRow(true);
    }

    /** Empties the column (its arrays are kept for the next batch). */
    public void clear() {
        size = 0;
    }

    @Override
    public final DataType getDataType() {
        return type;
    }

    @Override
    public final int getSize() {
        return size;
    }

    @Override
    public final boolean isNullAt(final int rowId) {
        check(rowId);
        return nulls[rowId];
    }

    protected final void check(final int rowId) {
        if (rowId < 0 || rowId >= size) {
            throw new IndexOutOfBoundsException("row " + rowId + " of " + size);
        }
    }

    @Override
    public void close() {
        // heap arrays only: nothing to release
    }
}
