package io.ecap.tailer;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructType;
import io.ecap.hotpath.journal.JournalReader;
import io.ecap.tailer.columns.ColumnBuilder;
import io.ecap.tailer.columns.IntColumn;
import io.ecap.tailer.columns.LongColumn;
import io.ecap.tailer.columns.StringColumn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rows one bronze table takes from a run of journal entries, built column by column. Every table has the same
 * columns as the Spark loader's ({@code journal-to-bronze}): {@code journal_index}, {@code event_ts},
 * {@code event_date} first, the table's own columns, then {@code raw} (always null here: every field is in a column of
 * its own) and {@code event_month}, the partition (the first day of the event's month, UTC).
 */
abstract class TableRows {
    static final String MONTH = "event_month";

    private final String table;
    private final Map<String, ColumnBuilder> columns = new LinkedHashMap<>();
    private final LongColumn journalIndex = LongColumn.bigint();
    private final LongColumn eventTs = LongColumn.timestamp();
    private final IntColumn eventDate = IntColumn.date();
    private final StringColumn raw = new StringColumn();
    private final IntColumn eventMonth = IntColumn.date();
    private StructType schema;

    TableRows(final String table) {
        this.table = table;
        columns.put("journal_index", journalIndex);
        columns.put("event_ts", eventTs);
        columns.put("event_date", eventDate);
    }

    /** Declares the table's own columns, in order; called once by each subclass's constructor. */
    final <C extends ColumnBuilder> C column(final String name, final C column) {
        if (schema != null || columns.put(name, column) != null) {
            throw new IllegalStateException(table + ": column " + name + " declared late or twice");
        }
        return column;
    }

    /** Closes the column list: {@code raw} and the partition column go last. */
    final void declared() {
        columns.put("raw", raw);
        columns.put(MONTH, eventMonth);
        StructType s = new StructType();
        for (final Map.Entry<String, ColumnBuilder> c : columns.entrySet()) {
            s = s.add(c.getKey(), c.getValue().getDataType(), true);
        }
        schema = s;
    }

    String table() {
        return table;
    }

    StructType schema() {
        return schema;
    }

    /** True if this table takes entries of this journal type. */
    abstract boolean takes(int type);

    /** Adds the reader's current entry (of a type this table takes); returns its event time, epoch ms. */
    abstract long addColumns(JournalReader reader);

    /** Adds the reader's current entry as a row. */
    final void add(final JournalReader reader) {
        final long tsMs = addColumns(reader);
        journalIndex.add(reader.index());
        eventTs.add(Math.multiplyExact(tsMs, 1000L));
        final int day = (int) Math.floorDiv(tsMs, 86_400_000L);
        eventDate.add(day);
        raw.addNull();
        eventMonth.add(firstOfMonth(day));
    }

    static int firstOfMonth(final int epochDay) {
        return (int) LocalDate.ofEpochDay(epochDay).withDayOfMonth(1).toEpochDay();
    }

    int size() {
        return journalIndex.getSize();
    }

    /** The months (days since the epoch of their first day) the rows fall in, oldest first. */
    List<Integer> months() {
        final TreeSet<Integer> months = new TreeSet<>();
        for (int i = 0; i < eventMonth.getSize(); i++) {
            months.add(eventMonth.getInt(i));
        }
        return new ArrayList<>(months);
    }

    /** Which rows of {@code [from, to)} fall in {@code month}: a selection for Delta Kernel's writer. */
    Selection rowsIn(final int month, final int from, final int to) {
        final boolean[] selected = new boolean[size()];
        for (int i = from; i < to; i++) {
            selected[i] = eventMonth.getInt(i) == month;
        }
        return new Selection(selected);
    }

    /** The rows as one batch (valid until {@link #clear()}). */
    ColumnarBatch batch() {
        return new Batch(schema, columns.values().toArray(new ColumnVector[0]), size());
    }

    void clear() {
        for (final ColumnBuilder c : columns.values()) {
            c.clear();
        }
    }

    /** An amount in minor units as the decimal text the journal export writes ("12.34", "-0.05", "1000"). */
    static String decimal(final long units, final int exponent) {
        return BigDecimal.valueOf(units, exponent).toPlainString();
    }
}
