package io.ecap.analytics.fraud;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * How far each feature a model reads has moved between the window it was trained on and a recent window: the
 * population stability index (PSI) over the reference window's deciles. A feature's values are put in bins by the
 * reference's quantiles at 10%, 20%, ..., 90% (repeated edges merged, so a feature of a few values gets a bin per
 * value), plus one bin for missing values; with {@code r} and {@code c} the shares of the reference and current rows
 * in a bin, each floored at {@value #FLOOR} so that an empty bin counts without being infinite,
 * {@code PSI = sum (c - r) * ln(c / r)}. Read as usual: below {@value #MODERATE} stable, below {@value #LARGE}
 * moderate, from {@value #LARGE} up a large shift.
 */
public final class FeatureDrift {
    public static final double FLOOR = 1e-4;
    public static final double MODERATE = 0.1;
    public static final double LARGE = 0.25;
    /** The bin of a missing value. */
    static final int MISSING = -1;

    /** One feature's drift. */
    public record Result(String feature, double psi, long referenceRows, long currentRows, int bins) {
        public String band() {
            return FeatureDrift.band(psi);
        }
    }

    private FeatureDrift() {
    }

    public static String band(final double psi) {
        return psi < MODERATE ? "stable" : psi < LARGE ? "moderate" : "large";
    }

    /**
     * The drift of {@code features} from {@code reference} to {@code current}, two sets of rows with a
     * {@code features} map of name to value (silver transactions), most drifted first.
     */
    public static List<Result> compute(final Dataset<Row> reference, final Dataset<Row> current,
        final List<String> features) {
        final Dataset<Row> refValues = values(reference, features).cache();
        try {
            final Map<String, double[]> edges = edges(refValues);
            final Map<String, Map<Integer, Long>> refCounts = counts(refValues, edges);
            final Map<String, Map<Integer, Long>> curCounts = counts(values(current, features), edges);
            final List<Result> results = new ArrayList<>();
            for (final String feature : features) {
                final Map<Integer, Long> r = refCounts.getOrDefault(feature, Map.of());
                final Map<Integer, Long> c = curCounts.getOrDefault(feature, Map.of());
                results.add(new Result(feature, psi(r, c), total(r), total(c),
                    edges.getOrDefault(feature, new double[0]).length + 2));
            }
            results.sort((a, b) -> Double.compare(b.psi(), a.psi()));
            return results;
        } finally {
            refValues.unpersist();
        }
    }

    /** PSI of two histograms over the same bins (bin to count). */
    public static double psi(final Map<Integer, Long> reference, final Map<Integer, Long> current) {
        final long r = total(reference);
        final long c = total(current);
        if (r == 0 || c == 0) {
            return Double.NaN;
        }
        final java.util.Set<Integer> bins = new java.util.TreeSet<>(reference.keySet());
        bins.addAll(current.keySet());
        double psi = 0;
        for (final int bin : bins) {
            final double p = Math.max(FLOOR, reference.getOrDefault(bin, 0L) / (double) r);
            final double q = Math.max(FLOOR, current.getOrDefault(bin, 0L) / (double) c);
            psi += (q - p) * Math.log(q / p);
        }
        return psi;
    }

    private static long total(final Map<Integer, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One row per transaction and feature: {@code feature}, {@code value} (null when missing or not a number). */
    private static Dataset<Row> values(final Dataset<Row> rows, final List<String> features) {
        return rows.select(functions.explode(functions.array(features.stream().map(f -> functions.struct(
                functions.lit(f).as("feature"), functions.col("features").getItem(f).as("value")))
            .toArray(org.apache.spark.sql.Column[]::new))).as("v"))
            .selectExpr("v.feature AS feature", "CASE WHEN isnan(v.value) THEN NULL ELSE v.value END AS value");
    }

    /** Per feature, the reference's deciles, repeated ones merged, ascending. */
    private static Map<String, double[]> edges(final Dataset<Row> refValues) {
        final Map<String, double[]> edges = new HashMap<>();
        for (final Row r : refValues.where("value IS NOT NULL").groupBy("feature")
            .agg(functions.expr("percentile_approx(value, array(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), "
                + "100000)").as("q")).collectAsList()) {
            final List<Double> q = r.getList(1);
            edges.put(r.getString(0), q.stream().mapToDouble(Double::doubleValue).distinct().sorted().toArray());
        }
        return edges;
    }

    /** Per feature, rows per bin: the number of edges at or below the value, or {@link #MISSING}. */
    private static Map<String, Map<Integer, Long>> counts(final Dataset<Row> values,
        final Map<String, double[]> edges) {
        final List<Row> table = new ArrayList<>();
        edges.forEach((feature, e) -> table.add(org.apache.spark.sql.RowFactory.create(feature,
            java.util.Arrays.stream(e).boxed().toList())));
        final Dataset<Row> edgeRows = values.sparkSession().createDataFrame(table,
            (org.apache.spark.sql.types.StructType) org.apache.spark.sql.types.DataType.fromDDL(
                "feature STRING, edges ARRAY<DOUBLE>"));
        final Map<String, Map<Integer, Long>> counts = new HashMap<>();
        // a feature without reference values has no edges: its values then share one bin, apart from missing ones
        for (final Row r : values.join(functions.broadcast(edgeRows), values.col("feature")
                .equalTo(edgeRows.col("feature")), "left")
            .select(values.col("feature"), functions.expr("CASE WHEN value IS NULL THEN " + MISSING
                + " WHEN edges IS NULL THEN 0 ELSE size(filter(edges, e -> e <= value)) END").as("bin"))
            .groupBy("feature", "bin").count().collectAsList()) {
            counts.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
        }
        return counts;
    }
}
