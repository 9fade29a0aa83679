package io.ecap.lake;

import io.ecap.analytics.fraud.FeatureDrift;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * {@code drift}: how far the features a trained model reads have moved since the window it was trained on
 * ({@link FeatureDrift}): the model's training window (gold {@code fraud_models}) against the last {@code --days} days
 * up to the as-of day, from silver transactions, into gold {@code feature_drift}; exits 1 when a feature's PSI reaches
 * the bar ({@code --max-psi}, default {@value FeatureDrift#LARGE}), naming it, as data-quality does for its checks.
 */
final class DriftJob {
    static final String OPTIONS = "--as-of --model --days --max-psi";
    private static final StructType ROWS = (StructType) DataType.fromDDL("model STRING, feature STRING, psi DOUBLE, "
        + "band STRING, bins INT, reference_rows BIGINT, current_rows BIGINT, reference_from TIMESTAMP, "
        + "reference_to TIMESTAMP, current_from DATE, current_to DATE");

    /** The options, checked before Spark starts. */
    record Options(LocalDate asOf, String model, int days, double maxPsi) {
        static Options parse(final Map<String, String> options) {
            final String model = options.get("--model");
            if (model != null && !model.matches("[^@\\s]+@[^@\\s]+")) {
                throw new IllegalArgumentException("--model: expected NAME@VERSION as gold/fraud_models lists it "
                    + "(fraud-lr@2026-12-01.1), found '" + model + "'");
            }
            final int days = LakeMain.days(options, "--days", 7);
            double maxPsi = FeatureDrift.LARGE;
            final String bar = options.get("--max-psi");
            if (bar != null) {
                try {
                    maxPsi = Double.parseDouble(bar);
                } catch (final NumberFormatException e) {
                    maxPsi = Double.NaN;
                }
                if (!(maxPsi > 0 && maxPsi <= 100)) {
                    throw new IllegalArgumentException("--max-psi: expected a number above 0 (0.25 is a large shift),"
                        + " found '" + bar + "'");
                }
            }
            return new Options(AsOf.notInTheFuture(LakeMain.date(options, "--as-of", null)), model, days,
                maxPsi);
        }
    }

    private final SparkSession spark;
    private final Lake lake;

    DriftJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** Returns the exit code: 0, or 1 when a feature reached the bar. */
    int run(final Options options) throws IOException {
        if (!DeltaWrites.exists(spark, lake.gold("fraud_models"))) {
            throw new IllegalArgumentException("drift: no gold/fraud_models in " + lake.root() + ": train a model "
                + "first (ecap lake train-fraud); drift is measured against its training window");
        }
        if (!DeltaWrites.exists(spark, lake.silver("transactions"))) {
            throw new IllegalArgumentException("drift: no silver/transactions in " + lake.root()
                + " (ecap lake bronze-to-silver makes it)");
        }
        final Dataset<Row> transactions = spark.read().format("delta").load(lake.silver("transactions"));
        final LocalDate asOf = AsOf.orLast(options.asOf(), transactions, "event_date", "drift");
        final LocalDate first = asOf.minusDays(options.days() - 1L);
        final Row model = model(options.model() != null ? options.model() : live(transactions, first, asOf));
        final String label = model.getString(0) + "@" + model.getString(1);
        final java.sql.Timestamp from = model.getTimestamp(2);
        final java.sql.Timestamp to = model.getTimestamp(3);
        final List<String> features = model.getList(4);
        final Dataset<Row> reference = transactions.where(String.format(Locale.ROOT,
            "event_ts >= TIMESTAMP'%s' AND event_ts < TIMESTAMP'%s'", from, to));
        final Dataset<Row> current = transactions.where("event_date BETWEEN DATE'" + first + "' AND DATE'" + asOf
            + "'");
        final List<FeatureDrift.Result> results = FeatureDrift.compute(reference, current, features);
        if (results.isEmpty() || results.get(0).referenceRows() == 0) {
            throw new IllegalArgumentException("drift: no transaction of " + label + "'s training window (" + from
                + " to " + to + ") is in silver/transactions any more");
        }
        if (results.get(0).currentRows() == 0) {
            throw new IllegalArgumentException("drift: no transaction from " + first + " to " + asOf + " (--days "
                + options.days() + " up to the as-of day) to compare with");
        }
        final List<Row> rows = new ArrayList<>();
        for (final FeatureDrift.Result r : results) {
            rows.add(RowFactory.create(label, r.feature(), r.psi(), r.band(), r.bins(), r.referenceRows(),
                r.currentRows(), from, to, java.sql.Date.valueOf(first), java.sql.Date.valueOf(asOf)));
        }
        DeltaWrites.replaceDay(spark, spark.createDataFrame(rows, ROWS), lake.gold("feature_drift"), asOf);
        return print(label, from, to, first, asOf, results, options.maxPsi());
    }

    /**
     * The model that decided the last transaction of the window, as {@code name@version}, when gold/fraud_models has
     * it: the one deciding now, whose drift matters (the newest trained may never have gone live). Null if none.
     */
    private String live(final Dataset<Row> transactions, final LocalDate first, final LocalDate asOf) {
        if (!java.util.Arrays.asList(transactions.columns()).contains("model_version")) {
            return null;
        }
        final List<Row> last = transactions.where("event_date BETWEEN DATE'" + first + "' AND DATE'" + asOf + "' AND "
            + "model_version IS NOT NULL AND model_version != 'none'").orderBy(org.apache.spark.sql.functions
            .desc("event_ts")).select("model_version").limit(1).collectAsList();
        if (last.isEmpty()) {
            return null;
        }
        final String version = last.get(0).getString(0);
        final String[] parts = version.split("@", 2);
        final boolean trained = parts.length == 2 && !spark.read().format("delta").load(lake.gold("fraud_models"))
            .where(org.apache.spark.sql.functions.col("name").equalTo(parts[0])
                .and(org.apache.spark.sql.functions.col("version").equalTo(parts[1]))).isEmpty();
        return trained ? version : null;
    }

    /**
     * The named model's registry row, or (null) the newest trained: name, version, train_from, test_from, features.
     */
    private Row model(final String named) {
        Dataset<Row> models = spark.read().format("delta").load(lake.gold("fraud_models"));
        if (named != null) {
            final String[] parts = named.split("@", 2);
            models = models.where(org.apache.spark.sql.functions.col("name").equalTo(parts[0])
                .and(org.apache.spark.sql.functions.col("version").equalTo(parts[1])));
        }
        final List<Row> found = models.orderBy(org.apache.spark.sql.functions.desc("trained_at"))
            .select("name", "version", "train_from", "test_from", "features").limit(1).collectAsList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("drift: " + (named == null ? "no model" : "no model " + named)
                + " in gold/fraud_models (ecap lake show --table gold/fraud_models --columns name,version lists them)");
        }
        return found.get(0);
    }

    private static int print(final String label, final java.sql.Timestamp from, final java.sql.Timestamp to,
        final LocalDate first, final LocalDate asOf, final List<FeatureDrift.Result> results, final double bar) {
        final long stable = results.stream().filter(r -> r.psi() < FeatureDrift.MODERATE).count();
        final long large = results.stream().filter(r -> r.psi() >= FeatureDrift.LARGE).count();
        System.out.printf("drift: %s, trained on %s to %s (%,d transactions) against %s to %s (%,d): %d features, "
            + "%d stable, %d moderate, %d large%n", label, from.toString().substring(0, 10),
            to.toString().substring(0, 10), results.get(0).referenceRows(), first, asOf,
            results.get(0).currentRows(), results.size(), stable, results.size() - stable - large, large);
        for (final FeatureDrift.Result r : results.subList(0, Math.min(5, results.size()))) {
            System.out.printf(Locale.ROOT, "  %-36s PSI %7.3f  %s%n", r.feature(), r.psi(), r.band());
        }
        final List<String> over = results.stream().filter(r -> r.psi() >= bar).map(FeatureDrift.Result::feature)
            .toList();
        if (!over.isEmpty()) {
            System.out.printf(Locale.ROOT, "drift: %d feature(s) at or over the bar of PSI %.2f: %s; the model sees "
                + "other traffic than it learned from (retrain, or look at what changed)%n", over.size(), bar,
                String.join(", ", over));
            return 1;
        }
        System.out.println("drift: every feature within the bar; gold feature_drift has them all");
        return 0;
    }
}
