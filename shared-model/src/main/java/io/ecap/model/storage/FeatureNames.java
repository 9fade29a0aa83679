package io.ecap.model.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The names of the feature vector's elements in the lake's bronze decisions table ({@code features}, an array in
 * the engine's feature catalogue order), kept once beside the tables in {@value #FILE} under the lake's root: one
 * name a line, in order. The catalogue only ever grows at its end, so a loader whose names extend the file's writes
 * its own, one whose names the file's extend leaves it, and any other difference is an error (another engine's
 * lake). The lake tailer and the Spark loader both keep it; silver names the vector's elements with it.
 */
public final class FeatureNames {
    /** Where the names are, relative to the lake's root. */
    public static final String FILE = "bronze/feature-names.txt";

    private FeatureNames() {
    }

    /** The names in the file's text. */
    public static List<String> parse(final String text) {
        final List<String> names = new ArrayList<>();
        for (final String line : text.split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        return names;
    }

    /** The file's text for {@code names}. */
    public static String text(final List<String> names) {
        return String.join("\n", names) + "\n";
    }

    /**
     * What the file should say after a loader with {@code names} has run: {@code names}' text if the file is absent
     * ({@code existing} null) or {@code names} extend it, or null when the file already says enough.
     *
     * @throws IllegalStateException when neither list extends the other
     */
    public static String merged(final String existing, final List<String> names, final String where) {
        if (existing == null) {
            return text(names);
        }
        final List<String> have = parse(existing);
        final int common = Math.min(have.size(), names.size());
        if (!have.subList(0, common).equals(names.subList(0, common))) {
            throw new IllegalStateException(where + " names other features than this engine's catalogue (neither "
                + "list extends the other): was the lake made by another ECAP? Move the lake's bronze folder away to "
                + "load the journal into new tables");
        }
        return names.size() > have.size() ? text(names) : null;
    }
}
