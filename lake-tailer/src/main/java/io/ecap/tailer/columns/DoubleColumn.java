package io.ecap.tailer.columns;

import io.delta.kernel.types.DoubleType;
import java.util.Arrays;

/** A DOUBLE column. NaN is written as null (the journal's "missing"); infinities are kept. */
public final class DoubleColumn extends ColumnBuilder {
    private double[] values = new double[16];

    public DoubleColumn() {
        super(DoubleType.DOUBLE);
    }

    public void add(final double value) {
        final int row = nextRow(Double.isNaN(value));
        values[row] = value;
    }

    @Override
    protected void grow(final int capacity) {
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    public double getDouble(final int rowId) {
        check(rowId);
        return values[rowId];
    }
}
