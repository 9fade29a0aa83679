package io.ecap.tailer;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;

/** Which rows of a batch to write (Delta Kernel's selection vector): one partition's rows. */
final class Selection implements ColumnVector {
    private final boolean[] selected;

    Selection(final boolean[] selected) {
        this.selected = selected;
    }

    /** How many rows are selected. */
    int count() {
        int n = 0;
        for (final boolean s : selected) {
            if (s) {
                n++;
            }
        }
        return n;
    }

    @Override
    public DataType getDataType() {
        return BooleanType.BOOLEAN;
    }

    @Override
    public int getSize() {
        return selected.length;
    }

    @Override
    public boolean isNullAt(final int rowId) {
        return false;
    }

    @Override
    public boolean getBoolean(final int rowId) {
        return selected[rowId];
    }

    @Override
    public void close() {
        // a heap array
    }
}
