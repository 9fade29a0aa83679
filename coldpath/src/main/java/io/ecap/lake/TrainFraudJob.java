package io.ecap.lake;

import io.ecap.analytics.fraud.ChampionCheck;
import io.ecap.analytics.fraud.FraudExamples;
import io.ecap.analytics.fraud.FraudTraining;
import io.ecap.analytics.fraud.ModelExport;
import io.ecap.analytics.fraud.ModelParity;
import io.ecap.analytics.fraud.RankMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * {@code train-fraud}: trains a fraud model on silver ({@link FraudExamples}, {@link FraudTraining}), measures it on
 * the held-out newest part, writes it in the engine's model format to the registry,
 * {@code <lake>/models/<name>/<as-of>.<n>.model} ({@code n} counts the models trained for that day), and adds its
 * metadata and metrics to {@code gold/fraud_models}. The file is read back with the engine's own parser and
 * evaluator and must give Spark's probabilities ({@link ModelParity}) before it is written: a model that would score
 * differently in the engine is exit code 1 and leaves nothing behind. A model that does worse than its champion
 * ({@code --champion}, or the live model of {@code --promote}) is written and listed, not promoted, and the job exits
 * with {@link #WORSE_THAN_CHAMPION}, so that a schedule can tell it from a promotion and from a failure.
 */
final class TrainFraudJob {
    static final StructType REGISTRY = (StructType) DataType.fromDDL("name STRING, version STRING, "
        + "model_type STRING, path STRING, as_of DATE, maturity_days INT, train_from TIMESTAMP, test_from TIMESTAMP, "
        + "test_to TIMESTAMP, train_rows BIGINT, train_frauds BIGINT, test_rows BIGINT, test_frauds BIGINT, "
        + "fraud_weight DOUBLE, features ARRAY<STRING>, roc_auc DOUBLE, pr_auc DOUBLE, review_share DOUBLE, "
        + "precision_at_review DOUBLE, recall_at_review DOUBLE, decline_thresholds MAP<DOUBLE, DOUBLE>, "
        + "parity_rows BIGINT, parity_max_difference DOUBLE, trained_at TIMESTAMP");
    /** The exit code of a run whose model does worse than its champion (or, with none, than chance). */
    static final int WORSE_THAN_CHAMPION = 3;
    /** Held-out examples compared with the engine's evaluator. */
    static final int PARITY_ROWS = 20_000;

    private final SparkSession spark;
    private final Lake lake;

    TrainFraudJob(final SparkSession spark, final Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** What a run made: the model file, its registry row; whether it does worse than its champion. */
    record Trained(String path, String text, Row registry, boolean worseThanChampion) {
        int exitCode() {
            return worseThanChampion ? WORSE_THAN_CHAMPION : 0;
        }
    }

    Trained run(final TrainFraudOptions options) throws IOException {
        for (final String table : List.of("transactions", "labels")) {
            if (!DeltaWrites.exists(spark, lake.silver(table))) {
                throw new IllegalArgumentException("train-fraud: no silver/" + table + " in " + lake.root()
                    + (table.equals("labels") ? ": no label has reached the lake (chargebacks and analyst verdicts "
                    + "are journaled as LABEL entries); nothing to learn from" : "")
                    + " (ecap lake bronze-to-silver makes it from the staged journal)");
            }
        }
        final Dataset<Row> transactions = spark.read().format("delta").load(lake.silver("transactions"));
        final LocalDate asOf = AsOf.orLast(options.asOf(), transactions, "event_date", "train-fraud");
        final Dataset<Row> examples = FraudExamples.of(transactions,
            spark.read().format("delta").load(lake.silver("labels")), asOf, options.maturityDays()).cache();
        try {
            final Row counts = examples.selectExpr("count(*)", "coalesce(sum(label), 0)").first();
            final LocalDate last = FraudExamples.lastMatureDay(asOf, options.maturityDays());
            if (counts.getDouble(1) == 0) {
                throw new IllegalStateException("train-fraud: no transaction up to " + last + " (" + asOf + " less "
                    + options.maturityDays() + " days of label maturity) has a FRAUD label known on " + asOf + "; "
                    + counts.getLong(0) + " examples, nothing to learn from (a shorter --maturity-days, a later "
                    + "--as-of, or labels: chargebacks and analyst verdicts)");
            }
            if (options.champion() != null) {
                final List<String> unknown = ChampionCheck.unknownFeatures(options.champion(),
                    FraudTraining.keys(examples, FraudTraining.Kind.GBT));
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("--champion: " + String.join(", ", unknown) + ": in no example "
                        + "of silver/transactions (not a feature the engine computes, which would refuse the model; "
                        + "`ecap features` lists them)");
                }
            }
            System.out.printf("train-fraud: as of %s, transactions up to %s (labels matured %d days): %,d examples, "
                + "%,d fraud%n", asOf, last, options.maturityDays(), counts.getLong(0), (long) counts.getDouble(1));
            return train(options, asOf, examples);
        } finally {
            examples.unpersist();
        }
    }

    private Trained train(final TrainFraudOptions options, final LocalDate asOf, final Dataset<Row> examples)
        throws IOException {
        final FraudTraining.Fitted fitted = FraudTraining.fit(examples, options.settings());
        final Dataset<Row> test = fitted.test().cache();
        try {
            final List<Row> scores = test.select("p", "label").collectAsList();
            final double[] p = scores.stream().mapToDouble(r -> r.getDouble(0)).toArray();
            final boolean[] fraud = new boolean[p.length];
            int frauds = 0;
            for (int i = 0; i < p.length; i++) {
                fraud[i] = scores.get(i).getDouble(1) == 1.0;
                frauds += fraud[i] ? 1 : 0;
            }
            if (frauds == 0) {
                throw new IllegalStateException("train-fraud: the held-out part (" + fitted.testFrom() + " to "
                    + fitted.testTo() + ", " + p.length + " examples) has no fraud to measure the model on (more "
                    + "history, or a larger --test-percent)");
            }
            final RankMetrics ranks = new RankMetrics(p, fraud);
            final double[] areas = FraudTraining.areas(test);
            final String name = options.kind().modelName();
            final String version = nextVersion(name, asOf);
            final Map<Double, Double> thresholds = ranks.thresholds(options.declineShares());
            final List<String> comments = comments(options, asOf, fitted, ranks, areas, thresholds);
            final double offset = fitted.logOddsOffset();
            final String text = options.kind() == FraudTraining.Kind.LR
                ? ModelExport.logistic(name, version, fitted.features(), (LogisticRegressionModel) fitted.model(),
                    fitted.fill(), fitted.lower(), fitted.upper(), offset, comments)
                : ModelExport.trees(name, version, fitted.features(), (GBTClassificationModel) fitted.model(),
                    FraudTraining.TREE_MISSING, offset, comments);
            final ModelParity.Result parity = ModelParity.check(fitted.features(), fitted.model(), test, text,
                PARITY_ROWS);
            if (!parity.agrees()) {
                throw new IllegalStateException("train-fraud: the exported model does not score as Spark does "
                    + parity + "; nothing written");
            }
            final String path = lake.models(name) + "/" + version + ".model";
            write(path, text);
            final Row row = RowFactory.create(name, version, options.kind() == FraudTraining.Kind.LR ? "logistic"
                : "gbt", path, Date.valueOf(asOf), options.maturityDays(), fitted.trainFrom(), fitted.testFrom(),
                fitted.testTo(), fitted.trainRows(), fitted.trainFrauds(), (long) p.length, ranks.frauds(),
                fitted.fraudWeight(), fitted.features(), areas[0], areas[1],
                options.reviewShare(), ranks.precisionAt(options.reviewShare()),
                ranks.recallAt(options.reviewShare()), thresholds,
                parity.rows(), parity.maxDifference(), Timestamp.from(Instant.now()));
            DeltaWrites.insertNew(spark, spark.createDataFrame(List.of(row), REGISTRY), lake.gold("fraud_models"),
                "t.name = s.name AND t.version = s.version");
            comments.forEach(line -> System.out.println("train-fraud: " + line));
            System.out.printf("train-fraud: engine and Spark agree on %,d held-out examples (largest difference of "
                + "probability %.2e%s)%n", parity.rows(), parity.maxDifference(),
                options.kind() == FraudTraining.Kind.GBT ? ", every tree in the same leaf" : "");
            System.out.printf("train-fraud: %s@%s in %s; put it live with POST /v1/admin/models or "
                + "engine.model=FILE (docs/TRAINING.md)%n", name, version, path);
            final boolean worse = guard(options, test, areas, text, name + "@" + version);
            return new Trained(path, text, row, worse);
        } finally {
            test.unpersist();
        }
    }

    /**
     * With a champion (--champion, or the model live in the service of --promote), scores it on the same held-out
     * examples and says which does better; with --promote, puts the new model live unless it does worse. Returns
     * whether it does worse.
     */
    private static boolean guard(final TrainFraudOptions options, final Dataset<Row> test, final double[] areas,
        final String text, final String label) throws IOException {
        final double prAuc = areas[1];
        final Promotion service = options.promote() == null ? null : new Promotion(options.promote(),
            options.adminKey());
        try {
            final String champion = options.champion() != null ? options.champion()
                : service != null ? service.liveModel() : null;
            ChampionCheck.Verdict verdict = null;
            if (champion != null) {
                verdict = ChampionCheck.judge(champion, test, prAuc);
                System.out.printf(Locale.ROOT, "train-fraud: the champion %s on the same held-out examples: ROC-AUC "
                    + "%.4f, PR-AUC %.4f against %.4f: %s%n", verdict.champion(), verdict.rocAuc(), verdict.prAuc(),
                    prAuc, verdict.newIsBetter() ? "the new model does at least as well; promote it"
                        : "the new model does worse; keep " + verdict.champion() + " live");
            }
            // with nothing to compare with, a model that ranks the held-out examples no better than chance (a
            // constant, from a degenerate fit) is still no model to put live
            final boolean chance = areas[0] <= 0.5;
            final boolean worse = verdict != null ? !verdict.newIsBetter() : service != null && chance;
            if (verdict == null && chance) {
                System.out.printf(Locale.ROOT, "train-fraud: the new model ranks the held-out examples no better than "
                    + "chance (ROC-AUC %.4f)%n", areas[0]);
            }
            if (service == null) {
                return worse;
            }
            if (worse) {
                System.out.printf("train-fraud: not promoted: %s on %s (exit code %d)%n", verdict != null
                    ? verdict.champion() + " stays live" : "no better than chance, and no model live",
                    options.promote(), WORSE_THAN_CHAMPION);
                return true;
            }
            System.out.printf("train-fraud: promoted %s on %s%s: %s%n", label, options.promote(), champion == null
                ? " (no model was live)" : "", service.promote(text));
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("train-fraud --promote: interrupted", e);
        }
    }

    private static List<String> comments(final TrainFraudOptions options, final LocalDate asOf,
        final FraudTraining.Fitted fitted, final RankMetrics ranks, final double[] areas,
        final Map<Double, Double> thresholds) {
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "trained by ecap lake train-fraud as of %s: transactions up to %s "
            + "(labels matured %d days)", asOf, FraudExamples.lastMatureDay(asOf, options.maturityDays()),
            options.maturityDays()));
        lines.add(String.format(Locale.ROOT, "training: %s to %s, %,d examples, %,d fraud, fraud weight %.4f (log-odds "
            + "corrected by %.6f)", fitted.trainFrom().toInstant(), fitted.testFrom().toInstant(), fitted.trainRows(),
            fitted.trainFrauds(), fitted.fraudWeight(), fitted.logOddsOffset()));
        lines.add(String.format(Locale.ROOT, "held out: %s to %s, %,d examples, %,d fraud: ROC-AUC %.4f, PR-AUC %.4f",
            fitted.testFrom().toInstant(), fitted.testTo().toInstant(), ranks.size(), ranks.frauds(), areas[0],
            areas[1]));
        lines.add(String.format(Locale.ROOT, "held out calibration: mean probability %.4f against a fraud rate of %.4f",
            ranks.meanScore(), (double) ranks.frauds() / ranks.size()));
        lines.add(String.format(Locale.ROOT, "review capacity %s%% (top %,d): precision %.4f, recall %.4f",
            percent(options.reviewShare()), ranks.top(options.reviewShare()), ranks.precisionAt(options.reviewShare()),
            ranks.recallAt(options.reviewShare())));
        final StringBuilder declines = new StringBuilder("probability thresholds for decline rates:");
        thresholds.forEach((share, threshold) -> {
            declines.append(String.format(Locale.ROOT, " %s%% >= %.6f", percent(share), threshold));
            final double actual = ranks.shareAtOrAbove(threshold);
            if (actual > share + 0.0005) { // scores tie at the threshold: declining from it declines more
                declines.append(String.format(Locale.ROOT, " (declines %s%% of the held out: scores tie there)",
                    percent(Math.round(actual * 10_000) / 10_000.0)));
            }
        });
        lines.add(declines.toString());
        return lines;
    }

    private static String percent(final double share) {
        // ten significant digits: 0.0205 is "2.05", not the "2.0500000000000003" of share * 100 in binary
        return new java.math.BigDecimal(share * 100).round(new java.math.MathContext(10)).stripTrailingZeros()
            .toPlainString();
    }

    /** {@code <as-of>.<n>}: one more than the models of that family already trained for the day. */
    private String nextVersion(final String name, final LocalDate asOf) throws IOException {
        final Path folder = new Path(lake.models(name));
        final FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
        int n = 1;
        if (fs.exists(folder)) {
            for (final FileStatus file : fs.listStatus(folder)) {
                final String fileName = file.getPath().getName();
                if (fileName.startsWith(asOf + ".") && fileName.endsWith(".model")) {
                    n++;
                }
            }
        }
        return asOf + "." + n;
    }

    private void write(final String path, final String text) throws IOException {
        final Path file = new Path(path);
        final FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.setWriteChecksum(false);
        try (OutputStream out = fs.create(file, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
