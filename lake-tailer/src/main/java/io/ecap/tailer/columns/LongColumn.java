package io.ecap.tailer.columns;

import io.delta.kernel.types.DataType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.TimestampType;
import java.util.Arrays;

/** A BIGINT column, or a TIMESTAMP one (microseconds since the epoch, UTC, as Delta keeps them). */
public final class LongColumn extends ColumnBuilder {
    private long[] values = new long[16];

    private LongColumn(final DataType type) {
        super(type);
    }

    public static LongColumn bigint() {
        return new LongColumn(LongType.LONG);
    }

    public static LongColumn timestamp() {
        return new LongColumn(TimestampType.TIMESTAMP);
    }

    public void add(final long value) {
        final int row = nextRow(false);
        values[row] = value;
    }

    @Override
    protected void grow(final int capacity) {
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    public long getLong(final int rowId) {
        check(rowId);
        return values[rowId];
    }
}
