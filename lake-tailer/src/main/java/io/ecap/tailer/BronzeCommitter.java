package io.ecap.tailer;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionBuilder;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.ecap.hotpath.state.CrashPoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Commits a table's rows to its Delta table through Delta Kernel: Parquet files, one set per month, then one commit
 * that adds them all, tagged with Delta's {@code txnAppId} {@value #APP_ID} and {@code txnVersion} = the last journal
 * index the batch covers. The Spark loader ({@code journal-to-bronze}) tags its commits the same way, so each table
 * knows up to which journal index it is loaded whichever of the two loaded it ({@link #loadedUpTo}).
 *
 * <p>A crash after the Parquet files are written and before the commit leaves orphan files, never part of the table
 * (VACUUM removes them); a commit either happened or did not. Every tenth version gets a checkpoint.
 */
final class BronzeCommitter {
    /** The same application id as the Spark loader's: both loaders skip what the other committed. */
    static final String APP_ID = "ecap-journal-to-bronze";
    private static final String ENGINE_INFO = "ECAP lake-tailer";

    /** Rows from which a batch is written by several threads at once. */
    static final int SPLIT_ROWS = 20_000;

    private final Engine engine;
    private final Consumer<String> beforeCommit;
    private final ParquetWriters writers;

    BronzeCommitter(final Engine engine) {
        this(engine, table -> { });
    }

    /** {@code beforeCommit}: called with the table's path once its Parquet files are written, before the commit. */
    BronzeCommitter(final Engine engine, final Consumer<String> beforeCommit) {
        this(engine, beforeCommit, new ParquetWriters());
    }

    /** {@code writers}: the threads that write a large batch's files at once. */
    BronzeCommitter(final Engine engine, final Consumer<String> beforeCommit, final ParquetWriters writers) {
        this.engine = engine;
        this.beforeCommit = beforeCommit;
        this.writers = writers;
    }

    /** The last journal index committed to the table at {@code path} by either loader ({@code -1}: none, no table). */
    long loadedUpTo(final String path) {
        try {
            final Snapshot snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
            // Delta Kernel 3.3 has no public call for it yet: the snapshot's own method, as its transaction builder
            // uses
            return ((SnapshotImpl) snapshot).getLatestTransactionVersion(engine, APP_ID).orElse(-1L);
        } catch (final TableNotFoundException e) {
            return -1;
        } catch (final RuntimeException e) {
            // Delta Kernel's own words for a log it cannot read run its sentences together: the table, then the cause
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            final String cause = String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
            throw new IllegalStateException("the Delta log of " + path + " cannot be read (" + cause + "): a table "
                + "another program wrote, or damaged; point --lake elsewhere, or move the table aside", e);
        }
    }

    /**
     * Writes every row of {@code rows} to the table at {@code path} (created with the rows' schema, partitioned by
     * month, on first use) in one commit tagged {@code version}.
     */
    void commit(final String path, final TableRows rows, final long version) {
        final Table table = Table.forPath(engine, path);
        final boolean exists = exists(table);
        TransactionBuilder builder = table.createTransactionBuilder(engine, ENGINE_INFO,
            exists ? Operation.WRITE : Operation.CREATE_TABLE);
        if (!exists) {
            builder = builder.withSchema(engine, rows.schema()).withPartitionColumns(engine, List.of(TableRows.MONTH));
        } else {
            TableLayout.check(engine, table, rows, path);
        }
        final Transaction txn;
        try {
            txn = builder.withTransactionId(engine, APP_ID, version).build(engine);
        } catch (final KernelException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Unsupported Delta")) {
                throw new IllegalStateException(path + ": Delta Kernel 3.3 cannot append to this table ("
                    + e.getMessage() + "). The Spark loader (ecap lake journal-to-bronze) creates its tables with a "
                    + "generated month column, which needs a newer writer: keep loading this lake with it, or move "
                    + "its bronze tables away to let the tailer create its own", e);
            }
            throw e;
        }
        final Row state = txn.getTransactionState(engine);
        final List<Callable<List<Row>>> parts = new ArrayList<>();
        final List<Integer> months = rows.months();
        // a large batch is written as several files at once, one per writer thread: Parquet's encoding is most of a
        // commit's time, and one thread does it on one core
        final int split = rows.size() >= SPLIT_ROWS ? writers.size() : 1;
        for (final int month : months) {
            final Map<String, Literal> partition = Map.of(TableRows.MONTH, Literal.ofDate(month));
            for (int i = 0; i < split; i++) {
                final int from = (int) ((long) rows.size() * i / split);
                final int to = (int) ((long) rows.size() * (i + 1) / split);
                final Selection selected = months.size() == 1 && split == 1 ? null : rows.rowsIn(month, from, to);
                if (selected != null && selected.count() == 0) {
                    continue; // no row of this month in this part: no empty file
                }
                final FilteredColumnarBatch batch = new FilteredColumnarBatch(rows.batch(),
                    Optional.ofNullable(selected));
                parts.add(() -> write(state, partition, batch));
            }
        }
        final List<Row> actions = new ArrayList<>();
        for (final List<Row> part : writers.run(parts, path)) {
            actions.addAll(part);
        }
        beforeCommit.accept(path);
        CrashPoints.reached("bronze-files");
        final TransactionCommitResult result = txn.commit(engine,
            CloseableIterable.inMemoryIterable(iterator(actions)));
        if (result.isReadyForCheckpoint()) {
            checkpoint(table, result.getVersion());
        }
    }

    /**
     * Writes a checkpoint of the table's log at {@code version} (Delta asks for one every ten commits), so that the
     * next snapshot, this tailer's or a reader's, starts from it instead of replaying every commit since the table
     * began: a follower makes a commit a second, 86,400 a day. A checkpoint another writer made first is fine.
     */
    /** Writes one part of a batch as Parquet files; returns the actions that add them. */
    private List<Row> write(final Row state, final Map<String, Literal> partition, final FilteredColumnarBatch batch)
        throws IOException {
        final CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(engine, state,
            iterator(List.of(batch)), partition);
        final DataWriteContext context = Transaction.getWriteContext(engine, state, partition);
        final CloseableIterator<DataFileStatus> files = engine.getParquetHandler()
            .writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
        final List<Row> actions = new ArrayList<>();
        try (CloseableIterator<Row> adds = Transaction.generateAppendActions(engine, state, files, context)) {
            adds.forEachRemaining(actions::add);
        }
        return actions;
    }

    private void checkpoint(final Table table, final long version) {
        try {
            table.checkpoint(engine, version);
        } catch (final CheckpointAlreadyExistsException e) {
            // someone else wrote it: the same content
        } catch (final TableNotFoundException | IOException e) {
            throw new IllegalStateException(table.getPath(engine) + ": checkpoint at version " + version + " failed",
                e);
        }
    }

    private boolean exists(final Table table) {
        try {
            table.getLatestSnapshot(engine);
            return true;
        } catch (final TableNotFoundException e) {
            return false;
        }
    }

    static <T> CloseableIterator<T> iterator(final List<T> items) {
        final Iterator<T> it = items.iterator();
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }

            @Override
            public void close() {
                // a list in memory
            }
        };
    }
}
