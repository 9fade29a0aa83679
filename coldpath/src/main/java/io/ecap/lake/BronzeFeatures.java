package io.ecap.lake;

import io.ecap.model.storage.FeatureNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
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
        try {
            final FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            final Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(file)) {
                fs.delete(file, false);
            }
            if (!fs.rename(tmp, file)) {
                throw new IOException("cannot move " + tmp + " to " + file);
            }
            return names;
        } catch (final IOException e) {
            throw new UncheckedIOException(file + ": cannot write the feature names", e);
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
        final List<String> names = FeatureNames.parse(text);
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

    private static String read(final SparkSession spark, final Lake lake) {
        final Path file = file(lake);
        try {
            final FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
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
}
