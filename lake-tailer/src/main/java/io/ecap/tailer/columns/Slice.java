package io.ecap.tailer.columns;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.DataType;

/** Rows {@code [start, start + length)} of another column: one row's map keys, map values or array elements. */
final class Slice implements ColumnVector {
    private final ColumnVector base;
    private final int start;
    private final int length;

    Slice(final ColumnVector base, final int start, final int length) {
        this.base = base;
        this.start = start;
        this.length = length;
    }

    private int at(final int rowId) {
        if (rowId < 0 || rowId >= length) {
            throw new IndexOutOfBoundsException("element " + rowId + " of " + length);
        }
        return start + rowId;
    }

    @Override
    public DataType getDataType() {
        return base.getDataType();
    }

    @Override
    public int getSize() {
        return length;
    }

    @Override
    public boolean isNullAt(final int rowId) {
        return base.isNullAt(at(rowId));
    }

    @Override
    public int getInt(final int rowId) {
        return base.getInt(at(rowId));
    }

    @Override
    public long getLong(final int rowId) {
        return base.getLong(at(rowId));
    }

    @Override
    public double getDouble(final int rowId) {
        return base.getDouble(at(rowId));
    }

    @Override
    public String getString(final int rowId) {
        return base.getString(at(rowId));
    }

    @Override
    public ColumnVector getChild(final int ordinal) {
        return new Slice(base.getChild(ordinal), start, length);
    }

    @Override
    public void close() {
        // a view: the base column owns the values
    }
}
