package io.ecap.tailer.columns;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import java.util.Arrays;

/**
 * A {@code MAP<STRING, DOUBLE>} column of feature vectors: feature name to value, in the order of the names given.
 * Every row shares the names (the engine's feature catalogue); only the values are kept per row, in one flat column.
 * A missing value (NaN) is a null value in the map.
 */
public final class FeatureMapColumn extends ColumnBuilder {
    private final StringColumn names = new StringColumn();
    private final DoubleColumn values = new DoubleColumn();
    private int[] starts = new int[16];
    private int[] counts = new int[16];

    /** {@code names}: the key of each position in the vectors added. */
    public FeatureMapColumn(final String[] names) {
        super(new MapType(StringType.STRING, DoubleType.DOUBLE, true));
        for (final String name : names) {
            this.names.add(name);
        }
    }

    /** Adds a row: the first {@code count} values (at most as many as there are names). */
    public void add(final double[] vector, final int count) {
        if (count > names.getSize()) {
            throw new IllegalArgumentException(count + " feature values, but only " + names.getSize() + " names");
        }
        final int row = nextRow(false);
        starts[row] = values.getSize();
        counts[row] = count;
        for (int i = 0; i < count; i++) {
            values.add(vector[i]);
        }
    }

    @Override
    protected void grow(final int capacity) {
        starts = Arrays.copyOf(starts, capacity);
        counts = Arrays.copyOf(counts, capacity);
    }

    @Override
    public void clear() {
        values.clear();
        super.clear();
    }

    @Override
    public MapValue getMap(final int rowId) {
        check(rowId);
        final ColumnVector keys = new Slice(names, 0, counts[rowId]);
        final ColumnVector vals = new Slice(values, starts[rowId], counts[rowId]);
        return new MapValue() {
            @Override
            public int getSize() {
                return keys.getSize();
            }

            @Override
            public ColumnVector getKeys() {
                return keys;
            }

            @Override
            public ColumnVector getValues() {
                return vals;
            }
        };
    }
}
