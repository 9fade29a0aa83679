package io.ecap.tailer.columns;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import java.util.Arrays;

/**
 * An {@code ARRAY<STRUCT<code: STRING, detail: STRING, value: DOUBLE>>} column: a decision's reasons, in order. The
 * elements of every row are kept in three flat columns; a row is a range of them.
 */
public final class ReasonListColumn extends ColumnBuilder {
    public static final StructType REASON = new StructType().add("code", StringType.STRING)
        .add("detail", StringType.STRING).add("value", DoubleType.DOUBLE);

    private final Elements elements = new Elements();
    private int[] starts = new int[16];
    private int[] counts = new int[16];
    private int open = -1;

    public ReasonListColumn() {
        super(new ArrayType(REASON, true));
    }

    /** Starts a row; add its reasons with {@link #addReason} next. */
    public void startRow() {
        open = nextRow(false);
        starts[open] = elements.size;
        counts[open] = 0;
    }

    public void addReason(final String code, final String detail, final double value) {
        if (open < 0) {
            throw new IllegalStateException("no row started");
        }
        elements.code.add(code);
        elements.detail.add(detail);
        elements.value.add(value);
        elements.size++;
        counts[open]++;
    }

    @Override
    protected void grow(final int capacity) {
        starts = Arrays.copyOf(starts, capacity);
        counts = Arrays.copyOf(counts, capacity);
    }

    @Override
    public void clear() {
        elements.code.clear();
        elements.detail.clear();
        elements.value.clear();
        elements.size = 0;
        open = -1;
        super.clear();
    }

    @Override
    public ArrayValue getArray(final int rowId) {
        check(rowId);
        final ColumnVector slice = new Slice(elements, starts[rowId], counts[rowId]);
        return new ArrayValue() {
            @Override
            public int getSize() {
                return slice.getSize();
            }

            @Override
            public ColumnVector getElements() {
                return slice;
            }
        };
    }

    /** Every row's reasons one after the other, as a struct column (never null). */
    private static final class Elements implements ColumnVector {
        final StringColumn code = new StringColumn();
        final StringColumn detail = new StringColumn();
        final DoubleColumn value = new DoubleColumn();
        int size;

        @Override
        public io.delta.kernel.types.DataType getDataType() {
            return REASON;
        }

        @Override
        public int getSize() {
            return size;
        }

        @Override
        public boolean isNullAt(final int rowId) {
            return false;
        }

        @Override
        public ColumnVector getChild(final int ordinal) {
            return switch (ordinal) {
                case 0 -> code;
                case 1 -> detail;
                case 2 -> value;
                default -> throw new IndexOutOfBoundsException("a reason has 3 fields, not " + (ordinal + 1));
            };
        }

        @Override
        public void close() {
            // heap arrays only
        }
    }
}
