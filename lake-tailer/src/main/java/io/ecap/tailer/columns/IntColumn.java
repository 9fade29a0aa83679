package io.ecap.tailer.columns;

import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.IntegerType;
import java.util.Arrays;

/** An INT column, or a DATE one (days since 1970-01-01, as Delta keeps them). */
public final class IntColumn extends ColumnBuilder {
    private int[] values = new int[16];

    private IntColumn(final DataType type) {
        super(type);
    }

    public static IntColumn integer() {
        return new IntColumn(IntegerType.INTEGER);
    }

    public static IntColumn date() {
        return new IntColumn(DateType.DATE);
    }

    public void add(final int value) {
        final int row = nextRow(false);
        values[row] = value;
    }

    @Override
    protected void grow(final int capacity) {
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    public int getInt(final int rowId) {
        check(rowId);
        return values[rowId];
    }
}
