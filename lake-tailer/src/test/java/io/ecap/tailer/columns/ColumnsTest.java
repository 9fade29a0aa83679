package io.ecap.tailer.columns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.data.ArrayValue;
import org.junit.jupiter.api.Test;

/** The columns read back what was added, across growth and clearing, as Delta Kernel's Parquet writer reads them. */
class ColumnsTest {
    @Test
    void valuesAndNullsSurviveGrowthAndClear() {
        final StringColumn strings = new StringColumn();
        final LongColumn longs = LongColumn.bigint();
        final DoubleColumn doubles = new DoubleColumn();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 1000; i++) {
                strings.add(i % 7 == 0 ? null : "s" + i);
                longs.add(i * 3L);
                doubles.add(i % 5 == 0 ? Double.NaN : i / 2.0);
            }
            assertEquals(1000, strings.getSize());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i % 7 == 0, strings.isNullAt(i));
                if (i % 7 != 0) {
                    assertEquals("s" + i, strings.getString(i));
                }
                assertEquals(i * 3L, longs.getLong(i));
                assertEquals(i % 5 == 0, doubles.isNullAt(i));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> strings.getString(1000));
            strings.clear();
            longs.clear();
            doubles.clear();
            assertEquals(0, strings.getSize());
        }
    }

    @Test
    void eachRowIsAVectorOfTheSameWidthInTheNamesOrder() {
        final FeatureArrayColumn features = new FeatureArrayColumn(3);
        for (int i = 0; i < 100; i++) {
            features.add(new double[] {i, Double.NaN, -i}, i == 99 ? 2 : 3);
        }
        final ArrayValue row = features.getArray(42);
        assertEquals(3, row.getSize());
        assertEquals(42.0, row.getElements().getDouble(0));
        assertTrue(row.getElements().isNullAt(1), "NaN is a missing value");
        assertEquals(-42.0, row.getElements().getDouble(2));
        final ArrayValue older = features.getArray(99);
        assertEquals(3, older.getSize(), "an older vector with fewer features: the same width");
        assertTrue(older.getElements().isNullAt(2), "a feature the entry did not have is null");
        assertEquals(99.0, older.getElements().getDouble(0));
        assertThrows(IllegalArgumentException.class, () -> features.add(new double[4], 4));
        assertThrows(IndexOutOfBoundsException.class, () -> row.getElements().getDouble(3));
    }

    @Test
    void reasonsAreRangesOfOneStructColumn() {
        final ReasonListColumn reasons = new ReasonListColumn();
        for (int i = 0; i < 50; i++) {
            reasons.startRow();
            for (int r = 0; r < i % 4; r++) {
                reasons.addReason("CODE_" + r, "row " + i, r + 0.5);
            }
        }
        final ArrayValue row = reasons.getArray(7);
        assertEquals(3, row.getSize());
        assertFalse(row.getElements().isNullAt(2));
        assertEquals("CODE_2", row.getElements().getChild(0).getString(2));
        assertEquals("row 7", row.getElements().getChild(1).getString(0));
        assertEquals(1.5, row.getElements().getChild(2).getDouble(1));
        assertEquals(0, reasons.getArray(8).getSize());
        assertThrows(IndexOutOfBoundsException.class, () -> row.getElements().getString(3));
    }
}
