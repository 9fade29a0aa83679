package io.ecap.tailer;

import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

/**
 * Whether an existing bronze table can take the tailer's rows: the same type for every column. A lake made before the
 * feature vectors became arrays has them as a map, and is refused with what to do.
 */
final class TableLayout {
    private TableLayout() {
    }

    static void check(final Engine engine, final Table table, final TableRows rows, final String path) {
        final StructType schema = ((SnapshotImpl) table.getLatestSnapshot(engine)).getSchema(engine);
        for (final StructField wanted : rows.schema().fields()) {
            final int at = schema.indexOf(wanted.getName());
            if (at < 0 || !schema.at(at).getDataType().equivalent(wanted.getDataType())) {
                throw new IllegalStateException(path + ": column " + wanted.getName() + " is "
                    + (at < 0 ? "missing" : schema.at(at).getDataType().toString()) + " in the table, the tailer "
                    + "writes " + wanted.getDataType() + ". A lake made before the feature vectors became arrays "
                    + "(docs/LAKE.md, bronze): move its bronze folder away and run the tailer again to load the "
                    + "journal into new tables");
            }
        }
    }
}
