package io.ecap.tailer.columns;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DoubleType;

/**
 * An {@code ARRAY<DOUBLE>} column of feature vectors: every row has one element per feature name, in the names'
 * order (the engine's feature catalogue, kept once in the lake beside the tables: {@code FeatureNames}, not in each
 * row). A missing value (NaN), and a feature the entry did not have (journaled before the feature was added), is a
 * null element. Without a name per value, Parquet writes a vector about twice as fast as a
 * {@code MAP<STRING, DOUBLE>}.
 */
public final class FeatureArrayColumn extends ColumnBuilder {
    private final int width;
    private final DoubleColumn values = new DoubleColumn();

    /** {@code width}: the number of feature names. */
    public FeatureArrayColumn(final int width) {
        super(new ArrayType(DoubleType.DOUBLE, true));
        this.width = width;
    }

    /** Adds a row: the first {@code count} values (at most as many as there are names), nulls for the rest. */
    public void add(final double[] vector, final int count) {
        if (count > width) {
            throw new IllegalArgumentException(count + " feature values, but only " + width + " names");
        }
        nextRow(false);
        for (int i = 0; i < count; i++) {
            values.add(vector[i]);
        }
        for (int i = count; i < width; i++) {
            values.add(Double.NaN);
        }
    }

    @Override
    protected void grow(final int capacity) {
        // the values grow by themselves
    }

    @Override
    public void clear() {
        values.clear();
        super.clear();
    }

    @Override
    public ArrayValue getArray(final int rowId) {
        check(rowId);
        final ColumnVector elements = new Slice(values, rowId * width, width);
        return new ArrayValue() {
            @Override
            public int getSize() {
                return width;
            }

            @Override
            public ColumnVector getElements() {
                return elements;
            }
        };
    }
}
