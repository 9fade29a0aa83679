package io.ecap.tailer.columns;

import io.delta.kernel.types.StringType;
import java.util.Arrays;

/** A STRING column; a null value is a null row. */
public final class StringColumn extends ColumnBuilder {
    private String[] values = new String[16];

    public StringColumn() {
        super(StringType.STRING);
    }

    public void add(final String value) {
        final int row = nextRow(value == null);
        values[row] = value;
    }

    @Override
    protected void grow(final int capacity) {
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    public void clear() {
        Arrays.fill(values, 0, size, null);
        super.clear();
    }

    @Override
    public String getString(final int rowId) {
        check(rowId);
        return values[rowId];
    }
}
