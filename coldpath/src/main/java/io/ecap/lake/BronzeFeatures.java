package io.ecap.lake;

import io.ecap.model.storage.FeatureNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze keeps each decision's feature values as an array in the engine's catalogue order, and the names once in the
 * lake ({@link FeatureNames}, {@code bronze/feature-names.txt}). This class reads and extends that file for the Spark
 * loader, and gives the SQL that turns the array back into the name-to-value map silver has. A lake made before the
 * arrays has a map in bronze already: silver takes it as it is.
 */
final class BronzeFeatures {
    private BronzeFeatures() {
    }

    /** The names file's list, or an empty one when the lake has none yet. */
    static List<String> names(final SparkSession spark, final Lake lake) {
        final String text = read(spark, lake);
        return text == null ? List.of() : FeatureNames.parse(text);
    }

    /** Extends the names file to {@code names} if they extend it; returns the longer of the two lists. */
    static List<String> record(final SparkSession spark, final Lake lake, final List<String> names) {
        final Path file = file(lake);
        final String text = FeatureNames.merged(read(spark, lake), names, file.toString());
        if (text == null) {
            return names(spark, lake);
        }
        write(spark, file, text);
        return names;
    }

    /** Notes the names silver has just written its rows with ({@link #asMap} checks the next run's against them). */
    static void remember(final SparkSession spark, final Lake lake) {
        final String current = read(spark, lake);
        if (current != null) {
            final String text = FeatureNames.merged(read(spark, used(lake)), FeatureNames.parse(current),
                file(lake).toString());
            if (text != null) {
                write(spark, used(lake), text);
            }
        }
    }

    /**
     * The SQL for the column {@code features} of a row of bronze decisions ({@code schema}) as silver keeps it: a
     * map from feature name to value.
     */
    static String asMap(final SparkSession spark, final Lake lake, final StructType schema) {
        if (!(schema.apply("features").dataType() instanceof ArrayType)) {
            return "features"; // a lake made before the arrays: a map already
        }
        final String text = read(spark, lake);
        if (text == null) {
            throw new IllegalStateException(file(lake) + " is missing: it names the feature values of bronze "
                + "decisions (the lake tailer and the journal loader write it); run one of them again");
        }
        // the names only grow at the end: a file that says otherwise than the names silver used last (edited, or
        // another lake's) would put values under the wrong names; one cut short loses none of them
        final String before = read(spark, used(lake));
        final List<String> names = FeatureNames.merged(before, FeatureNames.parse(text), file(lake)
            + " (against the names silver used before, " + used(lake) + ")") == null && before != null
            ? FeatureNames.parse(before) : FeatureNames.parse(text);
        if (names.isEmpty()) {
            return "CAST(map() AS MAP<STRING, DOUBLE>) AS features";
        }
        final String keys = sqlArray(names);
        final String n = "least(size(features), " + names.size() + ")";
        return "map_from_arrays(slice(" + keys + ", 1, " + n + "), slice(features, 1, " + n + ")) AS features";
    }

    /** An SQL array literal of {@code names}. */
    static String sqlArray(final List<String> names) {
        return names.stream().map(n -> "'" + n.replace("'", "\\'") + "'")
            .collect(Collectors.joining(", ", "array(", ")"));
    }

    private static Path file(final Lake lake) {
        return new Path(lake.root() + "/" + FeatureNames.FILE);
    }

    /** Silver's copy of the names it has used: they may only grow at the end from one run to the next. */
    private static Path used(final Lake lake) {
        return new Path(lake.checkpoint("silver") + "/feature-names.txt");
    }

    /**
     * The file system of {@code file}, without Hadoop's local checksum files: a names file edited by hand then reads
     * as what it says (and is judged by the rule above) instead of failing a hidden checksum.
     */
    private static FileSystem fs(final SparkSession spark, final Path file) throws IOException {
        final FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        return fs instanceof ChecksumFileSystem checked ? checked.getRawFileSystem() : fs;
    }

    private static String read(final SparkSession spark, final Lake lake) {
        return read(spark, file(lake));
    }

    private static String read(final SparkSession spark, final Path file) {
        try {
            final FileSystem fs = fs(spark, file);
            if (!fs.exists(file)) {
                return null;
            }
            try (InputStream in = fs.open(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot read the feature names", e);
        }
    }

    private static void write(final SparkSession spark, final Path file, final String text) {
        try {
            final FileSystem fs = fs(spark, file);
            final Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
            fs.mkdirs(file.getParent());
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(file)) {
                fs.delete(file, false);
            }
            if (!fs.rename(tmp, file)) {
                throw new IOException("cannot move " + tmp + " to " + file);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot write the feature names", e);
        }
    }
}
