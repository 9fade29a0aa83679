package io.ecap.tailer;

import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * What a bronze table holds, as a reader of the table sees it: the rows of the Parquet files its latest Delta snapshot
 * names (files outside it, left by a crash before a commit, are not part of the table), each as its journal index and,
 * for {@code decisions}, its transaction id. For checking the tailer against the journal ({@link TailerSimulation}).
 */
final class BronzeContents {
    /** One row: its journal index, and its transaction id where the table has one (null otherwise). */
    record LoadedRow(long journalIndex, String txnId) {
    }

    private BronzeContents() {
    }

    /** The paths of the files the table's latest snapshot names; empty if there is no table. */
    static List<String> liveFiles(final Engine engine, final String tablePath) {
        final List<String> files = new ArrayList<>();
        final io.delta.kernel.Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        } catch (final TableNotFoundException e) {
            return files;
        }
        try (CloseableIterator<FilteredColumnarBatch> scan = snapshot.getScanBuilder(engine).build()
            .getScanFiles(engine)) {
            while (scan.hasNext()) {
                try (CloseableIterator<Row> rows = scan.next().getRows()) {
                    while (rows.hasNext()) {
                        files.add(InternalScanFileUtils.getAddFileStatus(rows.next()).getPath());
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(tablePath + ": cannot list the table's files", e);
        }
        return files;
    }

    /** Every row of the table's live files, in no particular order. */
    static List<LoadedRow> rows(final Engine engine, final String tablePath, final boolean withTxnId) {
        final Configuration conf = new Configuration();
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, "message bronze { optional int64 journal_index; "
            + (withTxnId ? "optional binary txn_id (UTF8); " : "") + "}");
        final List<LoadedRow> rows = new ArrayList<>();
        for (final String file : liveFiles(engine, tablePath)) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(file)).withConf(conf).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    rows.add(new LoadedRow(g.getLong("journal_index", 0), withTxnId
                        && g.getFieldRepetitionCount("txn_id") > 0 ? g.getString("txn_id", 0) : null));
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(file + ": cannot read", e);
            }
        }
        return rows;
    }

    /** Parquet files under the table's folder that its snapshot does not name: what crashes before a commit left. */
    static int orphanFiles(final Engine engine, final String tablePath) {
        final Set<String> live = new TreeSet<>();
        for (final String file : liveFiles(engine, tablePath)) {
            live.add(Path.of(URI.create(file).getPath()).toString());
        }
        final Path folder = Path.of(tablePath);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return (int) all.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log"))
                .filter(f -> !live.contains(f.toString())).count();
        } catch (final IOException e) {
            throw new UncheckedIOException(tablePath + ": cannot list its folder", e);
        }
    }
}
