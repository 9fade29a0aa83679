package io.ecap.model.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the ECAP model file format (docs/MODEL_FORMAT.md). Line-oriented; {@code #} starts a comment.
 *
 * <pre>
 * ecap-model 1
 * name fraud-lr
 * version 2026-11-24.1
 * type logistic                       # or gbt
 * features txn.amount_usd card.count_1h customer.amount_zscore
 *
 * # logistic:
 * intercept -4.2
 * weights 0.0012 0.31 0.5
 * missing 0 0 0                       # optional, value used for a missing input (default 0)
 * lower 0 0 -inf                      # optional, each input raised to at least this (default -inf)
 * upper 5000 40 inf                    # optional, each input lowered to at most this (default inf)
 *
 * # gbt:
 * base_score -2.1                     # log-odds added to the sum of the trees
 * tree 0 nodes 3
 * node 0 split 1 12.5 1 2 yes         # id, feature position, threshold, yes child (x &lt; t), no child, missing
 * node 1 leaf 0.124
 * node 2 leaf -0.03
 * </pre>
 *
 * Children must have higher ids than their parent within a tree, so every tree is finite. Feature names are resolved
 * by the {@link FeatureNames} given: the engine's catalog in the engine, the trained model's own list in the cold path,
 * so both evaluate a model file with this very code.
 */
public final class ModelParser {
    public static final int MAX_NODES = 1_000_000;
    /**
     * Trees in one model at most: the writer walks every tree for every transaction (100 trees of depth 6 cost about
     * 1.7 µs, docs/PERFORMANCE.md), a challenger in the shadow included, so the count bounds what a model can add to
     * each decision; {@code ecap lake train-fraud} trains no more.
     */
    public static final int MAX_TREES = 1000;
    /** Splits on a tree's longest path at most (Spark's deepest tree). */
    public static final int MAX_DEPTH = 30;

    private final String[] lines;
    private final FeatureNames names;
    /** A text from the journal: read as the version that journaled it did (see {@link #parseJournaled}). */
    private final boolean journaled;
    private int lineNo;

    private ModelParser(final String text, final FeatureNames names, final boolean journaled) {
        this.lines = text.split("\n", -1);
        this.names = names;
        this.journaled = journaled;
    }

    /** Reads a model file whose features are positions in the vectors {@code names} describes. */
    public static Model parse(final String text, final FeatureNames names) throws ModelException {
        return parse(text, names, false);
    }

    /**
     * Reads a model text an engine journaled when it went live, which an earlier version may have accepted under
     * looser rules than {@link #parse} has now (a header with more after its version, '@' in a name or a version,
     * numbers in Java's other forms such as {@code 0x1p3} or {@code 5000f}, an infinite bound on either side): a
     * replay, a recovery and a backtest read the journal as it is, so the model scores as it did.
     */
    public static Model parseJournaled(final String text, final FeatureNames names) throws ModelException {
        return parse(text, names, true);
    }

    private static Model parse(final String text, final FeatureNames names, final boolean journaled)
        throws ModelException {
        // a byte-order mark some editors put first is not part of the model
        final String model = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return new ModelParser(model, names, journaled).parseModel(model);
    }

    private Model parseModel(final String text) throws ModelException {
        expectHeader("ecap-model", 1);
        final String[] header = expectKey("ecap-model");
        if (!"1".equals(journaled ? value(header) : single(header, "ecap-model"))) {
            throw new ModelException(lineNo, "unsupported format version (expected 'ecap-model 1')");
        }
        final String name = word(single(expectKey("name"), "name"), "name");
        final String version = word(single(expectKey("version"), "version"), "version");
        if ((name + "@" + version).length() > 64) {
            throw new ModelException(lineNo, "name and version take at most 63 characters together");
        }
        final String type = single(expectKey("type"), "type");
        if (!type.equals("logistic") && !type.equals("gbt")) {
            throw new ModelException(lineNo, "type must be logistic or gbt, found '" + type + "'");
        }
        final String[] featureLine = expectKey("features");
        final int[] features = features(featureLine);
        featureNames = java.util.Arrays.copyOfRange(featureLine, 1, featureLine.length);
        final String label = name + "@" + version;
        return type.equals("logistic") ? logistic(label, text, features) : trees(label, text, features);
    }

    /** A name or a version: letters, digits, '.', '_' or '-' (decisions carry them joined by '@'). */
    private String word(final String value, final String key) throws ModelException {
        if (!value.matches(journaled ? "[A-Za-z0-9._@-]+" : "[A-Za-z0-9._-]+")) {
            throw new ModelException(lineNo, key + " is letters, digits, '.', '_' or '-', found '" + value + "'");
        }
        return value;
    }

    /** The features' names as the file lists them, for messages. */
    private String[] featureNames;

    private Model logistic(final String label, final String text, final int[] features) throws ModelException {
        final double intercept = number(single(expectKey("intercept"), "intercept"));
        final double[] weights = numbers(expectKey("weights"), features.length, "weights");
        double[] missing = null;
        double[] lower = null;
        double[] upper = null;
        int boundsLine = 0;
        for (String[] line = nextLine(); line != null; line = nextLine()) {
            boundsLine = line[0].equals("lower") || line[0].equals("upper") ? lineNo : boundsLine;
            switch (line[0]) {
                case "missing" -> missing = once(missing, numbers(line, features.length, "missing"), "missing");
                case "lower" -> lower = once(lower, bounds(line, features.length, "lower"), "lower");
                case "upper" -> upper = once(upper, bounds(line, features.length, "upper"), "upper");
                default -> throw new ModelException(lineNo, "unexpected '" + line[0] + "' after weights (a logistic "
                    + "model ends with optional 'missing', 'lower' and 'upper' lines)");
            }
        }
        lower = lower != null ? lower : filled(features.length, Double.NEGATIVE_INFINITY);
        upper = upper != null ? upper : filled(features.length, Double.POSITIVE_INFINITY);
        for (int i = 0; i < features.length; i++) {
            if (!(lower[i] <= upper[i])) {
                throw new ModelException(boundsLine, featureNames[i] + " has a lower bound " + lower[i]
                    + " above its upper bound " + upper[i]);
            }
        }
        return new LogisticModel(label, text, features, intercept, weights,
            missing != null ? missing : new double[features.length], lower, upper);
    }

    private double[] once(final double[] before, final double[] values, final String key) throws ModelException {
        if (before != null) {
            throw new ModelException(lineNo, "'" + key + "' is given twice");
        }
        return values;
    }

    /** Bounds of the features: finite numbers, or {@code -inf} for no lower one and {@code inf} for no upper one. */
    private double[] bounds(final String[] line, final int count, final String key) throws ModelException {
        if (line.length != count + 1) {
            throw new ModelException(lineNo, "'" + key + "' needs " + count + " bounds (one per feature), found "
                + (line.length - 1));
        }
        final String none = key.equals("lower") ? "-inf" : "inf";
        final double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            if (line[i + 1].equals("inf") || line[i + 1].equals("-inf")) {
                if (journaled) { // an earlier version took either on either side
                    values[i] = line[i + 1].equals("inf") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    continue;
                }
                if (!line[i + 1].equals(none)) {
                    throw new ModelException(lineNo, "'" + key + "' of " + featureNames[i] + " is " + line[i + 1]
                        + ": a bound is a finite number, or " + none + " for none");
                }
                values[i] = key.equals("lower") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            } else {
                values[i] = number(line[i + 1]);
            }
        }
        return values;
    }

    private static double[] filled(final int count, final double value) {
        final double[] values = new double[count];
        Arrays.fill(values, value);
        return values;
    }

    private Model trees(final String label, final String text, final int[] features) throws ModelException {
        final double base = number(single(expectKey("base_score"), "base_score"));
        final List<Integer> roots = new ArrayList<>();
        final NodeBuilder nodes = new NodeBuilder();
        String[] line = nextLine();
        while (line != null) {
            if (List.of("missing", "lower", "upper", "intercept", "weights").contains(line[0])) {
                throw new ModelException(lineNo, "'" + line[0] + "' is for logistic models; a gbt model has "
                    + "base_score and trees (a missing value's way is in each split)");
            }
            if (!line[0].equals("tree") || line.length != 4 || !line[2].equals("nodes")) {
                throw new ModelException(lineNo, "expected 'tree <n> nodes <count>'");
            }
            if (integer(line[1]) != roots.size()) {
                throw new ModelException(lineNo, "trees must be numbered 0, 1, 2... (expected " + roots.size() + ")");
            }
            if (roots.size() == MAX_TREES) {
                throw new ModelException(lineNo, "a gbt model has at most " + MAX_TREES + " trees (each one is walked "
                    + "for every transaction)");
            }
            final int treeLine = lineNo;
            final int count = integer(line[3]);
            if (count < 1 || nodes.size() + count > MAX_NODES) {
                throw new ModelException(lineNo, "a tree has 1 to " + MAX_NODES + " nodes in all");
            }
            roots.add(nodes.size());
            for (int id = 0; id < count; id++) {
                final String[] node = nextLine();
                if (node == null) {
                    throw new ModelException(lineNo, "tree " + (roots.size() - 1) + " has fewer than " + count
                        + " nodes");
                }
                nodes.add(node, id, count, features.length, this);
            }
            final int depth = nodes.depthOfLast(count);
            if (depth > MAX_DEPTH) {
                throw new ModelException(treeLine, "tree " + (roots.size() - 1) + " is " + depth + " splits deep; at "
                    + "most " + MAX_DEPTH + " (each tree is walked for every transaction)");
            }
            line = nextLine();
        }
        if (roots.isEmpty()) {
            throw new ModelException(lineNo, "a gbt model needs at least one tree");
        }
        return new TreeEnsembleModel(label, text, features, base, roots.stream().mapToInt(Integer::intValue).toArray(),
            nodes.build());
    }

    int lineNo() {
        return lineNo;
    }

    private void expectHeader(final String key, final int line) throws ModelException {
        final String[] first = peekLine();
        if (first == null || !first[0].equals(key)) {
            throw new ModelException(line, "not an ECAP model file (it must start with 'ecap-model 1')");
        }
    }

    private String[] peekLine() {
        final int saved = lineNo;
        final String[] line = nextLine();
        lineNo = saved;
        return line;
    }

    /** The next non-empty line split on white space, comments removed, or null at the end. */
    private String[] nextLine() {
        while (lineNo < lines.length) {
            String line = lines[lineNo++];
            final int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (!line.isEmpty()) {
                return line.split("\\s+");
            }
        }
        return null;
    }

    private String[] expectKey(final String key) throws ModelException {
        final String[] line = nextLine();
        if (line == null || !line[0].equals(key)) {
            throw new ModelException(lineNo, "expected '" + key + " ...'" + (line == null ? " before the end"
                : ", found '" + line[0] + "'"));
        }
        return line;
    }

    private String single(final String[] line, final String key) throws ModelException {
        if (line.length != 2) {
            throw new ModelException(lineNo, "'" + key + "' takes exactly one value");
        }
        return line[1];
    }

    private static String value(final String[] line) {
        return line.length > 1 ? line[1] : "";
    }

    private int[] features(final String[] line) throws ModelException {
        if (line.length < 2) {
            throw new ModelException(lineNo, "'features' lists at least one feature");
        }
        final int[] indexes = new int[line.length - 1];
        for (int i = 1; i < line.length; i++) {
            indexes[i - 1] = names.indexOf(line[i]);
            if (indexes[i - 1] < 0) {
                final String hint = names.closest(line[i]);
                throw new ModelException(lineNo, "unknown feature '" + line[i] + "'"
                    + (hint == null ? "" : " (did you mean " + hint + "?)"));
            }
            for (int j = 1; j < i; j++) {
                if (line[j].equals(line[i])) {
                    throw new ModelException(lineNo, "feature '" + line[i] + "' is listed twice (positions " + (j - 1)
                        + " and " + (i - 1) + ")");
                }
            }
        }
        return indexes;
    }

    private double[] numbers(final String[] line, final int count, final String key) throws ModelException {
        if (line.length != count + 1) {
            throw new ModelException(lineNo, "'" + key + "' needs " + count + " numbers (one per feature), found "
                + (line.length - 1));
        }
        final double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = number(line[i + 1]);
        }
        return values;
    }

    /** A decimal number as Java, Spark and Python write them: digits, a point, an exponent; no hex, no suffix. */
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    double number(final String text) throws ModelException {
        try {
            if (!journaled && !DECIMAL.matcher(text).matches()) {
                throw new NumberFormatException(text);
            }
            final double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new ModelException(lineNo, "'" + text + "' is not a finite number");
    }

    int integer(final String text) throws ModelException {
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new ModelException(lineNo, "'" + text + "' is not a whole number");
        }
    }
}
