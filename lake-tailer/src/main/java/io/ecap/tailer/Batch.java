package io.ecap.tailer;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;

/** Columns of equal length as one batch for Delta Kernel; Kernel drops the partition column from it to write. */
final class Batch implements ColumnarBatch {
    private final StructType schema;
    private final ColumnVector[] vectors;
    private final int rows;

    Batch(final StructType schema, final ColumnVector[] vectors, final int rows) {
        if (schema.length() != vectors.length) {
            throw new IllegalArgumentException(schema.length() + " fields for " + vectors.length + " columns");
        }
        for (final ColumnVector v : vectors) {
            if (v.getSize() != rows) {
                throw new IllegalStateException("a column has " + v.getSize() + " rows, not " + rows);
            }
        }
        this.schema = schema;
        this.vectors = vectors;
        this.rows = rows;
    }

    @Override
    public StructType getSchema() {
        return schema;
    }

    @Override
    public ColumnVector getColumnVector(final int ordinal) {
        return vectors[ordinal];
    }

    @Override
    public int getSize() {
        return rows;
    }

    @Override
    public ColumnarBatch withDeletedColumnAt(final int ordinal) {
        final List<StructField> fields = new ArrayList<>(schema.fields());
        fields.remove(ordinal);
        final List<ColumnVector> kept = new ArrayList<>(List.of(vectors));
        kept.remove(ordinal);
        return new Batch(new StructType(fields), kept.toArray(new ColumnVector[0]), rows);
    }
}
