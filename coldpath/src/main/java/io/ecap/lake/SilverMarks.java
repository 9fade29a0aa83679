package io.ecap.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How far the silver jobs have read each bronze table: the highest {@code journal_index} taken, in
 * {@code <lake>/_checkpoints/silver/<table>}. Both loaders (the lake tailer and {@code journal-to-bronze}) add a
 * table's entries in journal order, so the rows after the mark are exactly the new ones, and Delta's per-file
 * statistics on {@code journal_index} let a read of them skip every older file: a run with nothing new reads no data.
 *
 * <p>The mark moves only after the silver writes of those rows are committed; a run killed before it reads the same
 * rows again, and the silver writes (MERGEs on each row's key) take them once.
 */
final class SilverMarks {
    private final SparkSession spark;
    private final Lake lake;

    SilverMarks(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** The new rows of a bronze table: after its mark, up to its newest row now. */
    Slice newRows(final String table) {
        final long after = taken(table);
        final Dataset<Row> unread = spark.read().format("delta").load(lake.bronze(table))
            .where("journal_index > " + after);
        final Row newest = unread.selectExpr("max(journal_index)").first();
        if (newest.isNullAt(0)) {
            return new Slice(table, after, after, null);
        }
        final long upTo = newest.getLong(0);
        return new Slice(table, after, upTo, unread.where("journal_index <= " + upTo));
    }

    /** Notes that the silver jobs have every row of {@code slice}. */
    void taken(final Slice slice) {
        if (slice.isEmpty()) {
            return;
        }
        final Path file = file(slice.table());
        final Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try {
            final FileSystem fs = fs(file);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(Long.toString(slice.upTo()).getBytes(StandardCharsets.US_ASCII));
            }
            fs.delete(file, false);
            if (!fs.rename(tmp, file)) {
                throw new IOException("could not rename " + tmp + " to " + file);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": the silver mark could not be written", e);
        }
    }

    /** The highest journal index of the bronze table the silver jobs have taken ({@code -1}: none). */
    long taken(final String table) {
        final Path file = file(table);
        try {
            final FileSystem fs = fs(file);
            if (!fs.exists(file)) {
                return -1;
            }
            try (FSDataInputStream in = fs.open(file)) {
                final String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                try {
                    return Long.parseLong(text);
                } catch (final NumberFormatException e) {
                    throw new IllegalStateException(file + ": expected a journal index, found '" + text
                        + "' (delete the file to make the silver jobs read all of bronze again)", e);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": the silver mark could not be read", e);
        }
    }

    private Path file(final String table) {
        return new Path(lake.checkpoint("silver") + "/" + table);
    }

    private FileSystem fs(final Path path) throws IOException {
        return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    }

    /** Rows {@code (after, upTo]} of a bronze table; {@code rows} is null when there are none. */
    record Slice(String table, long after, long upTo, Dataset<Row> rows) {
        boolean isEmpty() {
            return rows == null;
        }
    }
}
